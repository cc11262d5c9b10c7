import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { formatResult } from '../../../src/cli/formatters/formatters.js';
import { textTable } from '../../../src/cli/formatters/text-table.js';
import { formatQuantity } from '../../../src/cli/formatters/resource-units.js';
import type { ResourceScan, ScanResult } from '../../../src/core/recommend/model.js';

const MiB = 1024 * 1024;

// krr's CSV formatter test input (tests/formatters/test_csv_formatter.py), with the current values as
// krr parses them (50m → 0.05, 2048Mi → 2147483648).
const krrFixtureScan: ResourceScan = {
  object: {
    cluster: 'mock-cluster',
    name: 'mock-object-1',
    container: 'mock-container-1',
    pods: [
      { name: 'mock-pod-1', deleted: false },
      { name: 'mock-pod-2', deleted: false },
      { name: 'mock-pod-3', deleted: true },
    ],
    hpa: null,
    namespace: 'default',
    kind: 'Deployment',
    allocations: { requests: { cpu: 0.05, memory: 2048 * MiB }, limits: { cpu: 2.0, memory: 2.0 }, info: {} },
    warnings: [],
    labels: null,
    annotations: null,
  },
  recommended: {
    requests: { cpu: { value: 0.0065, severity: 'UNKNOWN' }, memory: { value: 0.5, severity: 'CRITICAL' } },
    limits: { cpu: { value: '?', severity: 'UNKNOWN' }, memory: { value: 0.5, severity: 'CRITICAL' } },
    info: { cpu: 'Not enough data', memory: 'Not enough data' },
  },
  severity: 'CRITICAL',
};

const result: ScanResult = {
  scans: [krrFixtureScan],
  score: 0,
  resources: ['cpu', 'memory'],
  description: 'tests data',
  strategy: { name: 'simple', settings: {} },
  errors: [],
  clusterSummary: {},
  config: {},
};

test("krr's human quantity format", () => {
  assert.equal(formatQuantity(0.0065), '6m');
  assert.equal(formatQuantity(2), '2.0');
  assert.equal(formatQuantity(1.5), '1.5');
  assert.equal(formatQuantity(5 * 1024 * MiB), '5120Mi');
  assert.equal(formatQuantity(20 * 1024 * MiB), '20Gi');
  assert.equal(formatQuantity(5000), '5000');
  assert.equal(formatQuantity(null), 'unset');
  assert.equal(formatQuantity('?'), '?');
});

test("CSV cells match krr's formatter test for its own fixture", () => {
  const [header, row] = formatResult(result, 'csv').trim().split('\n');
  const cells = Object.fromEntries(header!.split(',').map((h, i) => [h, row!.split(',')[i]]));
  assert.equal(cells['CPU Diff'], '-87m');
  assert.equal(cells['CPU Requests'], '(-43m) 50m -> 6m');
  assert.equal(cells['CPU Limits'], '2.0 -> ?');
  assert.equal(cells['Memory Diff'], '-4096Mi');
  assert.equal(cells['Memory Requests'], '(-2048Mi) 2048Mi -> 500m');
  assert.equal(cells['Memory Limits'], '2.0 -> 500m');
  assert.equal(cells.Pods, '2');
  assert.equal(cells['Old Pods'], '1');
});

test('JSON keeps krr key order and "?"/null values; YAML carries the same tree', () => {
  const json = formatResult(result, 'json');
  assert.deepEqual(Object.keys(JSON.parse(json)), [
    'scans',
    'score',
    'resources',
    'description',
    'strategy',
    'errors',
    'clusterSummary',
    'config',
  ]);
  assert.equal(JSON.parse(json).scans[0].recommended.limits.cpu.value, '?');
  assert.deepEqual(parseYaml(formatResult(result, 'yaml')), JSON.parse(json));
});

test('table shows the info under the value and the score', () => {
  const table = formatResult(result, 'table');
  assert.match(table, /Not enough data/);
  // krr's score of this row is 0 (CRITICAL), and the row has a recommendation: graded, and said in words.
  assert.match(table, /Score 0\/100 \(F\): how closely the current requests and limits match/);
});

test('a scan where no container has a recommendation is not graded (krr would print "100 points - A")', () => {
  const unknown: ResourceScan = {
    ...krrFixtureScan,
    recommended: {
      requests: { cpu: { value: '?', severity: 'UNKNOWN' }, memory: { value: '?', severity: 'UNKNOWN' } },
      limits: { cpu: { value: '?', severity: 'UNKNOWN' }, memory: { value: '?', severity: 'UNKNOWN' } },
      info: { cpu: 'Not enough data', memory: 'Not enough data' },
    },
    severity: 'UNKNOWN',
  };
  const table = formatResult({ ...result, scans: [unknown, unknown], score: 100 }, 'table');
  assert.match(table, /Score: none\. No container had enough usage data for a recommendation/);
  assert.doesNotMatch(table, /100\/100|\(A\)/);
  // krr's JSON keeps krr's number.
  assert.equal(JSON.parse(formatResult({ ...result, scans: [unknown], score: 100 }, 'json')).score, 100);
});

test('the table fits the terminal width, wrapping cells instead of running over', () => {
  const wide = formatResult(result, 'table');
  assert.ok(Math.max(...wide.split('\n').map((l) => l.length)) > 100, 'wider than 100 columns unconstrained');
  // Twelve columns need 70 characters at the least; below that the table runs over.
  for (const width of [120, 100, 80]) {
    const lines = formatResult(result, 'table', width).split('\n');
    const longest = Math.max(...lines.map((l) => l.length));
    assert.ok(longest <= width, `${width} columns: a line of ${longest}`);
  }
});

test('cells wrap at spaces, and words are cut only when a column is narrower than its longest word', () => {
  const header = ['Name', 'CPU Requests'];
  const rows = [['checkout-api', '(-820m) 1.0 -> 180m']];
  assert.equal(
    textTable(header, rows, { width: 24 }),
    [
      'Name          CPU',
      '              Requests',
      '------------  ----------',
      'checkout-api  (-820m)',
      '              1.0 ->',
      '              180m',
    ].join('\n'),
  );
  assert.equal(
    textTable(header, rows, { width: 16 }),
    [
      'Name     CPU',
      '         Request',
      '         s',
      '-------  -------',
      'checkou  (-820m)',
      't-api    1.0 ->',
      '         180m',
    ].join('\n'),
  );
  assert.equal(
    textTable(header, rows),
    [
      'Name          CPU Requests',
      '------------  -------------------',
      'checkout-api  (-820m) 1.0 -> 180m',
    ].join('\n'),
  );
});
