// `npm run bench:fixture [-- --workloads 1000 --namespaces 40 --history-hours 24 --seed 1 --keep]`: what it costs to
// build a synthetic cluster's history as TSDB blocks (the fixture path of the tests, the demo and `npm run bench`),
// and to start Prometheus on it. Prints the time to generate and write the blocks, to check them with promtool,
// this process' peak RSS, the size on disk, and Prometheus' time to ready and to answer a first query. Run it under
// `/usr/bin/time -f %M` for the peak RSS of the process tree (promtool included).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { PrometheusClient } from '../src/core/prometheus/client.js';
import { startPrometheus } from '../src/demo/prometheus/prometheus-process.js';
import { verifyTsdbBlocks, writeTsdbBlocks } from '../src/demo/prometheus/tsdb-blocks/fixture-blocks.js';
import { buildSyntheticCluster } from '../test/support/fixture/synthetic-cluster.js';

const { values } = parseArgs({
  options: {
    workloads: { type: 'string', default: '1000' },
    namespaces: { type: 'string' },
    'history-hours': { type: 'string', default: '24' },
    seed: { type: 'string', default: '1' },
    keep: { type: 'boolean', default: false },
  },
});
const workloads = Number(values.workloads);
const namespaces = Number(values.namespaces ?? Math.max(1, Math.round(workloads / 25)));
const historyHours = Number(values['history-hours']);

const seconds = (ms: number) => (ms / 1000).toFixed(1);
const mib = (bytes: number) => (bytes / 1024 ** 2).toFixed(0);

const dir = mkdtempSync(join(tmpdir(), 'krr-mcp-fixture-bench-'));
try {
  let started = performance.now();
  const cluster = buildSyntheticCluster({
    workloads,
    namespaces,
    endTime: Math.floor(Date.now() / 1000),
    historySeconds: historyHours * 3600,
    seed: Number(values.seed),
  });
  const clusterMs = performance.now() - started;

  started = performance.now();
  let lastReport = 0;
  // How long the event loop waits for a turn at worst (what Ctrl-C and the demo's progress wait for).
  const eventLoopDelay = monitorEventLoopDelay({ resolution: 10 });
  eventLoopDelay.enable();
  const written = await writeTsdbBlocks(cluster, dir, {
    onProgress: ({ samples, totalSamples }) => {
      if (performance.now() - lastReport < 5000) return;
      lastReport = performance.now();
      process.stderr.write(`  ${((100 * samples) / totalSamples).toFixed(0)}% of ${totalSamples} samples\n`);
    },
  });
  const writeMs = performance.now() - started;
  eventLoopDelay.disable();
  const longestWaitMs = eventLoopDelay.max / 1e6;
  started = performance.now();
  await verifyTsdbBlocks(dir, written);
  const verifyMs = performance.now() - started;
  const peakRssBytes = process.resourceUsage().maxRSS * 1024;
  const diskBytes = Number(execFileSync('du', ['-sb', dir], { encoding: 'utf8' }).split('\t')[0]);
  const chunks = written.blocks.reduce((sum, block) => sum + block.stats.numChunks, 0);

  started = performance.now();
  const prometheus = await startPrometheus({ tsdbDir: dir });
  const startMs = performance.now() - started;
  let firstQueryMs: number;
  let count: number | undefined;
  try {
    started = performance.now();
    const result = await new PrometheusClient({ url: prometheus.url }).instantQuery(
      'count(max_over_time(container_memory_working_set_bytes{container!="",container!="POD"}[1h]))',
      cluster.endTime,
    );
    firstQueryMs = performance.now() - started;
    count = result[0]?.value;
  } finally {
    await prometheus.stop();
  }

  console.log(
    [
      `${workloads} workloads in ${namespaces} namespaces, ${historyHours} h: ` +
        `${written.generated.series} series, ${written.generated.samples} samples, ${chunks} chunks, ` +
        `${written.blocks.length} block(s)`,
      `  cluster model ${seconds(clusterMs)} s; blocks written in ${seconds(writeMs)} s ` +
        `(${(((written.generated.samples / writeMs) * 1000) / 1e6).toFixed(1)} M samples/s), ` +
        `checked by promtool in ${seconds(verifyMs)} s; longest wait for an event-loop turn ${longestWaitMs.toFixed(0)} ms`,
      `  peak RSS of this process ${mib(peakRssBytes)} MiB; on disk ${mib(diskBytes)} MiB ` +
        `(${(diskBytes / written.generated.samples).toFixed(2)} bytes/sample)`,
      `  Prometheus: ready ${seconds(prometheus.readyAfterMs)} s after its start ` +
        `(${seconds(startMs)} s with copying the blocks); first query ${seconds(firstQueryMs)} s ` +
        `(${count} memory series)`,
    ].join('\n'),
  );
} finally {
  if (values.keep) console.log(`  blocks kept in ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
