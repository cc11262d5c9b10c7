import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  formatCpuCores,
  formatMemoryBytes,
  quantityValue,
  sameQuantity,
} from '../../../../src/core/changes/quantity-format.js';

test('cores become whole millicores, without float noise adding one', () => {
  assert.equal(formatCpuCores(0.25), '250m');
  assert.equal(formatCpuCores(0.3), '300m');
  assert.equal(formatCpuCores(0.1 + 0.2), '300m');
  assert.equal(formatCpuCores(1), '1000m');
  assert.equal(formatCpuCores(0.0101), '11m');
  assert.equal(formatCpuCores(0), '0m');
});

test('bytes become Mi when whole MiB, else exact bytes', () => {
  assert.equal(formatMemoryBytes(256 * 1024 ** 2), '256Mi');
  assert.equal(formatMemoryBytes(1024 ** 3), '1024Mi');
  assert.equal(formatMemoryBytes(123456789), '123456789');
  assert.equal(formatMemoryBytes(461373440.5), '461373441');
  assert.equal(formatMemoryBytes(0), '0');
});

test('quantities compare by value', () => {
  assert.ok(sameQuantity('1', '1000m'));
  assert.ok(sameQuantity('128Mi', '131072Ki'));
  assert.ok(!sameQuantity('128Mi', '128M'));
  assert.ok(!sameQuantity(undefined, '1'));
  assert.ok(sameQuantity(undefined, undefined));
  assert.equal(quantityValue('abc'), undefined);
  assert.equal(quantityValue('250m'), 0.25);
});
