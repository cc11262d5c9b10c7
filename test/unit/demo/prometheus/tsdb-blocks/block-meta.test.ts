import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newUlid } from '../../../../../src/demo/prometheus/tsdb-blocks/block-meta.js';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

test('a ULID is 26 Crockford base-32 digits: 48 bits of milliseconds, then 80 random bits', () => {
  const now = Date.UTC(2026, 11, 7, 5, 20, 0, 123);
  const ulid = newUlid(now);
  assert.match(ulid, /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/);
  // The first 10 digits are the time (50 bits, of which the top 2 are zero).
  const time = [...ulid.slice(0, 10)].reduce((sum, digit) => sum * 32 + CROCKFORD.indexOf(digit), 0);
  assert.equal(time, now);
  // The ULID spec's example time: 1469918176385 ms is 01ARYZ6S41.
  assert.equal(newUlid(1469918176385).slice(0, 10), '01ARYZ6S41');
  assert.notEqual(newUlid(now), ulid);
});
