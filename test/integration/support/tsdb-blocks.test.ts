// Fixture histories are written as TSDB blocks directly (src/demo/prometheus/tsdb-blocks/); they used to be
// OpenMetrics text backfilled by promtool. A Prometheus loaded either way must answer every query alike, or every
// test built on the fixtures would check other numbers than the cluster model describes. So both ways are built
// here from the same clusters, a real Prometheus is started on each, and the answers are compared.

import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FixtureCluster } from '../../../src/demo/cluster-model.js';
import { writeOpenMetrics } from '../../../src/demo/prometheus/openmetrics-writer.js';
import { startPrometheus, type RunningPrometheus } from '../../../src/demo/prometheus/prometheus-process.js';
import { listBlocks } from '../../../src/demo/prometheus/promtool-tsdb.js';
import {
  verifyTsdbBlocks,
  writeTsdbBlocks,
  type WrittenBlocks,
} from '../../../src/demo/prometheus/tsdb-blocks/fixture-blocks.js';
import type { BlockLimits } from '../../../src/demo/prometheus/tsdb-blocks/tsdb-block-writer.js';
import { XorChunkEncoder } from '../../../src/demo/prometheus/tsdb-blocks/xor-chunk.js';
import { backfill } from '../../../src/demo/prometheus/tsdb-cache.js';
import { alignedEndTime, DAY, engineTestCluster, HOUR } from '../../support/fixture/engine-test-cluster.js';
import { buildSyntheticCluster } from '../../support/fixture/synthetic-cluster.js';
import { readChunks, readIndex } from '../../unit/demo/prometheus/tsdb-blocks/support/block-reader.js';
import { bitsToFloat } from '../../unit/demo/prometheus/tsdb-blocks/support/xor-decoder.js';

const end = alignedEndTime();
const engine = engineTestCluster(end);
const SHARED_HISTORY = 4 * HOUR;
const east: FixtureCluster = {
  ...buildSyntheticCluster({
    workloads: 12,
    namespaces: 3,
    endTime: end,
    historySeconds: SHARED_HISTORY,
    riskSeries: true,
  }),
  name: 'east',
  prometheusLabels: { cluster: 'east' },
};
const west: FixtureCluster = {
  ...buildSyntheticCluster({
    workloads: 8,
    namespaces: 2,
    endTime: end,
    historySeconds: SHARED_HISTORY,
    seed: 2,
  }),
  name: 'west',
  prometheusLabels: { cluster: 'west' },
};

const scratch = mkdtempSync(join(tmpdir(), 'krr-mcp-tsdb-blocks-test-'));
const started: RunningPrometheus[] = [];

interface BuiltBothWays {
  promtoolDir: string;
  blocksDir: string;
  written: WrittenBlocks[];
  promtool: RunningPrometheus;
  blocks: RunningPrometheus;
}

/** The clusters' history into one data dir through OpenMetrics and promtool, into another as blocks. */
async function buildBothWays(name: string, clusters: FixtureCluster[], limits?: Partial<BlockLimits>) {
  const promtoolDir = join(scratch, `${name}-promtool`);
  const blocksDir = join(scratch, `${name}-blocks`);
  mkdirSync(blocksDir);
  const written: WrittenBlocks[] = [];
  for (const [i, cluster] of clusters.entries()) {
    const file = join(scratch, `${name}-${i}.om`);
    await backfill(promtoolDir, file, await writeOpenMetrics(cluster, file));
    const blocks = await writeTsdbBlocks(cluster, blocksDir, limits ? { limits } : {});
    await verifyTsdbBlocks(blocksDir, blocks);
    written.push(blocks);
  }
  const [promtool, blocks] = await Promise.all([
    startPrometheus({ tsdbDir: promtoolDir }),
    startPrometheus({ tsdbDir: blocksDir }),
  ]);
  started.push(promtool, blocks);
  return { promtoolDir, blocksDir, written, promtool, blocks } satisfies BuiltBothWays;
}

let single: BuiltBothWays;
let shared: BuiltBothWays;

before(async () => {
  single = await buildBothWays('engine', [engine]);
  // Small limits: many blocks overlapping in time, and many chunk segments each.
  shared = await buildBothWays('shared', [east, west], { maxSeries: 150, maxSegmentBytes: 64 * 1024 });
});

after(async () => {
  await Promise.all(started.map((prometheus) => prometheus.stop()));
  rmSync(scratch, { recursive: true, force: true });
});

