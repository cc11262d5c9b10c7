import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crc32c } from '../../../../../src/demo/prometheus/tsdb-blocks/crc32c.js';

/** The textbook bit-at-a-time CRC-32C, to check the table-driven one against. */
function bitwiseCrc32c(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return ~crc >>> 0;
}

test('crc32c gives the published check values', () => {
  assert.equal(crc32c(Buffer.from('123456789')), 0xe3069283);
  assert.equal(crc32c(new Uint8Array(0)), 0);
  // RFC 3720 (iSCSI) B.4: 32 bytes of zeros, of ones, ascending and descending.
  assert.equal(crc32c(new Uint8Array(32)), 0x8a9136aa);
  assert.equal(crc32c(new Uint8Array(32).fill(0xff)), 0x62a8ab43);
  assert.equal(crc32c(Uint8Array.from({ length: 32 }, (_, i) => i)), 0x46dd794e);
  assert.equal(crc32c(Uint8Array.from({ length: 32 }, (_, i) => 31 - i)), 0x113fdb5c);
});

test('crc32c agrees with the bitwise definition at every length and offset around its 8-byte steps', () => {
  const bytes = Uint8Array.from({ length: 64 }, (_, i) => (i * 151 + 7) & 0xff);
  for (let start = 0; start < 9; start++) {
    for (let end = start; end <= bytes.length; end++) {
      assert.equal(
        crc32c(bytes, start, end),
        bitwiseCrc32c(bytes.subarray(start, end)),
        `[${start}, ${end})`,
      );
    }
  }
});

test('crc32c continues from a previous CRC, so a section can be checksummed in pieces', () => {
  const bytes = Buffer.from('the chunk record: encoding byte and data');
  for (const cut of [0, 1, 8, 13, bytes.length]) {
    assert.equal(crc32c(bytes, cut, bytes.length, crc32c(bytes, 0, cut)), crc32c(bytes), `cut at ${cut}`);
  }
});
