// Fixture histories as TSDB blocks, cached per fixture: generating them is the slow step (seconds for the demo's
// 14 days, minutes for 10,000 workloads), and many tests and every demo start in the same hour share one. The
// blocks are written directly (tsdb-blocks/); promtool only checks them. Hand-written OpenMetrics files are still
// backfilled with promtool (backfill()).

import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { FixtureCluster } from '../cluster-model.js';
import { run, workDirs } from './child-processes.js';
import { listBlocks } from './promtool-tsdb.js';
import type { GeneratedCounts } from './series-sink.js';
import { verifyTsdbBlocks, writeTsdbBlocks } from './tsdb-blocks/fixture-blocks.js';

/**
 * What a first start is doing: writing the history (measurable). Backfilling (promtool turning OpenMetrics text
 * into blocks, which reports nothing until it is done) only happens for an OpenMetrics file.
 */
export type BackfillProgress =
  | { phase: 'generating'; samples: number; totalSamples: number }
  | { phase: 'backfilling'; samples: number; elapsedMs: number };

export interface BackfillOptions {
  /** Called while a history that is not cached yet is generated and backfilled. */
  onProgress?: (progress: BackfillProgress) => void;
  /** Stops a backfill in progress: promtool is killed and the half-built cache entry removed. */
  signal?: AbortSignal;
}

/** How often the backfill's elapsed time is reported while promtool works. */
const BACKFILL_TICK_MS = 1000;
/**
 * promtool cuts blocks at multiples (since the epoch) of the largest 2h·3ⁿ not above this, and re-reads the whole
 * input once per block, so the fewer blocks the faster. Measured on this 2-core machine: 100 workloads × 24 h
 * (10.2 M samples) 42.7 s with 24h (3 blocks), 23–25 s with 168h (1), 21 s with 13122h (1); 50 workloads × 14 d
 * (65.8 M) 244 s with 168h (3 blocks), 185 s with 1458h (2). 13122h (1.5 years) almost never splits a history.
 */
const MAX_BLOCK_DURATION = '13122h';
/** Bump when the generator's or the block writer's output changes, so that stale cached TSDBs are not reused. */
const GENERATOR_VERSION = 4;
const CACHE_UNUSED_MS = 24 * 3600 * 1000;

export async function copyCachedTsdb(
  cluster: FixtureCluster,
  dataDir: string,
  options: BackfillOptions,
): Promise<GeneratedCounts> {
  const cacheRoot = join(tmpdir(), 'krr-mcp-tsdb-cache');
  const key = createHash('sha256').update(`${GENERATOR_VERSION}:${JSON.stringify(cluster)}`);
  const cacheDir = join(cacheRoot, key.digest('hex').slice(0, 32));
  if (!existsSync(join(cacheDir, 'generated.json'))) {
    await pruneCache(cacheRoot);
    await buildCache(cluster, cacheRoot, cacheDir, options);
  }
  // Marks the entry as used, for pruneCache.
  const now = new Date();
  await utimes(cacheDir, now, now).catch(() => {});
  const generated = JSON.parse(await readFile(join(cacheDir, 'generated.json'), 'utf8')) as GeneratedCounts;
  // A copy, not the cache itself: Prometheus writes its WAL and compacts blocks in its data dir.
  await cp(join(cacheDir, 'tsdb'), dataDir, { recursive: true });
  return generated;
}

/**
 * The demo's history moves with the clock, so it adds a cache entry (about 50 MB) for every hour it is used in:
 * entries unused for a day go.
 */
async function pruneCache(cacheRoot: string): Promise<void> {
  const cutoff = Date.now() - CACHE_UNUSED_MS;
  const entries = await readdir(cacheRoot).catch(() => [] as string[]);
  // Also half-built entries (`.build-*`) that an interrupted run left behind.
  for (const entry of entries) {
    const path = join(cacheRoot, entry);
    const info = await stat(path).catch(() => undefined);
    if (info && info.mtimeMs < cutoff) await rm(path, { recursive: true, force: true }).catch(() => {});
  }
}

/** Built in a private directory and renamed into place, so that a crash or a parallel run never sees half a cache. */
async function buildCache(
  cluster: FixtureCluster,
  cacheRoot: string,
  cacheDir: string,
  options: BackfillOptions,
): Promise<void> {
  await mkdir(cacheRoot, { recursive: true });
  const buildDir = await mkdtemp(join(cacheRoot, '.build-'));
  // Also removed by the exit hook: an interrupted build must not leave gigabytes of blocks behind.
  workDirs.add(buildDir);
  try {
    const tsdbDir = join(buildDir, 'tsdb');
    await mkdir(tsdbDir);
    const written = await writeTsdbBlocks(cluster, tsdbDir, {
      ...(options.signal ? { signal: options.signal } : {}),
      onProgress: (p) => options.onProgress?.({ phase: 'generating', ...p }),
    });
    await verifyTsdbBlocks(tsdbDir, written, options.signal);
    await writeFile(join(buildDir, 'generated.json'), JSON.stringify(written.generated));
    await rename(buildDir, cacheDir).catch((error: NodeJS.ErrnoException) => {
      // Another process built the same cache first; theirs is as good as ours.
      if (!existsSync(join(cacheDir, 'generated.json'))) throw error;
    });
  } finally {
    await rm(buildDir, { recursive: true, force: true });
    workDirs.delete(buildDir);
  }
}

export async function backfill(
  tsdbDir: string,
  openMetricsFile: string,
  expected: GeneratedCounts,
  options: BackfillOptions = {},
): Promise<GeneratedCounts> {
  await mkdir(tsdbDir, { recursive: true });
  // Blocks already there (another history backfilled into the same directory) are not this backfill's.
  const before = new Set(
    (await readdir(tsdbDir)).filter((name) => existsSync(join(tsdbDir, name, 'meta.json'))),
  );
  // promtool says nothing until it is done; the person waiting sees the time it has taken so far.
  const started = Date.now();
  const tick = () =>
    options.onProgress?.({
      phase: 'backfilling',
      samples: expected.samples,
      elapsedMs: Date.now() - started,
    });
  tick();
  const ticker = setInterval(tick, BACKFILL_TICK_MS);
  try {
    await run(
      'promtool',
      [
        'tsdb',
        'create-blocks-from',
        'openmetrics',
        '-q',
        `--max-block-duration=${MAX_BLOCK_DURATION}`,
        openMetricsFile,
        tsdbDir,
      ],
      options.signal,
    );
  } finally {
    clearInterval(ticker);
  }
  // promtool drops out-of-order and duplicate samples silently and still exits 0.
  const added = (await listBlocks(tsdbDir)).filter((block) => !before.has(block.ulid));
  const stored = added.reduce((sum, block) => sum + block.samples, 0);
  if (stored !== expected.samples) {
    throw new Error(
      `promtool stored ${stored} samples but ${expected.samples} were generated: ` +
        'some series are out of order or have duplicate timestamps',
    );
  }
  return expected;
}

/** For a hand-written file: samples are the non-comment lines, series the changes of the text before the value. */
export async function countOpenMetrics(file: string): Promise<GeneratedCounts> {
  let series = 0;
  let samples = 0;
  let previous = '';
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    if (line === '' || line.startsWith('#')) continue;
    samples++;
    const valueStart = line.lastIndexOf(' ', line.lastIndexOf(' ') - 1);
    const seriesText = line.slice(0, valueStart);
    if (seriesText !== previous) series++;
    previous = seriesText;
  }
  return { series, samples };
}
