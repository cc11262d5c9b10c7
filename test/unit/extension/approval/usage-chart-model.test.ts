import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { UsageChart } from '../../../../src/extension/approval/panel-protocol.js';
import {
  containerCharts,
  cpuChart,
  memoryChart,
  throttlingChart,
} from '../../../../webview/charts/chart-model.js';
import { chartSummary } from '../../../../webview/charts/chart-summary.js';
import { formatBytes, formatCores, formatShare, formatTick } from '../../../../webview/charts/units.js';
import { usageHistory } from './usage-fixtures.js';

const MiB = 1024 * 1024;

function chart(overrides: Partial<UsageChart> = {}, history = usageHistory()): UsageChart {
  return { history, proposed: { requests: { cpu: 0.25, memory: 384 * MiB }, limits: {} }, ...overrides };
}

const roles = (model: ReturnType<typeof cpuChart>) => model?.lines.map((l) => [l.role, l.label]);

test('CPU: usage, the percentile the strategy took, the current and the proposed request as flat lines', () => {
  const model = cpuChart(chart())!;
  assert.deepEqual(roles(model), [
    ['usage', 'CPU used'],
    ['strategy', 'p95'],
    ['currentRequest', 'request now'],
    ['proposedRequest', 'request proposed'],
  ]);
  assert.equal(model.x.length, 300);
  for (const line of model.lines) assert.equal(line.values.length, model.x.length, line.label);
  assert.deepEqual(new Set(model.lines[3]!.values), new Set([0.25]));
  assert.deepEqual(new Set(model.lines[2]!.values), new Set([0.5]));
});

test('a proposal equal to the current amount draws no second line; a removed limit draws none', () => {
  const same = chart({ proposed: { requests: { cpu: 0.5 }, limits: { memory: null } } });
  assert.deepEqual(
    roles(cpuChart(same))!.map(([role]) => role),
    ['usage', 'strategy', 'currentRequest'],
  );
  assert.ok(!memoryChart(same)!.lines.some((l) => l.role === 'proposedLimit'));
});

test('memory: the peak, and each OOM kill as a marker at the nearest sample', () => {
  const history = usageHistory({ oomDaysAgo: [3, 9] });
  const model = memoryChart(chart({}, history))!;
  assert.deepEqual(model.markers, history.oomKills);
  const oom = model.lines.find((l) => l.role === 'oom')!;
  assert.equal(oom.label, 'OOM kill');
  assert.equal(oom.values.filter((v) => v !== null).length, 2);
  assert.ok(model.lines.some((l) => l.role === 'strategy' && l.label === 'peak'));
  assert.ok(model.lines.some((l) => l.role === 'currentLimit'));
});

test('throttling gets its own chart with the threshold; none without cAdvisor data', () => {
  const throttled = throttlingChart(chart({}, usageHistory({ throttledMax: 0.4 })))!;
  assert.equal(throttled.unit, 'share');
  assert.deepEqual(
    throttled.lines.map((l) => l.role),
    ['usage', 'threshold'],
  );
  assert.equal(throttlingChart(chart()), null);
  assert.equal(containerCharts(chart()).length, 2);
  assert.equal(containerCharts(chart({}, usageHistory({ throttledMax: 0.4 }))).length, 3);
});

test('no usage recorded: no chart to draw, and the summary says so', () => {
  const history = usageHistory();
  history.cpu.series = [];
  history.memory.series = [];
  assert.deepEqual(containerCharts(chart({}, history)), []);
  assert.match(chartSummary(chart({}, history)), /^CPU: no usage recorded; .*Memory: no usage recorded;/);
});

test('the summary says in words what the charts show', () => {
  const history = usageHistory({ oomDaysAgo: [1], throttledMax: 0.4, restarts: 3 });
  history.cpu.percentileValue = 0.41;
  history.memory.peak = 312 * MiB;
  const text = chartSummary({
    history,
    proposed: { requests: { cpu: 0.42, memory: 360 * MiB }, limits: { memory: 360 * MiB } },
  });
  assert.equal(
    text,
    'CPU: p95 0.41 cores over 14 days; request 0.5 cores → 0.42 cores; limit unset. ' +
      'Memory: peak 312 MiB over 14 days (plus a 15% buffer); request 512 MiB → 360 MiB; limit 1 GiB → 360 MiB. ' +
      '1 OOM kill, the last at 2024-12-31 00:00 UTC. CPU throttled in up to 40% of periods. 3 restarts in the window.',
  );
});

test('amounts read as people read them', () => {
  assert.equal(formatCores(0.0412), '0.041 cores');
  assert.equal(formatCores(1), '1 core');
  assert.equal(formatCores(2.5), '2.5 cores');
  assert.equal(formatCores(0), '0 cores');
  assert.equal(formatBytes(312 * MiB), '312 MiB');
  assert.equal(formatBytes(1.25 * 1024 * MiB), '1.25 GiB');
  assert.equal(formatBytes(500), '500 bytes');
  assert.equal(formatShare(0.4), '40%');
  assert.equal(formatShare(0.004), '0.4%');
  assert.equal(formatTick(256 * MiB, 'bytes'), '256Mi');
  assert.equal(formatTick(0.25, 'cores'), '0.25');
});
