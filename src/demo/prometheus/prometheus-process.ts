// A real Prometheus (Debian's 2.42) on loopback, loaded with a generated history, for integration tests.
//
// Blocks first, start second: blocks added to a running Prometheus only show up after its 60 s reload
// (tsdb-cache.ts writes and caches a fixture's blocks; an OpenMetrics file is backfilled with promtool).

import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { FixtureCluster } from '../cluster-model.js';
import { installExitHook, running, sleep, terminate, workDirs } from './child-processes.js';
import { listBlocks } from './promtool-tsdb.js';
import type { GeneratedCounts } from './series-sink.js';
import { backfill, copyCachedTsdb, countOpenMetrics, type BackfillOptions } from './tsdb-cache.js';

export type { BackfillProgress } from './tsdb-cache.js';

export interface RunningPrometheus {
  url: string;
  pid: number;
  dataDir: string;
  generated: GeneratedCounts;
  /** From starting the process to its /-/ready answering (of the attempt that got its port). */
  readyAfterMs: number;
  stop(): Promise<void>;
}

/**
 * What the Prometheus holds: one cluster's history, several clusters' (a shared Prometheus: each cluster's
 * series carry its `prometheusLabels`, and their blocks sit side by side), a given OpenMetrics file, or a copy
 * of a TSDB directory built beforehand (its blocks' counts from promtool).
 */
export type PrometheusSource =
  | { cluster: FixtureCluster }
  | { clusters: FixtureCluster[] }
  | { openMetricsFile: string }
  | { tsdbDir: string };

export interface StartOptions extends BackfillOptions {
  logLevel?: string;
}

const READY_TIMEOUT_MS = 30_000;
const PORT_ATTEMPTS = 5;
const NOT_INSTALLED = 'Prometheus is not installed: apt-get install -y --no-install-recommends prometheus';
const CONFIG = `global:
  scrape_interval: 30s
  evaluation_interval: 30s
scrape_configs: []
`;

export async function startPrometheus(
  source: PrometheusSource,
  more: StartOptions = {},
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
    const generated = await loadSource(source, dataDir, more);
    const configFile = join(workDir, 'prometheus.yml');
    await writeFile(configFile, CONFIG);
    const { child, url, readyAfterMs } = await launch({
      workDir,
      dataDir,
      configFile,
      logLevel: more.logLevel ?? 'warn',
    });
    return {
      url,
      pid: child.pid!,
      dataDir,
      generated,
      readyAfterMs,
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

async function loadSource(
  source: PrometheusSource,
  dataDir: string,
  options: StartOptions,
): Promise<GeneratedCounts> {
  if ('cluster' in source) return copyCachedTsdb(source.cluster, dataDir, options);
  if ('clusters' in source) return copyCachedTsdbs(source.clusters, dataDir, options);
  if ('tsdbDir' in source) {
    // A copy: Prometheus writes its WAL and compacts blocks in its data dir.
    await cp(source.tsdbDir, dataDir, { recursive: true });
    const blocks = await listBlocks(dataDir, options.signal);
    return blocks.reduce((sum, b) => ({ series: sum.series + b.series, samples: sum.samples + b.samples }), {
      series: 0,
      samples: 0,
    });
  }
  const file = source.openMetricsFile;
  return backfill(dataDir, file, await countOpenMetrics(file), options);
}

/** Every cluster's blocks in one data dir; Prometheus reads overlapping blocks side by side. */
async function copyCachedTsdbs(
  clusters: readonly FixtureCluster[],
  dataDir: string,
  options: StartOptions,
): Promise<GeneratedCounts> {
  const labels = clusters.map((c) => JSON.stringify(c.prometheusLabels ?? {}));
  if (new Set(labels).size !== clusters.length)
    throw new Error('clusters sharing a Prometheus need prometheusLabels that tell them apart');
  const total = { series: 0, samples: 0 };
  for (const cluster of clusters) {
    const generated = await copyCachedTsdb(cluster, dataDir, options);
    total.series += generated.series;
    total.samples += generated.samples;
  }
  return total;
}

function requireBinaries(): void {
  const path = process.env.PATH ?? '';
  for (const binary of ['prometheus', 'promtool']) {
    if (!path.split(delimiter).some((dir) => dir && existsSync(join(dir, binary))))
      throw new Error(NOT_INSTALLED);
  }
}

interface LaunchOptions {
  workDir: string;
  dataDir: string;
  configFile: string;
  logLevel: string;
}

async function launch(
  options: LaunchOptions,
): Promise<{ child: ChildProcess; url: string; readyAfterMs: number }> {
  const logFile = join(options.workDir, 'prometheus.log');
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const spawned = performance.now();
    const child = spawnPrometheus(options, port, logFile);
    const outcome = await waitUntilReady(child, url);
    if (outcome === 'ready') return { child, url, readyAfterMs: performance.now() - spawned };
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
