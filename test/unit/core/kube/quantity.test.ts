import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkQuantity, parseQuantityLikeKrr } from '../../../../src/core/kube/quantity.js';

test("current values are read like krr's resource_units.parse", () => {
  assert.equal(parseQuantityLikeKrr('250m'), 250 * 0.001);
  assert.equal(parseQuantityLikeKrr('2'), 2);
  assert.equal(parseQuantityLikeKrr('1.5'), 1.5);
  assert.equal(parseQuantityLikeKrr('512Mi'), 512 * 1024 ** 2);
  assert.equal(parseQuantityLikeKrr('1Gi'), 1024 ** 3);
  assert.equal(parseQuantityLikeKrr('1G'), 1e9);
  assert.equal(parseQuantityLikeKrr('100k'), 1e5);
  assert.equal(parseQuantityLikeKrr('1e3'), 1000);
  assert.ok(Number.isNaN(parseQuantityLikeKrr('abc')));
  assert.ok(Number.isNaN(parseQuantityLikeKrr('Mi')));
});

test('the strict grammar accepts what the API server accepts', () => {
  for (const ok of ['250m', '0.5', '1', '512Mi', '1Gi', '1e3', '100k', '.5', '0'])
    assert.ok(checkQuantity(ok).ok, ok);
  assert.deepEqual(checkQuantity('250m'), { ok: true, value: 0.25 });
  assert.deepEqual(checkQuantity('1Ki'), { ok: true, value: 1024 });
});

test('the strict grammar rejects garbage, negatives and overflow with a reason', () => {
  for (const bad of ['abc', '-1', '1e309', '', '1.2.3', '5 Mi', '1mi', '0x10']) {
    const result = checkQuantity(bad);
    assert.equal(result.ok, false, bad);
    if (!result.ok) assert.ok(result.reason.length > 10);
  }
});