/** The answer's data, with result series in one order (Prometheus does not promise one for aggregations). */
async function ask(
  prometheus: RunningPrometheus,
  path: string,
  params: Record<string, string>,
): Promise<unknown> {
  // GET: the label values endpoint takes no POST.
  const response = await fetch(`${prometheus.url}${path}?${new URLSearchParams(params)}`);
  const body = (await response.json()) as { status: string; data: unknown; error?: string };
  assert.equal(body.status, 'success', `${path} ${JSON.stringify(params)}: ${body.error}`);
  const data = body.data as { result?: Array<{ metric: unknown }> } | unknown[];
  const key = (item: unknown) => JSON.stringify((item as { metric?: unknown }).metric ?? item);
  if (Array.isArray(data)) return [...data].sort((a, b) => key(a).localeCompare(key(b)));
  if (Array.isArray(data.result)) data.result.sort((a, b) => key(a).localeCompare(key(b)));
  return data;
}

const size = (data: unknown) =>
  Array.isArray(data) ? data.length : ((data as { result: unknown[] }).result.length ?? 0);

/** Both Prometheus servers give the same, non-empty answer (`atLeast` results). */
async function sameAnswer(built: BuiltBothWays, path: string, params: Record<string, string>, atLeast = 1) {
  const [expected, actual] = await Promise.all([
    ask(built.promtool, path, params),
    ask(built.blocks, path, params),
  ]);
  assert.ok(size(expected) >= atLeast, `${JSON.stringify(params)}: ${size(expected)} results`);
  assert.deepEqual(actual, expected, JSON.stringify(params));
  return actual;
}

const instant = (query: string, time = end) => ({ query, time: String(time) });

/** An instant query both answer alike, with at least `atLeast` results. */
const query = (built: BuiltBothWays, expression: string, atLeast = 1, time = end) =>
  sameAnswer(built, '/api/v1/query', instant(expression, time), atLeast);

/** A range query from `start` to the end both answer alike. */
const queryRange = (built: BuiltBothWays, expression: string, start: number, step: number, atLeast: number) =>
  sameAnswer(
    built,
    '/api/v1/query_range',
    { query: expression, start: String(start), end: String(end), step: String(step) },
    atLeast,
  );

describe('a Prometheus on the written blocks answers as one on the backfilled history', () => {
  const history = `${3 * DAY + 60}s`;
  const start = end - 3 * DAY;
  const app = 'container!="",container!="POD"';

  test('series counts by metric, and label names and values', async () => {
    await query(single, 'count by (__name__) ({__name__=~".+"})', 10);
    const span = { start: String(start), end: String(end) };
    await sameAnswer(single, '/api/v1/labels', span, 10);
    await sameAnswer(single, '/api/v1/label/pod/values', span, 5);
    await sameAnswer(single, '/api/v1/series', { 'match[]': 'kube_pod_owner', ...span }, 5);
  });

  test('max_over_time, quantile_over_time and rate over the whole history', async () => {
    await query(single, `max_over_time(container_memory_working_set_bytes{${app}}[${history}])`, 5);
    await query(
      single,
      `quantile_over_time(0.95, rate(container_cpu_usage_seconds_total{${app}}[75s])[3d:75s])`,
      5,
    );
    await query(single, 'rate(container_cpu_usage_seconds_total[75s])', 5, end - DAY);
  });

  test('range queries, with label matchers', async () => {
    const cpu = `rate(container_cpu_usage_seconds_total{${app},namespace=~"shop|batch"}[5m])`;
    await queryRange(single, `sum by (namespace) (${cpu})`, start, 1800, 2);
    const memory = `container_memory_working_set_bytes{namespace!="monitoring",${app}}`;
    await queryRange(single, `max_over_time(${memory}[1h])`, end - 2 * DAY, 3600, 5);
  });

  test('kube-state-metrics series: every sample of kube_pod_owner, the requests, the phases', async () => {
    await query(single, `kube_pod_owner[${history}]`, 5);
    await query(single, 'kube_pod_container_resource_requests{resource="memory"}', 5);
    await query(single, 'count by (phase) (kube_pod_status_phase == 1)');
  });

  test('a pod that starts and ends mid-history, and a duplicated cAdvisor series', async () => {
    const pod = 'pod="migrate-db-qwert",container="migrate"';
    const answer = (await query(single, `container_memory_working_set_bytes{${pod}}[${history}]`)) as {
      result: Array<{ values: Array<[number, string]> }>;
    };
    // From 12 h to 15 h after the history start.
    const times = answer.result[0]!.values.map(([time]) => time);
    assert.deepEqual(
      [times[0], times.at(-1), times.length],
      [start + 12 * HOUR, start + 15 * HOUR - 30, 360],
    );
    await query(single, `container_memory_working_set_bytes{id!=""}[${history}]`);
    const cpu = `max_over_time(container_cpu_usage_seconds_total{pod=~"web-.*"}[${history}])`;
    await query(single, `max by (container, pod, job) (${cpu})`, 3);
  });
});

