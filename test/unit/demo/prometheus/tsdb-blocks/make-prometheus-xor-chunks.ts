// Regenerates prometheus-xor-chunks.json, the XOR chunks Prometheus itself wrote for a handful of series chosen to
// reach every branch of the encoding: every delta-of-delta bucket, positive and negative, values whose XOR has
// more than 31 leading zeros or 64 significant bits, -0 and infinities, a one-sample chunk, and series long enough
// for Prometheus to cut several chunks. xor-chunk.test.ts checks that our encoder writes the same bytes.
//
// node --import tsx test/unit/demo/prometheus/tsdb-blocks/make-prometheus-xor-chunks.ts   (needs promtool)
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readChunks, readIndex } from './support/block-reader.js';

type Sample = [seconds: number, value: number | string];

function openMetrics(): string {
  const lines = ['# TYPE vector gauge'];
  const series = (name: string, samples: Sample[]) => {
    for (const [time, value] of samples) lines.push(`vector{case="${name}"} ${value} ${time}`);
  };
  series(
    'constant',
    [1000, 1030, 1060, 1090, 1120].map((time): Sample => [time, 42]),
  );
  series('single', [[1000, 7]]);
  series('two', [
    [1000, 1.5],
    [1030, -2.25],
  ]);
  const counter: Sample[] = [];
  let total = 1000;
  for (let i = 0; i < 40; i++) {
    total += 0.03 * 30 * (1 + (i % 7) / 10);
    counter.push([1000 + 30 * i, total]);
  }
  series('counter', counter);
  // Deltas of 10, 10, 11 … seconds: deltas of deltas of 0, ±1 s (14 bits), 8 s, -9 s (17 bits), 61 s, 70 s
  // (20 bits), 500 s, ±600 s (64 bits) …
  const deltas = [10, 10, 11, 10, 18, 9, 70, 140, 640, 1240, 640, 10, 10];
  const values = [
    1,
    1,
    -1,
    0.5,
    1e300,
    -1e-300,
    5e-324,
    0,
    1,
    1.0000000000000002,
    -1,
    123456789.123,
    0.1,
    '-0',
  ];
  const irregular: Sample[] = [[1000, values[0]!]];
  let time = 1000;
  deltas.forEach((delta, i) => irregular.push([(time += delta), values[i + 1] ?? '+Inf']));
  irregular.push([time + 10, '+Inf'], [time + 20, '-Inf']);
  series('irregular', irregular);
  const long: Sample[] = [];
  total = 5e9;
  for (let i = 0; i < 300; i++) {
    total += 1024 * ((i * 7919) % 13);
    long.push([2000 + 15 * i, total]);
  }
  series('long', long);
  return `${lines.join('\n')}\n# EOF\n`;
}

const work = mkdtempSync(join(tmpdir(), 'krr-mcp-xor-vectors-'));
try {
  const input = join(work, 'vectors.om');
  const tsdb = join(work, 'tsdb');
  writeFileSync(input, openMetrics());
  mkdirSync(tsdb);
  execFileSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', '-q', input, tsdb]);
  const vectors = readdirSync(tsdb).flatMap((block) => {
    const chunks = new Map(readChunks(join(tsdb, block)).map((chunk) => [chunk.ref, chunk]));
    return readIndex(join(tsdb, block, 'index')).series.flatMap((series) =>
      series.chunks.map(({ ref }) => {
        const chunk = chunks.get(ref)!;
        return {
          series: Object.fromEntries(series.labels).case,
          // "time:bits …": the value as its 64 bits, so that -0 and every payload survive JSON.
          samples: chunk.samples
            .map(({ time, bits }) => `${time}:${bits.toString(16).padStart(16, '0')}`)
            .join(' '),
          bytes: Buffer.from(chunk.data).toString('hex'),
        };
      }),
    );
  });
  const out = new URL('prometheus-xor-chunks.json', import.meta.url);
  writeFileSync(out, `${JSON.stringify(vectors, null, 2)}\n`);
  console.log(`${vectors.length} chunks written to ${out.pathname}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
