// Generating a history takes seconds to minutes (up to a billion samples), on the event loop the demo and the
// tests also need: the work is cut into steps (a series, a slice of an index), and the event loop gets a turn
// every 50 ms, so that an abort signal stops it at once and progress is reported as it goes.

import type { FixtureCluster } from '../cluster-model.js';
import { allSeries } from './cluster-series.js';
import { HistoryEmitter } from './history-emitter.js';
import type { GeneratedCounts, GenerationOptions } from './series-sink.js';

/** How often the generation gives the event loop a turn: Ctrl-C and progress are never further away. */
const YIELD_EVERY_MS = 50;

/**
 * The series and samples the cluster's history holds, without generating their values (for progress). Seconds
 * for the largest clusters (every series' labels are still built), so it takes turns too.
 */
export async function countHistory(cluster: FixtureCluster, signal?: AbortSignal): Promise<GeneratedCounts> {
  const out = new HistoryEmitter(undefined, cluster);
  await runInTurns(allSeries(out, cluster), signal, () => {});
  return { series: out.series, samples: out.samples };
}

/**
 * Runs `steps` to the end, with a turn of the event loop (a check of the signal, then `onTurn`) whenever 50 ms
 * have passed since the last one.
 */
export async function runInTurns(
  steps: Iterable<unknown>,
  signal: AbortSignal | undefined,
  onTurn: () => void,
): Promise<void> {
  let turn = performance.now();
  for (const _ of steps) {
    if (performance.now() - turn < YIELD_EVERY_MS) continue;
    await new Promise((resolve) => setImmediate(resolve));
    signal?.throwIfAborted();
    onTurn();
    turn = performance.now();
  }
}

/** Progress for `emitter` against the planned total, as GenerationOptions.onProgress wants it. */
export function progressReporter(
  emitter: HistoryEmitter,
  planned: GeneratedCounts,
  options: GenerationOptions,
): () => void {
  return () => options.onProgress?.({ samples: emitter.samples, totalSamples: planned.samples });
}
