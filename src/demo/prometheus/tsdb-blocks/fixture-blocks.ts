// A fixture cluster's history as TSDB blocks in a Prometheus data directory, written directly (no OpenMetrics
// text, no promtool backfill), then checked by promtool so that a malformed block fails the build, not a query.

import type { FixtureCluster } from '../../cluster-model.js';
import { allSeries } from '../cluster-series.js';
import { HistoryEmitter } from '../history-emitter.js';
import { countHistory, progressReporter, runInTurns } from '../history-generation.js';
import { analyzeBlock, listBlocks } from '../promtool-tsdb.js';
import type { GeneratedCounts, GenerationOptions } from '../series-sink.js';
import type { BlockMeta } from './block-meta.js';
import { DEFAULT_BLOCK_LIMITS, TsdbBlockWriter, type BlockLimits } from './tsdb-block-writer.js';

export interface TsdbBlocksOptions extends GenerationOptions {
  limits?: Partial<BlockLimits>;
}

export interface WrittenBlocks {
  generated: GeneratedCounts;
  blocks: BlockMeta[];
}

export async function writeTsdbBlocks(
  cluster: FixtureCluster,
  dataDir: string,
  options: TsdbBlocksOptions = {},
): Promise<WrittenBlocks> {
  const planned = await countHistory(cluster, options.signal);
  const writer = new TsdbBlockWriter(dataDir, { ...DEFAULT_BLOCK_LIMITS, ...options.limits });
  const out = new HistoryEmitter(writer, cluster);
  function* steps(): Generator<void> {
    try {
      for (const _ of allSeries(out, cluster)) {
        yield;
        if (writer.hasFullBlocks) yield* writer.finishFullBlocks();
      }
      yield* writer.finish();
    } finally {
      writer.close();
    }
  }
  const report = progressReporter(out, planned, options);
  await runInTurns(steps(), options.signal, report);
  report();
  return { generated: { series: out.series, samples: out.samples }, blocks: writer.blocks };
}

/** Rejects unless Prometheus' own readers accept every block and count what was generated. */
export async function verifyTsdbBlocks(
  dataDir: string,
  written: WrittenBlocks,
  signal?: AbortSignal,
): Promise<void> {
  const { generated, blocks } = written;
  const stored = blocks.reduce(
    (sum, { stats }) => ({ series: sum.series + stats.numSeries, samples: sum.samples + stats.numSamples }),
    { series: 0, samples: 0 },
  );
  if (stored.series !== generated.series || stored.samples !== generated.samples) {
    throw new Error(
      `the blocks hold ${stored.series} series and ${stored.samples} samples, ` +
        `but ${generated.series} and ${generated.samples} were generated`,
    );
  }
  const listed = await listBlocks(dataDir, signal);
  for (const block of blocks) {
    const entry = listed.find(({ ulid }) => ulid === block.ulid);
    if (entry?.samples !== block.stats.numSamples || entry.series !== block.stats.numSeries) {
      throw new Error(`promtool tsdb list does not show block ${block.ulid} as written`);
    }
    await analyzeBlock(dataDir, block.ulid, signal);
  }
}
