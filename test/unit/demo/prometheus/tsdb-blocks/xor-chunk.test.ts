import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { mulberry32 } from '../../../../../src/demo/usage-profile.js';
import {
  MAX_SAMPLES_PER_CHUNK,
  XorChunkEncoder,
} from '../../../../../src/demo/prometheus/tsdb-blocks/xor-chunk.js';
import { bitsToFloat, decodeXorChunk, floatBits } from './support/xor-decoder.js';

/** Chunks Prometheus wrote (make-prometheus-xor-chunks.ts): samples as "time:64-bit hex", the chunk's bytes. */
const prometheusChunks = JSON.parse(
  readFileSync(new URL('./prometheus-xor-chunks.json', import.meta.url), 'utf8'),
) as Array<{ series: string; samples: string; bytes: string }>;

function encode(samples: Array<[time: number, value: number]>, maxSamples?: number): Buffer {
  const encoder = new XorChunkEncoder(maxSamples);
  for (const [time, value] of samples) encoder.append(time, value);
  return Buffer.from(encoder.bytes.subarray(0, encoder.length));
}

describe('XorChunkEncoder', () => {
  test('writes the bytes Prometheus wrote for the same samples', () => {
    const cases = new Set(prometheusChunks.map((chunk) => chunk.series));
    // Every branch: constant, counter, each delta-of-delta bucket, clamped and 64-bit XOR windows, one sample.
    assert.deepEqual([...cases].sort(), ['constant', 'counter', 'irregular', 'long', 'single', 'two']);
    for (const chunk of prometheusChunks) {
      const samples = chunk.samples.split(' ').map((pair): [number, number] => {
        const [time, bits] = pair.split(':');
        return [Number(time), bitsToFloat(BigInt(`0x${bits}`))];
      });
      // Prometheus' head cuts chunks of up to 2 × 120 samples.
      assert.equal(
        encode(samples, 240).toString('hex'),
        chunk.bytes,
        `${chunk.series}, ${samples.length} samples`,
      );
    }
  });

  test('a one-sample chunk keeps the empty byte Prometheus appends after a whole-byte write', () => {
    const bytes = encode([[1_000_000, 7]]);
    // Count, varint(1e6) in 3 bytes, 8 bytes of value, 1 empty byte.
    assert.equal(bytes.toString('hex'), '000180897a401c00000000000000');
  });

  test('round-trips irregular times and awkward values through an independent decoder', () => {
    const random = mulberry32(7);
    const awkward = [
      0,
      -0,
      1,
      -1,
      0.1,
      1e300,
      -1e-300,
      5e-324,
      Infinity,
      -Infinity,
      2 ** 53,
      1.0000000000000002,
    ];
    for (let run = 0; run < 200; run++) {
      const samples: Array<[number, number]> = [];
      let time = Math.floor(random() * 2e12) - 1e12;
      let delta = 1 + Math.floor(random() * 60_000);
      const count = 1 + Math.floor(random() * MAX_SAMPLES_PER_CHUNK);
      for (let i = 0; i < count; i++) {
        // Deltas of deltas from 0 to beyond 20 bits, both signs; the delta stays positive.
        const jitter = [0, 1, 8192, 8193, 65536, 65537, 524288, 524289, 10 ** 9][Math.floor(random() * 9)]!;
        delta = Math.max(1, delta + (random() < 0.5 ? -jitter : jitter));
        const roll = random();
        const value =
          roll < 0.3
            ? awkward[Math.floor(random() * awkward.length)]!
            : roll < 0.6
              ? (samples.at(-1)?.[1] ?? 1) + random()
              : (random() - 0.5) * 10 ** Math.floor(random() * 40 - 20);
        samples.push([time, value]);
        time += delta;
      }
      const decoded = decodeXorChunk(encode(samples));
      assert.deepEqual(
        decoded.map(({ time, bits }) => [time, bits]),
        samples.map(([time, value]) => [time, floatBits(value)]),
        `run ${run}`,
      );
    }
  });

  test('reset starts a clean chunk', () => {
    const encoder = new XorChunkEncoder();
    for (let i = 0; i < 50; i++) encoder.append(i * 1000, Math.sqrt(i));
    encoder.reset();
    encoder.append(5000, 3);
    encoder.append(6000, 3);
    assert.equal(encoder.numSamples, 2);
    const fresh = encode([
      [5000, 3],
      [6000, 3],
    ]);
    assert.deepEqual(Buffer.from(encoder.bytes.subarray(0, encoder.length)), fresh);
  });

  test('refuses time going backwards or standing still, and a full chunk', () => {
    const encoder = new XorChunkEncoder();
    encoder.append(1000, 1);
    assert.throws(() => encoder.append(1000, 1), /timestamps must increase/);
    assert.throws(() => encoder.append(999, 1), /timestamps must increase/);
    for (let i = 1; i < MAX_SAMPLES_PER_CHUNK; i++) encoder.append(1000 + i, 1);
    assert.throws(() => encoder.append(5000, 1), /at most 120 samples/);
  });
});
