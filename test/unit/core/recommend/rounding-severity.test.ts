import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ResourceScan, Severity } from '../../../../src/core/recommend/model.js';
import { roundRecommendation } from '../../../../src/core/recommend/rounding.js';
import {
  overallScore,
  scanSeverity,
  scoreLetter,
  valueSeverity,
} from '../../../../src/core/recommend/severity.js';

const MiB = 1024 * 1024;
const defaults = { cpu_min_value: 10, memory_min_value: 100 };

test('CPU rounds up to whole millicores, then the 10m minimum applies', () => {
  assert.equal(roundRecommendation(0.2501, 'cpu', defaults), 0.251);
  assert.equal(roundRecommendation(0.25, 'cpu', defaults), 0.25);
  assert.equal(roundRecommendation(0.0001, 'cpu', defaults), 0.01);
  assert.equal(roundRecommendation(0.0101, 'cpu', defaults), 0.011);
  assert.equal(roundRecommendation(0.5, 'cpu', { ...defaults, cpu_min_value: 600 }), 0.6);
});

test('memory rounds up to whole MiB, then the 100 MiB minimum applies', () => {
  assert.equal(roundRecommendation(150 * MiB + 1, 'memory', defaults), 151 * MiB);
  assert.equal(roundRecommendation(150 * MiB, 'memory', defaults), 150 * MiB);
  assert.equal(roundRecommendation(5 * MiB, 'memory', defaults), 100 * MiB);
  assert.equal(roundRecommendation(5 * MiB, 'memory', { ...defaults, memory_min_value: 0 }), 5 * MiB);
});

test('undefined (NaN) and unset (null) pass through rounding', () => {
  assert.ok(Number.isNaN(roundRecommendation(NaN, 'cpu', defaults)!));
  assert.equal(roundRecommendation(null, 'memory', defaults), null);
});

test('CPU severity thresholds: 0.5 critical, 0.25 warning, 0.1 ok (in cores, either direction)', () => {
  assert.equal(valueSeverity(1, 0.5, 'cpu'), 'CRITICAL');
  assert.equal(valueSeverity(0.1, 0.4, 'cpu'), 'WARNING');
  // 0.35 − 0.1 is 0.24999999999999997 in floating point: OK, as in krr.
  assert.equal(valueSeverity(0.1, 0.35, 'cpu'), 'OK');
  assert.equal(valueSeverity(0.35, 0.2, 'cpu'), 'OK');
  assert.equal(valueSeverity(0.3, 0.25, 'cpu'), 'GOOD');
});

test('memory severity thresholds: 500 / 250 / 100 MiB', () => {
  assert.equal(valueSeverity(1024 * MiB, 500 * MiB, 'memory'), 'CRITICAL');
  assert.equal(valueSeverity(100 * MiB, 350 * MiB, 'memory'), 'WARNING');
  assert.equal(valueSeverity(200 * MiB, 300 * MiB, 'memory'), 'OK');
  assert.equal(valueSeverity(200 * MiB, 299 * MiB, 'memory'), 'GOOD');
});

test('severity of "?", null and mixed values', () => {
  assert.equal(valueSeverity('?', 1, 'cpu'), 'UNKNOWN');
  assert.equal(valueSeverity(1, '?', 'cpu'), 'UNKNOWN');
  assert.equal(valueSeverity(null, null, 'cpu'), 'GOOD');
  assert.equal(valueSeverity(null, 0.2, 'cpu'), 'WARNING');
  assert.equal(valueSeverity(2, null, 'cpu'), 'WARNING');
});

test('scan severity is the first of CRITICAL, WARNING, OK, GOOD, UNKNOWN found', () => {
  assert.equal(scanSeverity(['UNKNOWN', 'GOOD', 'OK', 'UNKNOWN']), 'OK');
  assert.equal(scanSeverity(['UNKNOWN', 'UNKNOWN', 'UNKNOWN', 'UNKNOWN']), 'UNKNOWN');
  assert.equal(scanSeverity(['GOOD', 'CRITICAL', 'WARNING', 'OK']), 'CRITICAL');
});

test('score = int((N − Σcost) / N × 100) with CRITICAL 1 and WARNING 0.7', () => {
  const scans = (...levels: Severity[]) => levels.map((severity) => ({ severity }) as ResourceScan);
  assert.equal(overallScore([]), 0);
  assert.equal(overallScore(scans('GOOD', 'OK')), 100);
  assert.equal(overallScore(scans('CRITICAL', 'GOOD')), 50);
  // (3 − 0.7) / 3 × 100 = 76.67 → 76
  assert.equal(overallScore(scans('WARNING', 'GOOD', 'UNKNOWN')), 76);
  // (10 − 0.7) / 10 × 100 = 93.00000000000001 in floating point → 93
  assert.equal(overallScore(scans('WARNING', ...Array<Severity>(9).fill('GOOD'))), 93);
  assert.deepEqual([29, 30, 54, 55, 69, 70, 89, 90].map(scoreLetter), [
    'F',
    'D',
    'D',
    'C',
    'C',
    'B',
    'B',
    'A',
  ]);
});
