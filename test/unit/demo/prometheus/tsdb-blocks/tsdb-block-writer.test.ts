import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import {
  DEFAULT_BLOCK_LIMITS,
  TsdbBlockWriter,
  type BlockLimits,
} from '../../../../../src/demo/prometheus/tsdb-blocks/tsdb-block-writer.js';
import { readChunks, readIndex } from './support/block-reader.js';
import { bitsToFloat } from './support/xor-decoder.js';

const scratch = mkdtempSync(join(tmpdir(), 'krr-mcp-block-writer-test-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

interface Series {
  name: string;
  labels: Record<string, string>;
  firstSecond: number;
  values: number[];
}

const STEP = 30;
const sample = <T>(n: number, f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i));

function write(
  series: Series[],
  limits: Partial<BlockLimits> = {},
): { dir: string; writer: TsdbBlockWriter } {
  const dir = mkdtempSync(join(scratch, 'data-'));
  const writer = new TsdbBlockWriter(dir, { ...DEFAULT_BLOCK_LIMITS, ...limits });
  for (const s of series) {
    // The generator's buffer is longer than the series and reused: only `count` values count.
    const values = Float64Array.from([...s.values, 999, 999]);
    writer.series(s.name, s.labels, s.firstSecond, STEP, values, s.values.length);
    if (writer.hasFullBlocks) for (const _ of writer.finishFullBlocks());
  }
  for (const _ of writer.finish());
  return { dir, writer };
}

/** Every series of every block in `dir`, decoded: labels, then [ms, value] samples. */
function readBack(dir: string) {
  return readdirSync(dir).flatMap((block) => {
    const chunks = new Map(readChunks(join(dir, block)).map((c) => [c.ref, c]));
    return readIndex(join(dir, block, 'index')).series.map((entry) => ({
      block,
      labels: Object.fromEntries(entry.labels),
      chunkSizes: entry.chunks.map(({ ref }) => chunks.get(ref)!.samples.length),
      samples: entry.chunks.flatMap(({ ref, minTime, maxTime }) => {
        const decoded = chunks.get(ref)!.samples;
        assert.equal(decoded[0]!.time, minTime);
        assert.equal(decoded.at(-1)!.time, maxTime);
        return decoded.map(({ time, bits }) => [time, bitsToFloat(bits)]);
      }),
    }));
  });
}

describe('TsdbBlockWriter', () => {
  const cpu: Series = {
    name: 'container_cpu_usage_seconds_total',
    labels: {
      namespace: 'shop',
      pod: 'web-1',
      container: '',
      instance: 'node-1',
      job: 'kubelet',
      cluster: 'west',
    },
    firstSecond: 1_700_000_010,
    values: sample(250, (i) => 1000 + 0.03 * i),
  };
  const phase: Series = {
    name: 'kube_pod_status_phase',
    labels: { namespace: 'shop', pod: 'web-1', phase: 'Running' },
    firstSecond: 1_700_000_040,
    values: sample(120, () => 1),
  };
  const single: Series = { name: 'up', labels: { Zone: 'a' }, firstSecond: 1_700_003_000, values: [-0] };

  test('stores each series with its samples, in chunks of at most 120', () => {
    const { dir } = write([cpu, phase, single]);
    const stored = readBack(dir);
    const bySeries = new Map(stored.map((s) => [s.labels.__name__, s]));
    assert.deepEqual(bySeries.get('container_cpu_usage_seconds_total')!.chunkSizes, [120, 120, 10]);
    assert.deepEqual(bySeries.get('kube_pod_status_phase')!.chunkSizes, [120]);
    for (const s of [cpu, phase, single]) {
      assert.deepEqual(
        bySeries.get(s.name)!.samples,
        s.values.map((value, i) => [(s.firstSecond + i * STEP) * 1000, value === 0 ? 0 : value]),
        s.name,
      );
    }
    // -0 is stored as 0, as the OpenMetrics text ("0") would have it.
    assert.ok(Object.is(bySeries.get('up')!.samples[0]![1], 0));
  });

  test('stores labels as Prometheus does: __name__ added, sorted by name, empty values left out', () => {
    const [stored] = readBack(write([cpu]).dir);
    assert.deepEqual(Object.keys(stored!.labels), [
      '__name__',
      'cluster',
      'instance',
      'job',
      'namespace',
      'pod',
    ]);
  });

  test('writes meta.json with the time range (max exclusive), the counts, and empty tombstones', () => {
    const { dir, writer } = write([cpu, phase, single]);
    const [block] = readdirSync(dir);
    assert.match(block!, /^[0-9A-HJKMNP-TV-Z]{26}$/);
    const meta = JSON.parse(readFileSync(join(dir, block!, 'meta.json'), 'utf8'));
    assert.deepEqual(meta, {
      ulid: block,
      minTime: cpu.firstSecond * 1000,
      // The last sample is the CPU counter's 250th.
      maxTime: (cpu.firstSecond + 249 * STEP) * 1000 + 1,
      stats: { numSamples: 371, numSeries: 3, numChunks: 5 },
      compaction: { level: 1, sources: [block] },
      version: 1,
    });
    assert.deepEqual(writer.blocks, [
      { ulid: block, minTime: meta.minTime, maxTime: meta.maxTime, stats: meta.stats },
    ]);
    assert.equal(readFileSync(join(dir, block!, 'tombstones')).toString('hex'), '0130ba300100000000');
  });

  test('starts a new block when one reaches its series or chunk limit', () => {
    const more = sample(5, (i) => ({ ...phase, labels: { ...phase.labels, pod: `web-${i}` } }));
    const bySeries = write(more, { maxSeries: 2 });
    assert.deepEqual(
      bySeries.writer.blocks.map((b) => b.stats.numSeries),
      [2, 2, 1],
    );
    const byChunks = write([cpu, phase, single], { maxChunks: 4 });
    assert.deepEqual(
      byChunks.writer.blocks.map((b) => b.stats.numChunks),
      [4, 1],
    );
    const stored = readBack(byChunks.dir);
    assert.equal(new Set(stored.map((s) => s.block)).size, 2);
    assert.equal(stored.length, 3);
  });

  test('cuts chunk segments at their size limit without splitting a series', () => {
    const many = sample(20, (i) => ({ ...cpu, labels: { ...cpu.labels, pod: `web-${i}` } }));
    const { dir } = write(many, { maxSegmentBytes: 4000 });
    const [block] = readdirSync(dir);
    const segments = readdirSync(join(dir, block!, 'chunks'));
    assert.ok(segments.length > 3, `${segments.length} segments`);
    for (const stored of readBack(dir)) assert.equal(stored.samples.length, 250);
    for (const series of readIndex(join(dir, block!, 'index')).series) {
      const segmentsOfSeries = new Set(series.chunks.map(({ ref }) => Math.floor(ref / 2 ** 32)));
      assert.equal(segmentsOfSeries.size, 1);
    }
  });

  test('refuses names Prometheus would refuse and a label given twice', () => {
    const writer = new TsdbBlockWriter(mkdtempSync(join(scratch, 'bad-')));
    const values = Float64Array.of(1);
    assert.throws(() => writer.series('bad-name', {}, 0, STEP, values, 1), /invalid metric name "bad-name"/);
    assert.throws(() => writer.series('up', { 'a.b': 'x' }, 0, STEP, values, 1), /invalid label name "a.b"/);
    assert.throws(() => writer.series('up', { __name__: 'x' }, 0, STEP, values, 1), /label __name__ twice/);
    writer.close();
  });
});
