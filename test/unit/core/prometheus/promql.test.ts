import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  discoveryPeriod,
  durationString,
  escapeRegex,
  exactAlternation,
  pythonFloat,
  pythonRound,
  quoteLabelValue,
  stepSeconds,
} from '../../../../src/core/prometheus/promql.js';
import { usageQuery } from '../../../../src/core/prometheus/usage-queries.js';

const collapse = (q: string) => q.replace(/\s+/g, ' ');

test('label values are escaped for PromQL strings', () => {
  assert.equal(quoteLabelValue('a"b\\c'), '"a\\"b\\\\c"');
  assert.equal(quoteLabelValue('line\nbreak'), '"line\\nbreak"');
});

test('pod names are escaped in regexes: a.b matches only itself', () => {
  assert.equal(escapeRegex('web-7d9f.x'), 'web-7d9f\\.x');
  assert.equal(exactAlternation(['a.b', 'c|d', 'e(f)']), 'a\\.b|c\\|d|e\\(f\\)');
  const regex = new RegExp(`^(?:${exactAlternation(['a.b', 'c+d'])})$`);
  assert.ok(regex.test('a.b') && regex.test('c+d'));
  assert.ok(!regex.test('axb') && !regex.test('ccd'));
  // Inside a PromQL string the backslashes are doubled.
  assert.equal(quoteLabelValue(exactAlternation(['a.b'])), '"a\\\\.b"');
});

test("krr's step, duration and discovery strings, including its flooring", () => {
  assert.equal(stepSeconds(1.25), 75);
  assert.equal(stepSeconds(0.5), 30);
  assert.equal(durationString(336), '14d');
  assert.equal(durationString(36), '1d');
  assert.equal(durationString(24), '1440m');
  assert.equal(durationString(1.5), '90m');
  assert.equal(discoveryPeriod(336), '14d');
  assert.equal(discoveryPeriod(24), '24h');
  assert.equal(discoveryPeriod(5000), '32d');
});

test('Python rounding and float printing of the percentile', () => {
  assert.equal(pythonFloat(pythonRound(95 / 100, 2)), '0.95');
  assert.equal(pythonFloat(pythonRound(100 / 100, 2)), '1.0');
  assert.equal(pythonRound(0.125, 2), 0.12); // ties to even, like Python
  assert.equal(pythonRound(0.375, 2), 0.38);
  assert.equal(pythonRound(99.95 / 100, 2), 1);
});

test("usage queries with krr's own selector render exactly krr's example (spec §3.3)", () => {
  const p = {
    selector: 'namespace="shop", pod=~"web-7d9f-abc12|web-7d9f-def34", container="app"',
    stepSeconds: 75,
    duration: '14d',
    cpuPercentile: 95,
    groupBy: 'container, pod, job',
  };
  assert.equal(
    collapse(usageQuery('PercentileCPULoader', p)),
    'quantile_over_time(0.95, max(rate(container_cpu_usage_seconds_total{namespace="shop", pod=~"web-7d9f-abc12|web-7d9f-def34", container="app"}[75s])) by (container, pod, job)[14d:75s])',
  );
  assert.equal(
    usageQuery('CPUAmountLoader', p),
    'count_over_time(max(container_cpu_usage_seconds_total{namespace="shop", pod=~"web-7d9f-abc12|web-7d9f-def34", container="app"}) by (container, pod, job)[14d:75s])',
  );
  assert.equal(
    usageQuery('MaxMemoryLoader', p),
    'max_over_time(max(container_memory_working_set_bytes{namespace="shop", pod=~"web-7d9f-abc12|web-7d9f-def34", container="app"}) by (container, pod, job)[14d:75s])',
  );
  assert.equal(
    usageQuery('MemoryAmountLoader', p),
    'count_over_time(max(container_memory_working_set_bytes{namespace="shop", pod=~"web-7d9f-abc12|web-7d9f-def34", container="app"}) by (container, pod, job)[14d:75s])',
  );
  assert.equal(
    usageQuery('CPULoader', p),
    'max(rate(container_cpu_usage_seconds_total{namespace="shop", pod=~"web-7d9f-abc12|web-7d9f-def34", container="app"}[75s])) by (container, pod, job)',
  );
  assert.match(
    usageQuery('MaxOOMKilledMemoryLoader', p),
    /^max_over_time\(max\(max\(kube_pod_container_resource_limits\{resource="memory", namespace="shop"/,
  );
  assert.throws(() => usageQuery('PercentileCPULoader', { ...p, cpuPercentile: undefined }));
});

test('without a grouping the usage queries read each series as is (the fast path)', () => {
  const p = { selector: 'namespace="shop"', stepSeconds: 75, duration: '14d', cpuPercentile: 95 };
  assert.equal(
    usageQuery('PercentileCPULoader', p),
    'quantile_over_time(0.95, rate(container_cpu_usage_seconds_total{namespace="shop"}[75s])[14d:75s])',
  );
  assert.equal(
    usageQuery('MaxMemoryLoader', p),
    'max_over_time(container_memory_working_set_bytes{namespace="shop"}[14d:75s])',
  );
  assert.equal(usageQuery('CPULoader', p), 'rate(container_cpu_usage_seconds_total{namespace="shop"}[75s])');
  // The OOM join always needs its grouping.
  assert.match(usageQuery('MaxOOMKilledMemoryLoader', p), /by \(namespace, container, pod, job\)/);
});

test('durationSeconds is what the duration string covers', async () => {
  const { durationSeconds } = await import('../../../../src/core/prometheus/promql.js');
  assert.equal(durationSeconds(336), 14 * 86400);
  assert.equal(durationSeconds(36), 86400);
  assert.equal(durationSeconds(24), 86400);
  assert.equal(durationSeconds(1.5), 5400);
});
