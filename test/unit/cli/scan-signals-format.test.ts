import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { formatResult } from '../../../src/cli/formatters/formatters.js';
import { riskSignals } from '../../../src/core/evidence/risk-signals.js';
import type { ResourceScan, ScanResult } from '../../../src/core/recommend/model.js';

// The risk signals in `krr-mcp scan` output: a "!" column and a legend in the table, a `signals` field per
// row in JSON/YAML, and nothing at all (krr's bytes) unless they are given.

function row(name: string): ResourceScan {
  return {
    object: {
      cluster: 'test',
      name,
      container: 'app',
      pods: [{ name: `${name}-1`, deleted: false }],
      hpa: null,
      namespace: 'shop',
      kind: 'Deployment',
      allocations: {
        requests: { cpu: 0.1, memory: 128 * 2 ** 20 },
        limits: { cpu: null, memory: null },
        info: {},
      },
      warnings: [],
      labels: null,
      annotations: null,
    },
    recommended: {
      requests: {
        cpu: { value: 0.4, severity: 'CRITICAL' },
        memory: { value: 256 * 2 ** 20, severity: 'WARNING' },
      },
      limits: { cpu: { value: null, severity: 'OK' }, memory: { value: 256 * 2 ** 20, severity: 'WARNING' } },
      info: { cpu: null, memory: null },
    },
    severity: 'CRITICAL',
  };
}

const result: ScanResult = {
  scans: [row('calm'), row('worker')],
  score: 10,
  resources: ['cpu', 'memory'],
  description: 'test',
  strategy: { name: 'simple', settings: {} },
  errors: [],
  clusterSummary: {},
  config: {},
};

const facts = { oomKills: [], throttledMax: 0.02, restarts: 0, hpaAtMax: false, historyHours: 336 };
const signals = new Map([
  ['test/shop/Deployment/calm/app', riskSignals(facts)],
  ['test/shop/Deployment/worker/app', riskSignals({ ...facts, throttledMax: 0.62, restarts: 3 })],
]);

test("without signals the JSON and YAML are krr's: no field added", () => {
  const plain = formatResult(result, 'json');
  assert.equal(plain, `${JSON.stringify(result, null, 2)}\n`);
  assert.doesNotMatch(formatResult(result, 'yaml'), /signals/);
  assert.doesNotMatch(formatResult(result, 'table'), /already at risk/);
});

test('with signals every row gets a `signals` object as its last field, in JSON and YAML alike', () => {
  const json = JSON.parse(formatResult(result, 'json', undefined, signals)) as {
    scans: Array<Record<string, unknown>>;
  };
  assert.deepEqual(Object.keys(json.scans[0]!), ['object', 'recommended', 'severity', 'signals']);
  assert.deepEqual(json.scans[0]!.signals, {
    at_risk: false,
    reasons: [],
    oom_killed: false,
    throttled_max: 0.02,
    restarts: 0,
    hpa_at_max: false,
  });
  assert.equal((json.scans[1]!.signals as { at_risk: boolean }).at_risk, true);
  assert.deepEqual(parseYaml(formatResult(result, 'yaml', undefined, signals)), json);
  // Signals that could not be read are null, not "not at risk".
  const unread = JSON.parse(formatResult(result, 'json', undefined, null)) as {
    scans: Array<{ signals: unknown }>;
  };
  assert.deepEqual(
    unread.scans.map((s) => s.signals),
    [null, null],
  );
});

test('the table marks at-risk rows with "!" and explains them under the table, by row number', () => {
  const table = formatResult(result, 'table', undefined, signals);
  const lines = table.split('\n');
  const header = lines[0]!;
  assert.match(header, /Severity {2}! {2}CPU Requests/);
  const markColumn = header.indexOf('!');
  const calm = lines.find((l) => l.includes('calm'))!;
  const worker = lines.find((l) => l.includes('worker') && l.startsWith('2'))!;
  assert.equal(calm[markColumn], ' ');
  assert.equal(worker[markColumn], '!');
  assert.match(table, /^! already at risk, whatever the recommendation says/m);
  assert.match(
    table,
    /^ {2}#2 shop\/worker app: CPU throttled in up to 62% of its CFS periods in the last 14 days \(above 25%\); restarted 3 times in the last 14 days$/m,
  );
  assert.doesNotMatch(table, /#1 shop\/calm/);
});

test('the legend wraps to the terminal, and unreadable signals are said, not hidden', () => {
  const lines = formatResult(result, 'table', 80, signals).split('\n');
  assert.ok(Math.max(...lines.map((l) => l.length)) <= 80);
  assert.match(formatResult(result, 'table', undefined, null), /Warning: risk signals .* could not be read/);
});