describe('a shared Prometheus (clusters told apart by a label) on many overlapping blocks', () => {
  const history = `${SHARED_HISTORY + 60}s`;

  test('the blocks overlap and span several chunk segments', () => {
    const blocks = shared.written.flatMap((w) => w.blocks);
    assert.ok(blocks.length >= 4, `${blocks.length} blocks`);
    const [first, second] = blocks;
    assert.ok(first!.minTime < second!.maxTime && second!.minTime < first!.maxTime, 'overlapping');
    const segments = blocks.map((b) => readdirSync(join(shared.blocksDir, b.ulid, 'chunks')).length);
    assert.ok(Math.max(...segments) > 1, `segments per block: ${segments}`);
  });

  test('every series and every sample', async () => {
    const all = (await query(shared, `{__name__=~".+"}[${history}]`, 500)) as {
      result: unknown[];
    };
    const generated = shared.written.reduce((sum, w) => sum + w.generated.series, 0);
    assert.equal(all.result.length, generated);
  });

  test("every sample, looked up on its own (the index's chunk time ranges are exact)", async () => {
    // An instant query reads only the chunks whose indexed time range meets its window: with a 1 s window at
    // every scrape, a chunk whose range missed its first or last sample would lose that sample.
    const times = Array.from({ length: SHARED_HISTORY / 30 + 1 }, (_, i) => end - SHARED_HISTORY + 30 * i);
    const seriesWithASample = async (prometheus: RunningPrometheus) => {
      const counts: number[] = [];
      for (const time of times) {
        // last_over_time keeps the series' names; count_over_time drops them, and series that differ only by
        // name would collide.
        const query = instant('count(last_over_time({__name__=~".+"}[1s]))', time);
        const data = (await ask(prometheus, '/api/v1/query', query)) as {
          result: Array<{ value: [number, string] }>;
        };
        counts.push(Number(data.result[0]?.value[1] ?? 0));
      }
      return counts;
    };
    const [expected, actual] = await Promise.all([
      seriesWithASample(shared.promtool),
      seriesWithASample(shared.blocks),
    ]);
    assert.deepEqual(actual, expected);
    const generated = shared.written.reduce((sum, w) => sum + w.generated.samples, 0);
    assert.equal(
      actual.reduce((sum, count) => sum + count, 0),
      generated,
    );
  });

  test('the cluster label, rates and maxima per cluster', async () => {
    await query(shared, 'count by (cluster) ({__name__=~".+"})', 2);
    await query(shared, `max_over_time(container_memory_working_set_bytes{cluster="west"}[${history}])`, 5);
    await query(shared, 'sum by (cluster, namespace) (rate(container_cpu_usage_seconds_total[5m]))', 5);
    await query(shared, 'kube_pod_owner{cluster="east"}', 5);
  });
});

describe('the blocks as Prometheus reads them', () => {
  test('our encoder writes every chunk promtool wrote, byte for byte', () => {
    const encoder = new XorChunkEncoder(240);
    let chunks = 0;
    for (const dir of [single.promtoolDir, shared.promtoolDir]) {
      for (const block of readdirSync(dir).filter((name) => /^[0-9A-Z]{26}$/.test(name))) {
        for (const chunk of readChunks(join(dir, block))) {
          encoder.reset();
          for (const { time, bits } of chunk.samples) encoder.append(time, bitsToFloat(bits));
          const ours = Buffer.from(encoder.bytes.subarray(0, encoder.length));
          assert.deepEqual(ours, Buffer.from(chunk.data), `chunk ${chunk.ref} of ${block}`);
          chunks++;
        }
      }
    }
    assert.ok(chunks > 10_000, `${chunks} chunks`);
  });

  test('promtool lists and analyzes the blocks, and the check refuses a corrupted chunk or index', async () => {
    const listed = await listBlocks(shared.blocksDir);
    assert.deepEqual(
      listed.map((b) => b.ulid).sort(),
      shared.written.flatMap((w) => w.blocks.map((b) => b.ulid)).sort(),
    );
    const written = single.written[0]!;
    const ulid = written.blocks[0]!.ulid;
    const corrupt = async (file: string, at: (bytes: Buffer) => number, message: RegExp) => {
      const copy = join(scratch, `corrupt-${file.replace('/', '-')}`);
      cpSync(single.blocksDir, copy, { recursive: true });
      const path = join(copy, ulid, file);
      const bytes = readFileSync(path);
      bytes[at(bytes)]! ^= 0x01;
      writeFileSync(path, bytes);
      await assert.rejects(verifyTsdbBlocks(copy, written), message);
    };
    // A byte inside the last chunk's data, and one inside the first series' entry in the index.
    await corrupt('chunks/000001', (bytes) => bytes.length - 10, /checksum mismatch/);
    const firstSeries = readIndex(join(single.blocksDir, ulid, 'index')).series[0]!.ref * 16;
    await corrupt('index', () => firstSeries + 3, /invalid checksum/);
  });
});
