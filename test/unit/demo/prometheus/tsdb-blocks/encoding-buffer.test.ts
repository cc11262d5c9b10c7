import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EncodingBuffer } from '../../../../../src/demo/prometheus/tsdb-blocks/encoding-buffer.js';
import { mulberry32 } from '../../../../../src/demo/usage-profile.js';
import { ByteReader } from './support/block-reader.js';

const hex = (write: (buffer: EncodingBuffer) => void): string => {
  const buffer = new EncodingBuffer(2);
  write(buffer);
  return Buffer.from(buffer.view()).toString('hex');
};

test('uvarints and varints are encoded as Go encodes them', () => {
  // Go's binary.AppendUvarint and binary.AppendVarint (zigzag) give these bytes.
  const uvarints: Array<[number, string]> = [
    [0, '00'],
    [127, '7f'],
    [300, 'ac02'],
    [2 ** 32, '8080808010'],
    [2 ** 53 - 1, 'ffffffffffffff0f'],
  ];
  for (const [value, bytes] of uvarints)
    assert.equal(
      hex((b) => b.putUvarint(value)),
      bytes,
      `uvarint ${value}`,
    );
  const varints: Array<[number, string]> = [
    [0, '00'],
    [-1, '01'],
    [1, '02'],
    [-64, '7f'],
    [64, '8001'],
    // A timestamp in ms, as chunk metas start with one.
    [1_763_899_950_000, 'e08e8a8ad666'],
  ];
  for (const [value, bytes] of varints)
    assert.equal(
      hex((b) => b.putVarint(value)),
      bytes,
      `varint ${value}`,
    );
});

test('varints round-trip across the whole safe range', () => {
  const random = mulberry32(3);
  const buffer = new EncodingBuffer(1);
  const values: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const magnitude = Math.floor(random() * 2 ** Math.floor(random() * 53));
    values.push(magnitude, -magnitude);
    buffer.putUvarint(magnitude);
    buffer.putVarint(magnitude);
    buffer.putVarint(-magnitude);
  }
  const reader = new ByteReader(buffer.view());
  for (let i = 0; i < values.length; i += 2) {
    assert.equal(reader.uvarint(), values[i]);
    assert.equal(reader.varint(), values[i]);
    assert.equal(reader.varint(), values[i + 1] || 0);
  }
  assert.equal(reader.position, buffer.length);
});

test('fixed widths are big-endian; strings are their UTF-8 length and bytes', () => {
  assert.equal(
    hex((b) => b.putBE32(0xbaaad700)),
    'baaad700',
  );
  assert.equal(
    hex((b) => b.putBE64(2 ** 40 + 5)),
    '0000010000000005',
  );
  assert.equal(
    hex((b) => b.putUvarintString('é𝄞')),
    '06c3a9f09d849e',
  );
  assert.throws(() => new EncodingBuffer().putUvarint(-1), /unsigned/);
  assert.throws(() => new EncodingBuffer().putUvarint(2 ** 53), /unsigned/);
});
