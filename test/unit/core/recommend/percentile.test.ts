import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { percentile } from '../../../../src/core/recommend/percentile.js';

const reference = JSON.parse(readFileSync(new URL('./numpy-percentiles.json', import.meta.url), 'utf8')) as {
  numpy: string;
  cases: Array<{ values: number[]; p: number; expected: number }>;
};

test(`percentile equals numpy ${reference.numpy} bit for bit`, () => {
  assert.ok(reference.cases.length > 60);
  for (const { values, p, expected } of reference.cases) {
    assert.equal(percentile(values, p), expected, `p${p} of ${values.length} values`);
  }
});

test('percentile of nothing or with NaN is NaN, like numpy', () => {
  assert.ok(Number.isNaN(percentile([], 50)));
  assert.ok(Number.isNaN(percentile([1, NaN, 3], 50)));
});

test('percentile does not reorder its input', () => {
  const values = [3, 1, 2];
  percentile(values, 50);
  assert.deepEqual(values, [3, 1, 2]);
});
