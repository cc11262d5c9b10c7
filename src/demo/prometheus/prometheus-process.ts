// A real Prometheus (Debian's 2.42) on loopback, loaded with a backfilled history, for integration tests.
//
// Backfill first, start second: blocks added to a running Prometheus only show up after its 60 s reload.
// Backfilled TSDBs are cached per cluster, because promtool is the slow step and many tests share fixtures.

import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, existsSync, openSync, rmSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { createInterface } from 'node:readline';
import type { FixtureCluster } from '../cluster-model.js';
import { writeOpenMetrics, type GeneratedCounts } from './openmetrics-generator.js';

export interface RunningPrometheus {
  url: string;
  pid: number;
  dataDir: string;
  generated: GeneratedCounts;
  stop(): Promise<void>;
}

export type PrometheusSource = { cluster: FixtureCluster } | { openMetricsFile: string };

/**
 * promtool cuts blocks at multiples (since the epoch) of the largest 2h·3ⁿ not above this, and re-reads the whole
 * input once per block, so the fewer blocks the faster. Measured on this 2-core machine: 100 workloads × 24 h
 * (10.2 M samples) 42.7 s with 24h (3 blocks), 23–25 s with 168h (1), 21 s with 13122h (1); 50 workloads × 14 d
 * (65.8 M) 244 s with 168h (3 blocks), 185 s with 1458h (2). 13122h (1.5 years) almost never splits a history.
 */
const MAX_BLOCK_DURATION = '13122h';
/** Bump when the generator's output changes, so that stale cached TSDBs are not reused. */
const GENERATOR_VERSION = 2;
const CACHE_UNUSED_MS = 24 * 3600 * 1000;
const READY_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 5_000;
const PORT_ATTEMPTS = 5;
const NOT_INSTALLED = 'Prometheus is not installed: apt-get install -y --no-install-recommends prometheus';
const CONFIG = `global:
  scrape_interval: 30s
  evaluation_interval: 30s
scrape_configs: []
`;

const running = new Set<ChildProcess>();
/** Work dirs not yet removed by stop(), so that the exit hook can remove them too. */
const workDirs = new Set<string>();
let exitHookInstalled = false;

export async function startPrometheus(
  source: PrometheusSource,
  more: { logLevel?: string } = {},
): Promise<RunningPrometheus> {
  requireBinaries();
  installExitHook();
  const workDir = await mkdtemp(join(tmpdir(), 'krr-mcp-prometheus-'));
  workDirs.add(workDir);
  const removeWorkDir = async (): Promise<void> => {
    await rm(workDir, { recursive: true, force: true });
    workDirs.delete(workDir);
  };
  try {
    const dataDir = join(workDir, 'data');
    const generated =
      'cluster' in source
        ? await copyCachedTsdb(source.cluster, dataDir)
        : await backfill(dataDir, source.openMetricsFile, await countOpenMetrics(source.openMetricsFile));
    const configFile = join(workDir, 'prometheus.yml');
    await writeFile(configFile, CONFIG);
    const { child, url } = await launch({ workDir, dataDir, configFile, logLevel: more.logLevel ?? 'warn' });
    return {
      url,
      pid: child.pid!,
      dataDir,
      generated,
      stop: async () => {
        await terminate(child);
        await removeWorkDir();
      },
    };
  } catch (error) {
    await removeWorkDir();
    throw error;
  }
}

function requireBinaries(): void {
  const path = process.env.PATH ?? '';
  for (const binary of ['prometheus', 'promtool']) {
    if (!path.split(delimiter).some((dir) => dir && existsSync(join(dir, binary))))
      throw new Error(NOT_INSTALLED);
  }
}

