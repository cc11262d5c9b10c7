// A SeriesSink that writes Prometheus TSDB blocks: each series' samples are cut into XOR chunks of 120 and
// streamed to the block's chunk segments at once; only what the index needs stays in memory (BlockSeriesTable),
// and the index, meta.json and tombstones are written when the block is finished.
//
// Blocks are cut by series (a block takes series until it holds `maxSeries` series or `maxChunks` chunks), not
// by time. Time ranges would not bound memory: the generator writes one series at a time over the whole
// history, so every time-range block would stay open, together holding every chunk. Cutting by series bounds
// what one block keeps (a few hundred MB at most at the defaults) whatever the cluster's size. The defaults fit
// 10,000 workloads over 24 hours (494k series, 9.4 M chunks) in one block, as promtool's single block held them:
// several blocks would overlap in time, which Prometheus 2.42 reads as one, but also merges in a vertical
// compaction a minute after it starts (extra work, with the same query results).

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Labels, SeriesSink } from '../series-sink.js';
import { newUlid, writeBlockMeta, writeEmptyTombstones, type BlockMeta } from './block-meta.js';
import { BlockSeriesTable, type LabelPairs } from './block-series-table.js';
import { appendChunkRecord, ChunkSegmentWriter, SEGMENT_MAX_BYTES } from './chunk-segment-writer.js';
import { EncodingBuffer } from './encoding-buffer.js';
import { writeIndex } from './index-writer.js';
import { MAX_SAMPLES_PER_CHUNK, XorChunkEncoder } from './xor-chunk.js';

export interface BlockLimits {
  maxSeries: number;
  maxChunks: number;
  /** Chunk segment size (Prometheus' 512 MiB; smaller only to test segment cuts). */
  maxSegmentBytes: number;
}

export const DEFAULT_BLOCK_LIMITS: BlockLimits = {
  maxSeries: 2_000_000,
  maxChunks: 32_000_000,
  maxSegmentBytes: SEGMENT_MAX_BYTES,
};

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

interface OpenBlock {
  ulid: string;
  dir: string;
  segments: ChunkSegmentWriter;
  table: BlockSeriesTable;
}

export class TsdbBlockWriter implements SeriesSink {
  /** The blocks written so far. */
  readonly blocks: BlockMeta[] = [];
  private current: OpenBlock | undefined;
  /** Full blocks whose chunks are written and whose index is not yet. */
  private readonly pending: OpenBlock[] = [];
  private readonly encoder = new XorChunkEncoder();
  private readonly records = new EncodingBuffer(1 << 20);
  private chunkOffsets = new Uint32Array(1024);
  private readonly validNames = { metric: new Set<string>(), label: new Set<string>() };

  constructor(
    private readonly dataDir: string,
    private readonly limits: BlockLimits = DEFAULT_BLOCK_LIMITS,
  ) {}

  get hasFullBlocks(): boolean {
    return this.pending.length > 0;
  }

  family(): void {
    // Blocks hold no metadata (TYPE, HELP): promtool's backfill drops it too.
  }

  series(
    name: string,
    labels: Labels,
    firstSecond: number,
    stepSeconds: number,
    values: Float64Array,
    count: number,
  ): void {
    const pairs = this.labelPairs(name, labels);
    const chunkCount = this.encodeChunks(firstSecond * 1000, stepSeconds * 1000, values, count);
    const block = this.blockWithRoomFor(chunkCount);
    const base = block.segments.writeRun(this.records.bytes, this.records.length);
    const offsets = this.chunkOffsets.subarray(0, chunkCount);
    for (let i = 0; i < chunkCount; i++) offsets[i]! += base;
    block.table.add(pairs, {
      firstTime: firstSecond * 1000,
      step: stepSeconds * 1000,
      sampleCount: count,
      segment: block.segments.segment,
      chunkOffsets: offsets,
    });
  }

  /** Writes the index and meta of every full block (a step at a time). */
  *finishFullBlocks(): Generator<void> {
    for (let block = this.pending.shift(); block; block = this.pending.shift())
      yield* this.finishBlock(block);
  }

