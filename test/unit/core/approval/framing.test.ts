import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  encodeLine,
  LineDecoder,
  MessageTooLargeError,
  parseLine,
} from '../../../../src/core/approval/ipc/framing.js';

test('splits lines across and within chunks', () => {
  const decoder = new LineDecoder(100);
  assert.deepEqual(decoder.push(Buffer.from('{"a":1}\n{"b"')), ['{"a":1}']);
  assert.deepEqual(decoder.push(Buffer.from(':2}\n\n{"c":3}\n')), ['{"b":2}', '', '{"c":3}']);
  assert.deepEqual(decoder.push(Buffer.from('')), []);
});

test('keeps multi-byte characters split across chunks intact', () => {
  const decoder = new LineDecoder(100);
  const bytes = Buffer.from('"é€"\n');
  assert.deepEqual(decoder.push(bytes.subarray(0, 2)), []);
  assert.deepEqual(decoder.push(bytes.subarray(2)), ['"é€"']);
});

test('refuses a line longer than the limit, even before its newline arrives', () => {
  const decoder = new LineDecoder(10);
  assert.deepEqual(decoder.push(Buffer.from('0123456789\n')), ['0123456789']);
  assert.throws(() => decoder.push(Buffer.from('0123456789A')), MessageTooLargeError);
  const chunked = new LineDecoder(10);
  chunked.push(Buffer.from('01234'));
  assert.throws(() => chunked.push(Buffer.from('567890')), MessageTooLargeError);
});

test('encodeLine refuses what the peer would refuse', () => {
  assert.equal(encodeLine({ a: 1 }), '{"a":1}\n');
  assert.throws(() => encodeLine({ big: 'x'.repeat(20) }, 10), MessageTooLargeError);
});

test('parseLine tells JSON from garbage', () => {
  assert.deepEqual(parseLine('{"a":1}'), { value: { a: 1 } });
  assert.equal(parseLine('{nope'), undefined);
});