/**
 * Tests must never leave a Prometheus behind, also when they fail, forget stop(), or are interrupted. The children
 * are unref'd, so a forgotten one does not keep the test process alive; this hook then kills it on the way out.
 */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  const killAll = (): void => {
    for (const child of running) killGroup(child, 'SIGKILL');
    for (const workDir of workDirs) rmSync(workDir, { recursive: true, force: true, maxRetries: 3 });
  };
  process.on('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    const onSignal = (): void => {
      killAll();
      process.removeListener(signal, onSignal);
      // Keep the default behaviour (dying of the signal) unless the program handles the signal itself.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}

async function copyCachedTsdb(cluster: FixtureCluster, dataDir: string): Promise<GeneratedCounts> {
  const cacheRoot = join(tmpdir(), 'krr-mcp-tsdb-cache');
  const key = createHash('sha256').update(
    `${GENERATOR_VERSION}:${MAX_BLOCK_DURATION}:${JSON.stringify(cluster)}`,
  );
  const cacheDir = join(cacheRoot, key.digest('hex').slice(0, 32));
  if (!existsSync(join(cacheDir, 'generated.json'))) {
    await pruneCache(cacheRoot);
    await buildCache(cluster, cacheRoot, cacheDir);
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
async function buildCache(cluster: FixtureCluster, cacheRoot: string, cacheDir: string): Promise<void> {
  await mkdir(cacheRoot, { recursive: true });
  const buildDir = await mkdtemp(join(cacheRoot, '.build-'));
  try {
    const openMetricsFile = join(buildDir, 'history.om');
    const generated = await writeOpenMetrics(cluster, openMetricsFile);
    await backfill(join(buildDir, 'tsdb'), openMetricsFile, generated);
    await rm(openMetricsFile, { force: true });
    await writeFile(join(buildDir, 'generated.json'), JSON.stringify(generated));
    await rename(buildDir, cacheDir).catch((error: NodeJS.ErrnoException) => {
      // Another process built the same cache first; theirs is as good as ours.
      if (!existsSync(join(cacheDir, 'generated.json'))) throw error;
    });
  } finally {
    await rm(buildDir, { recursive: true, force: true });
  }
}

async function backfill(
  tsdbDir: string,
  openMetricsFile: string,
  expected: GeneratedCounts,
): Promise<GeneratedCounts> {
  await mkdir(tsdbDir, { recursive: true });
  await run('promtool', [
    'tsdb',
    'create-blocks-from',
    'openmetrics',
    '-q',
    `--max-block-duration=${MAX_BLOCK_DURATION}`,
    openMetricsFile,
    tsdbDir,
  ]);
  // promtool drops out-of-order and duplicate samples silently and still exits 0.
  const stored = await storedSamples(tsdbDir);
  if (stored !== expected.samples) {
    throw new Error(
      `promtool stored ${stored} samples but ${expected.samples} were generated: ` +
        'some series are out of order or have duplicate timestamps',
    );
  }
  return expected;
}

async function storedSamples(tsdbDir: string): Promise<number> {
  const listing = await run('promtool', ['tsdb', 'list', tsdbDir]);
  const [header, ...rows] = listing.trim().split('\n');
  // A space-aligned table; header names contain single spaces, values none.
  const column = (header ?? '')
    .trim()
    .split(/\s{2,}/)
    .indexOf('NUM SAMPLES');
  const counts = rows.map((row) => Number(row.trim().split(/\s+/)[column]));
  if (column < 0 || counts.some((count) => !Number.isInteger(count))) {
    throw new Error(`unexpected promtool tsdb list output:\n${listing}`);
  }
  return counts.reduce((sum, count) => sum + count, 0);
}

/** For a hand-written file: samples are the non-comment lines, series the changes of the text before the value. */
async function countOpenMetrics(file: string): Promise<GeneratedCounts> {
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

/**
 * Runs promtool without blocking the event loop (a backfill takes up to a minute, and Ctrl-C must stop the demo
 * meanwhile), in its own process group so that the exit hook can kill it.
 */
function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    running.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (c: Buffer) => (stdout += c));
    child.stderr?.on('data', (c: Buffer) => (stderr += c));
    child.once('error', (error) => {
      running.delete(child);
      reject(error);
    });
    child.once('close', (code, signal) => {
      running.delete(child);
      if (code === 0) resolve(stdout);
      else reject(new Error(`${command} ${args.join(' ')} failed (${code ?? signal}):\n${stderr}`));
    });
  });
}

interface LaunchOptions {
  workDir: string;
  dataDir: string;
  configFile: string;
  logLevel: string;
}

async function launch(options: LaunchOptions): Promise<{ child: ChildProcess; url: string }> {
  const logFile = join(options.workDir, 'prometheus.log');
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const child = spawnPrometheus(options, port, logFile);
    const outcome = await waitUntilReady(child, url);
    if (outcome === 'ready') return { child, url };
    await terminate(child);
    const log = await readFile(logFile, 'utf8').catch(() => '');
    // Another process can take the port between freePort() and Prometheus binding it.
    if (/address already in use/i.test(log) && attempt < PORT_ATTEMPTS) continue;
    const tail = log.split('\n').slice(-30).join('\n');
    throw new Error(`Prometheus did not become ready at ${url} (${outcome}). Log tail:\n${tail}`);
  }
}

function spawnPrometheus(options: LaunchOptions, port: number, logFile: string): ChildProcess {
  const log = openSync(logFile, 'w');
  try {
    const child = spawn(
      'prometheus',
      [
        `--config.file=${options.configFile}`,
        `--storage.tsdb.path=${options.dataDir}`,
        // Fixtures have fixed timestamps and retention is enforced at startup: keep everything.
        '--storage.tsdb.retention.time=100y',
        `--web.listen-address=127.0.0.1:${port}`,
        `--log.level=${options.logLevel}`,
      ],
      // Its own process group, so that stop() and the exit hook reach anything it might start.
      { detached: true, stdio: ['ignore', log, log] },
    );
    child.unref();
    running.add(child);
    child.once('exit', () => running.delete(child));
    return child;
  } finally {
    closeSync(log);
  }
}

async function waitUntilReady(child: ChildProcess, url: string): Promise<'ready' | string> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      return `exited with ${child.exitCode ?? child.signalCode}`;
    }
    try {
      const response = await fetch(`${url}/-/ready`);
      if (response.ok) return 'ready';
    } catch {
      // Not listening yet.
    }
    await sleep(100);
  }
  return `not ready after ${READY_TIMEOUT_MS / 1000} s`;
}

async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  killGroup(child, 'SIGTERM');
  const timedOut = await Promise.race([exited.then(() => false), sleep(STOP_GRACE_MS).then(() => true)]);
  if (timedOut) {
    killGroup(child, 'SIGKILL');
    await exited;
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
