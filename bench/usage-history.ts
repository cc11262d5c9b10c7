// `npm run bench:history [-- --workloads 50 --history-hours 336 --runs 3] [--demo]`: what the usage history and
// the risk signals add to a plan, against the real Prometheus. A synthetic cluster (restart counters for every
// container, CFS throttling where a CPU limit is set) is scanned once; then every one of its workloads goes into
// "the plan", and the full history (charts + signals, as the approval panel loads it) and the signals alone (as
// the table, the tree and scan_recommendations load them) are read `runs` times. `--demo` measures the demo
// cluster's scan with and without the table's signals.
import { parseArgs } from 'node:util';
import { loadScanHistory } from '../src/core/evidence/scan-history.js';
import { loadScanSignals } from '../src/core/evidence/scan-signals.js';
import { historyKey } from '../src/core/evidence/usage-history.js';
import { loadKubeTarget } from '../src/core/kube/kubeconfig.js';
import { PrometheusClient } from '../src/core/prometheus/client.js';
import { parseStrategyConfig } from '../src/core/recommend/settings.js';
import { scanCluster } from '../src/core/scan/scanner.js';
import type { FixtureCluster } from '../src/demo/cluster-model.js';
import { buildDemoCluster } from '../src/demo/demo-cluster.js';
import { startEngineEnvironment } from '../test/support/engine-environment.js';
import { buildSyntheticCluster } from '../test/support/fixture/synthetic-cluster.js';

const { values } = parseArgs({
  options: {
    workloads: { type: 'string', default: '50' },
    'history-hours': { type: 'string', default: '336' },
    runs: { type: 'string', default: '3' },
    demo: { type: 'boolean', default: false },
  },
});
const workloads = Number(values.workloads);
const historyHours = Number(values['history-hours']);
const runs = Math.max(1, Number(values.runs));

interface Figure {
  queries: number;
  ms: number;
  bytes?: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Runs `work` `runs` times on a client of its own; queries of the last run, median wall time. */
async function measure(url: string, work: (client: PrometheusClient) => Promise<unknown>): Promise<Figure> {
  const times: number[] = [];
  let queries = 0;
  let bytes: number | undefined;
  for (let i = 0; i < runs; i++) {
    const client = new PrometheusClient({ url });
    const started = performance.now();
    const output = await work(client);
    times.push(performance.now() - started);
    queries = client.queryCount;
    bytes = output === undefined ? undefined : JSON.stringify(output).length;
  }
  return { queries, ms: Math.round(median(times)), ...(bytes !== undefined ? { bytes } : {}) };
}

async function benchCluster(label: string, cluster: FixtureCluster, hours: number): Promise<void> {
  const setupStarted = performance.now();
  const env = await startEngineEnvironment(cluster);
  console.log(
    `${label}: ${cluster.workloads.length} workloads, ${env.prometheus.generated.series} series, ${env.prometheus.generated.samples} samples, ${hours} h history (setup ${Math.round((performance.now() - setupStarted) / 1000)} s)`,
  );
  try {
    const kube = loadKubeTarget({ kubeconfig: env.kubeconfig });
    const time = env.cluster.endTime;
    const options = {
      strategy: parseStrategyConfig('simple', { history_duration: hours }),
      minimums: { cpu_min_value: 10, memory_min_value: 100 },
      namespaces: [],
      kinds: [],
      time,
    };
    const scanned = await scanCluster(kube, new PrometheusClient({ url: env.prometheus.url }), options);
    const keys = scanned.result.scans.map((s) => historyKey(s.object));
    const scan = await measure(env.prometheus.url, (client) =>
      scanCluster(kube, client, options).then(() => undefined),
    );
    const signals = await measure(env.prometheus.url, (client) =>
      loadScanSignals(kube, client, scanned.result.scans, { time, historyHours: hours }).then((s) => [
        ...s.signals,
      ]),
    );
    const history = await measure(env.prometheus.url, (client) =>
      loadScanHistory(kube, client, scanned.result, keys, { time, observed: scanned.observed }),
    );
    const historyOwnPercentile = await measure(env.prometheus.url, (client) =>
      loadScanHistory(kube, client, scanned.result, keys, { time }),
    );
    const atRisk = [
      ...(
        await loadScanSignals(kube, new PrometheusClient({ url: env.prometheus.url }), scanned.result.scans, {
          time,
          historyHours: hours,
        })
      ).signals.values(),
    ].filter((s) => s.atRisk).length;
    const row = (name: string, f: Figure) =>
      `  ${name.padEnd(46)} ${String(f.queries).padStart(4)} queries ${String(f.ms).padStart(7)} ms${f.bytes !== undefined ? `  ${(f.bytes / 1024).toFixed(0).padStart(6)} KiB JSON` : ''}`;
    console.log(`  ${keys.length} containers, ${atRisk} at risk (median of ${runs} runs)`);
    console.log(row('scan (krr recommendations)', scan));
    console.log(row('+ risk signals (table, tree, MCP scan)', signals));
    console.log(row('+ usage history, scan p95 reused (a plan)', history));
    console.log(row('+ usage history, p95 read again', historyOwnPercentile));
  } finally {
    await env.stop();
  }
}

const end = Math.floor((Date.now() / 1000 - 120) / 3600) * 3600;
await benchCluster(
  `synthetic plan of ${workloads} workloads`,
  buildSyntheticCluster({
    workloads,
    namespaces: 4,
    endTime: end,
    historySeconds: historyHours * 3600,
    riskSeries: true,
  }),
  historyHours,
);
if (values.demo) await benchCluster('demo cluster', buildDemoCluster(Date.now() / 1000), 336);
