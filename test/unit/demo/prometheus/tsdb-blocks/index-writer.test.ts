import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import {
  BlockSeriesTable,
  type LabelPairs,
} from '../../../../../src/demo/prometheus/tsdb-blocks/block-series-table.js';
import { writeIndex } from '../../../../../src/demo/prometheus/tsdb-blocks/index-writer.js';
import { readIndex } from './support/block-reader.js';

const scratch = mkdtempSync(join(tmpdir(), 'krr-mcp-index-test-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const byBytes = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

interface Input {
  labels: LabelPairs;
  firstTime: number;
  step: number;
  sampleCount: number;
  segment: number;
  chunkOffsets: number[];
}

const series = (labels: Record<string, string>, sampleCount: number, segment = 0, at = 8): Input => {
  const chunkCount = Math.ceil(sampleCount / 120);
  return {
    labels: Object.entries({ __name__: 'up', ...labels }).sort(([a], [b]) => byBytes(a, b)),
    firstTime: 1_700_000_000_000 + at,
    step: 30_000,
    sampleCount,
    segment,
    chunkOffsets: Array.from({ length: chunkCount }, (_, i) => at + 100 * i),
  };
};

function writeTable(inputs: Input[], name: string): string {
  const table = new BlockSeriesTable();
  for (const input of inputs)
    table.add(input.labels, { ...input, chunkOffsets: Uint32Array.from(input.chunkOffsets) });
  const path = join(scratch, name);
  for (const _ of writeIndex(path, table));
  return path;
}

describe('writeIndex', () => {
  // Given out of order. "～" (U+FF5E) sorts before "𝄞" (U+1D11E) in UTF-8 bytes, after it in UTF-16 units.
  const inputs = [
    series({ job: '𝄞' }, 1),
    series({ job: 'a', zone: 'x' }, 250, 1, 4096),
    series({ job: '～' }, 121),
    series({ job: 'a' }, 120, 0, 512),
    series({ Zone: 'eu', job: 'b' }, 7),
    { ...series({ job: 'a' }, 3), labels: [['__name__', 'a_metric'] as const, ['job', 'a'] as const] },
  ];
  const index = readIndex(writeTable(inputs, 'index'));
  // Byte order, pair by pair: "Zone" < "__name__"; "a_metric" < "up"; {job="a"} before its extension {job="a", zone="x"}.
  const expectedOrder = [4, 5, 3, 1, 2, 0];

  test('lists the symbols once each, sorted by their UTF-8 bytes', () => {
    const all = new Set(inputs.flatMap((input) => input.labels.flat()));
    assert.deepEqual(index.symbols, [...all].sort(byBytes));
  });

  test('sorts series by label set as Prometheus compares them, 16-byte aligned', () => {
    assert.deepEqual(
      index.series.map((s) => s.labels),
      expectedOrder.map((i) => inputs[i]!.labels),
    );
    for (const entry of index.series) assert.ok(entry.ref > 0);
  });

  test('gives every chunk its time range and its reference (segment << 32 | offset)', () => {
    index.series.forEach((entry, position) => {
      const input = inputs[expectedOrder[position]!]!;
      const expected = input.chunkOffsets.map((offset, k) => ({
        minTime: input.firstTime + 120 * k * input.step,
        maxTime: input.firstTime + (Math.min(120 * (k + 1), input.sampleCount) - 1) * input.step,
        ref: input.segment * 2 ** 32 + offset,
      }));
      assert.deepEqual(entry.chunks, expected, `series ${position}`);
    });
  });

  test('has postings for all series, then for every label pair, sorted, each list ascending', () => {
    const [all, ...pairs] = index.postings;
    assert.deepEqual([all!.name, all!.value], ['', '']);
    assert.deepEqual(
      all!.refs,
      index.series.map((s) => s.ref),
    );
    const expected = new Map<string, number[]>();
    for (const entry of index.series) {
      for (const [name, value] of entry.labels) {
        const key = JSON.stringify([name, value]);
        expected.set(key, [...(expected.get(key) ?? []), entry.ref]);
      }
    }
    const keys = [...expected.keys()]
      .map((key) => JSON.parse(key) as [string, string])
      .sort(([n1, v1], [n2, v2]) => byBytes(n1, n2) || byBytes(v1, v2));
    assert.deepEqual(
      pairs.map(({ name, value }) => [name, value]),
      keys,
    );
    for (const { name, value, refs, offset } of index.postings) {
      if (name) assert.deepEqual(refs, expected.get(JSON.stringify([name, value])), `${name}=${value}`);
      assert.equal(offset % 4, 0);
    }
  });

  test('has a label index per label name with its values, as Prometheus 2.42 wrote them', () => {
    const names = [...new Set(index.postings.slice(1).map((p) => p.name))];
    assert.deepEqual(
      index.labelIndices.map(({ name, values }) => [name, values]),
      names.map((name) => [name, index.postings.filter((p) => p.name === name).map((p) => p.value)]),
    );
    assert.deepEqual(index.labelIndices.find((l) => l.name === 'job')!.values, ['a', 'b', '～', '𝄞']);
    for (const { offset } of index.labelIndices) assert.equal(offset % 4, 0);
  });

  test('orders the sections as the table of contents says', () => {
    const [symbols, seriesAt, labelIndices, labelTable, postings, postingsTable] = index.toc;
    assert.equal(symbols, 5);
    assert.ok(symbols! < seriesAt! && seriesAt! < labelIndices! && labelIndices! < postings!);
    assert.ok(postings! < labelTable! && labelTable! < postingsTable!);
    assert.ok(index.series.every((s) => s.ref * 16 > seriesAt! && s.ref * 16 < labelIndices!));
  });

  test('refuses two series with the same labels', () => {
    const twice = [series({ job: 'a' }, 2), series({ job: 'b' }, 2), series({ job: 'a' }, 5)];
    assert.throws(
      () => writeTable(twice, 'duplicate'),
      /two series with the same labels: \{__name__="up", job="a"\}/,
    );
  });
});