  /** Finishes every block, the one being filled too. */
  *finish(): Generator<void> {
    if (this.current) this.pending.push(this.current);
    this.current = undefined;
    yield* this.finishFullBlocks();
  }

  /** Closes every open segment file (also after a failure or an abort, before the directory is removed). */
  close(): void {
    this.current?.segments.close();
    for (const block of this.pending) block.segments.close();
  }

  /** The series' chunk records, into `records`; their offsets in it, into `chunkOffsets`. */
  private encodeChunks(firstTime: number, step: number, values: Float64Array, count: number): number {
    if (count < 1) throw new Error('a series needs at least one sample');
    const records = this.records;
    const encoder = this.encoder;
    const chunkCount = Math.ceil(count / MAX_SAMPLES_PER_CHUNK);
    if (this.chunkOffsets.length < chunkCount) this.chunkOffsets = new Uint32Array(2 * chunkCount);
    records.reset();
    encoder.reset();
    let chunk = 0;
    for (let i = 0; i < count; i++) {
      if (encoder.numSamples === MAX_SAMPLES_PER_CHUNK) {
        this.chunkOffsets[chunk++] = records.length;
        appendChunkRecord(records, encoder);
        encoder.reset();
      }
      const value = values[i]!;
      // -0 as 0: the text path prints both as "0".
      encoder.append(firstTime + i * step, value === 0 ? 0 : value);
    }
    this.chunkOffsets[chunk++] = records.length;
    appendChunkRecord(records, encoder);
    return chunk;
  }

  private blockWithRoomFor(chunkCount: number): OpenBlock {
    const { table } = this.current ?? {};
    if (
      this.current &&
      table &&
      (table.seriesCount + 1 > this.limits.maxSeries || table.chunkCount + chunkCount > this.limits.maxChunks)
    ) {
      this.current.segments.close();
      this.pending.push(this.current);
      this.current = undefined;
    }
    if (!this.current) {
      const ulid = newUlid();
      const dir = join(this.dataDir, ulid);
      mkdirSync(dir, { recursive: true });
      this.current = {
        ulid,
        dir,
        segments: new ChunkSegmentWriter(dir, this.limits.maxSegmentBytes),
        table: new BlockSeriesTable(),
      };
    }
    return this.current;
  }

  private *finishBlock(block: OpenBlock): Generator<void> {
    block.segments.close();
    const { table } = block;
    yield* writeIndex(join(block.dir, 'index'), table);
    const meta: BlockMeta = {
      ulid: block.ulid,
      minTime: table.minTime,
      maxTime: table.lastTime + 1,
      stats: { numSamples: table.samples, numSeries: table.seriesCount, numChunks: table.chunkCount },
    };
    writeEmptyTombstones(block.dir);
    // Last: a directory without meta.json is not a block to Prometheus.
    writeBlockMeta(block.dir, meta);
    this.blocks.push(meta);
  }

  /** `__name__` and the labels, sorted by name, without empty values (Prometheus drops those at ingestion). */
  private labelPairs(name: string, labels: Labels): LabelPairs {
    this.checkName(name, METRIC_NAME, 'metric');
    const pairs: Array<[string, string]> = [['__name__', name]];
    for (const [key, value] of Object.entries(labels)) {
      this.checkName(key, LABEL_NAME, 'label');
      if (value !== '') pairs.push([key, value]);
    }
    // Label names are ASCII, where < is the byte order Prometheus sorts them in.
    pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (let i = 1; i < pairs.length; i++) {
      if (pairs[i - 1]![0] === pairs[i]![0]) throw new Error(`label ${pairs[i]![0]} twice on ${name}`);
    }
    return pairs;
  }

  private checkName(name: string, pattern: RegExp, kind: 'metric' | 'label'): void {
    const valid = this.validNames[kind];
    if (valid.has(name)) return;
    if (!pattern.test(name)) throw new Error(`invalid ${kind} name ${JSON.stringify(name)}`);
    valid.add(name);
  }
}
