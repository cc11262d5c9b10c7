// `npm run bench [-- SIZES...] [--history-hours H] [--strategy S] [--fleet N] [--runs N] [--end-time T]`:
// for synthetic clusters of about 100, 300 and 1,000 workloads (or the sizes given), runs our scan (the built
// CLI, as a user runs it) and a replay of krr's own per-object query plan against the same real Prometheus,
// checks that both give the same recommendations, and prints query counts, wall times, their ratios and our
// peak RSS side by side, with Prometheus' own time for exactly our queries (replayed one at a time, and phase
// by phase `--in-flight` at once) and the CPU time Prometheus spends on each side. `--fleet N` spreads the
// workloads over N clusters in one shared Prometheus with a `cluster` label, scanned by one `krr-mcp scan -c … --prometheus-label cluster`, against one krr run per
// cluster. With `--runs N`, every figure is the median (and the minimum) of N rounds, ratios within a round.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { ScanResult } from '../src/core/recommend/model.js';
import { parseStrategyConfig } from '../src/core/recommend/settings.js';
import { createStrategy } from '../src/core/recommend/strategies/strategy.js';
import { startBenchClusters } from './bench-clusters.js';
import { runCliScan } from './cli-scan.js';
import { checkRecommendations, runKrrPlan, type RecommendationCheck } from './krr-plan-check.js';
import { cpuDuring } from './process-cpu.js';
import { replayOneAtATime, replayPhaseOrdered } from './prometheus-lower-bound.js';
import { startRecordingProxy } from './recording-proxy.js';

const { values, positionals } = parseArgs({
  options: {
    'history-hours': { type: 'string', default: '24' },
    strategy: { type: 'string', default: 'simple' },
    fleet: { type: 'string', default: '0' },
    runs: { type: 'string', default: '1' },
    'end-time': { type: 'string' },
    'in-flight': { type: 'string', default: '4' },
  },
  allowPositionals: true,
});
const sizes = positionals.length > 0 ? positionals.map(Number) : [100, 300, 1000];
const historyHours = Number(values['history-hours']);
const strategyName = values.strategy === 'simple_limit' ? 'simple_limit' : 'simple';
const fleet = Number(values.fleet);
if (!Number.isInteger(fleet) || fleet === 1 || fleet < 0)
  throw new Error('--fleet takes 0 (one cluster with its own Prometheus) or 2 or more clusters');
const runs = Math.max(1, Number(values.runs));
const inFlight = Number(values['in-flight']);
// Whole hours, so that runs within the same hour reuse the generated history from the cache; a fixed
// `--end-time` reuses it across hours.
const endTime = values['end-time']
  ? Number(values['end-time'])
  : Math.floor((Date.now() / 1000 - 120) / 3600) * 3600;

interface Round {
  ours: { wallS: number; listingS: number; rssMb: number | undefined; queries: number };
  krr: { wallS: number; queries: number };
  oneAtATimeS: number;
  phaseOrderedS: number;
  /** CPU seconds Prometheus spent on each side's queries. */
  prometheusCpuS: { ours: number | undefined; krr: number | undefined };
}

interface Measured {
  workloads: number;
  clusters: number;
  series: number;
  samples: number;
  setupS: number;
  rounds: Round[];
  check: RecommendationCheck;
}

async function measure(size: number): Promise<Measured> {
  const dir = mkdtempSync(join(tmpdir(), 'krr-mcp-bench-'));
  const setupStarted = performance.now();
  const env = await startBenchClusters({
    workloads: size,
    fleet,
    historyHours,
    endTime,
    kubeconfigPath: join(dir, 'kubeconfig'),
  });
  try {
    const setupS = (performance.now() - setupStarted) / 1000;
    const strategy = createStrategy(parseStrategyConfig(strategyName, { history_duration: historyHours }));
    const args = (url: string) => [
      'scan',
      strategyName,
      '--kubeconfig',
      env.kubeconfig,
      ...env.contexts.flatMap((c) => ['-c', c]),
      '-p',
      url,
      ...(env.clusterLabelName ? ['--prometheus-label', env.clusterLabelName] : []),
      '--at',
      String(endTime),
      '--history-duration',
      String(historyHours),
      '-f',
      'json',
      '-v',
    ];

    // The warm-up scan goes through the recording proxy: it warms Prometheus' page cache once, so that no
    // side pays for the first read of the blocks, and records the queries the lower bound replays.
    const proxy = await startRecordingProxy(env.prometheusUrl);
    try {
      await runCliScan(args(proxy.url));
    } finally {
      await proxy.stop();
    }

    const rounds: Round[] = [];
    let last: { krr: Awaited<ReturnType<typeof runKrrPlan>>; ours: ScanResult } | undefined;
    for (let round = 0; round < runs; round++) {
      const oneAtATimeS = await replayOneAtATime(env.prometheusUrl, proxy.requests);
      const phaseOrderedS = await replayPhaseOrdered(env.prometheusUrl, proxy.requests, inFlight);
      const { result: krr, cpuS: krrCpuS } = await cpuDuring(env.prometheusPid, () =>
        runKrrPlan({
          kubeconfig: env.kubeconfig,
          contexts: env.contexts,
          prometheusUrl: env.prometheusUrl,
          clusterLabelName: env.clusterLabelName,
          strategy,
          time: endTime,
        }),
      );
      const { result: ours, cpuS: oursCpuS } = await cpuDuring(env.prometheusPid, () =>
        runCliScan(args(env.prometheusUrl)),
      );
      rounds.push({
        ours: { wallS: ours.wallS, listingS: ours.listingS, rssMb: ours.rssMb, queries: ours.queries },
        krr: { wallS: krr.wallS, queries: krr.queries },
        oneAtATimeS,
        phaseOrderedS,
        prometheusCpuS: { ours: oursCpuS, krr: krrCpuS },
      });
      last = { krr, ours: JSON.parse(ours.stdout) as ScanResult };
    }
    const check = checkRecommendations(last!.krr, last!.ours, strategy);
    return {
      workloads: last!.krr.clusters.reduce((n, c) => n + new Set(c.replayed.map(workloadOf)).size, 0),
      clusters: env.contexts.length,
      series: env.series,
      samples: env.samples,
      setupS,
      rounds,
      check,
    };
  } finally {
    await env.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const workloadOf = (r: { object: { namespace: string; kind: string; name: string } }) =>
  `${r.object.namespace}/${r.object.kind}/${r.object.name}`;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
/** `median` alone for one round, `median (min)` for several. */
const figure = (xs: number[], digits: number, unit = '') =>
  xs.length === 1
    ? `${xs[0]!.toFixed(digits)}${unit}`
    : `${median(xs).toFixed(digits)}${unit} (${Math.min(...xs).toFixed(digits)}${unit})`;
const ratio = (xs: number[]) => figure(xs, 1, 'x');

const rows: Measured[] = [];
console.log(
  `krr-mcp scan vs krr's query plan (${strategyName}, ${historyHours} h of history at a 30 s scrape interval` +
    `${fleet > 0 ? `, ${fleet} clusters in one Prometheus told apart by a cluster label` : ''}` +
    `${runs > 1 ? `; median (min) of ${runs} rounds` : ''})`,
);
for (const size of sizes) {
  const m = await measure(size);
  rows.push(m);
  console.log(
    `  ${size} workloads${fleet > 0 ? ` (${m.clusters} × ${Math.round(size / m.clusters)})` : ''}: ` +
      `setup ${m.setupS.toFixed(1)} s (${m.series} series, ${(m.samples / 1e6).toFixed(1)} M samples), ` +
      `${m.check.matched}/${m.check.objects} recommendations identical`,
  );
  for (const line of m.check.mismatches.slice(0, 5)) console.log(`    MISMATCH ${line}`);
}
const defined = (xs: Array<number | undefined>) => xs.filter((x): x is number => x !== undefined);
const printTable = (title: string, header: string[], table: string[][]) => {
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i]!.length)));
  console.log(`\n${title}`);
  for (const r of [header, ...table]) console.log(r.map((c, i) => c.padStart(widths[i]!)).join('  '));
};
printTable(
  "Against krr's plan",
  [
    'workloads',
    'containers',
    'queries ours',
    'queries krr plan',
    'ratio',
    'wall ours (s)',
    'wall krr plan (s)',
    'ratio',
    'peak RSS ours (MB)',
    'identical',
  ],
  rows.map((m) => {
    const r = m.rounds;
    const rss = defined(r.map((x) => x.ours.rssMb));
    return [
      String(m.workloads),
      String(m.check.objects),
      String(r[0]!.ours.queries),
      String(r[0]!.krr.queries),
      `${(r[0]!.krr.queries / r[0]!.ours.queries).toFixed(1)}x`,
      figure(
        r.map((x) => x.ours.wallS),
        2,
      ),
      figure(
        r.map((x) => x.krr.wallS),
        2,
      ),
      ratio(r.map((x) => x.krr.wallS / x.ours.wallS)),
      rss.length ? figure(rss, 0) : 'n/a',
      `${m.check.matched}/${m.check.objects}`,
    ];
  }),
);
printTable(
  'Against Prometheus alone',
  [
    'workloads',
    'wall ours (s)',
    'of which listing (s)',
    'Prometheus alone (s)',
    'ours / alone',
    `phase-ordered, ${inFlight} at once (s)`,
    'Prometheus CPU ours (s)',
    'Prometheus CPU krr plan (s)',
  ],
  rows.map((m) => {
    const r = m.rounds;
    const cpu = (side: 'ours' | 'krr') => {
      const xs = defined(r.map((x) => x.prometheusCpuS[side]));
      return xs.length ? figure(xs, 2) : 'n/a';
    };
    return [
      String(m.workloads),
      figure(
        r.map((x) => x.ours.wallS),
        2,
      ),
      figure(
        r.map((x) => x.ours.listingS),
        2,
      ),
      figure(
        r.map((x) => x.oneAtATimeS),
        2,
      ),
      ratio(r.map((x) => x.ours.wallS / x.oneAtATimeS)),
      figure(
        r.map((x) => x.phaseOrderedS),
        2,
      ),
      cpu('ours'),
      cpu('krr'),
    ];
  }),
);
console.log(
  '\nwall ours: the whole CLI process (start, listing through the API simulator, discovery, usage, output); ' +
    "krr plan: its listing and queries. Prometheus alone: our scan's recorded requests replayed straight at " +
    'Prometheus one at a time (the sum of their times), then phase by phase with a few at once.',
);
if (rows.some((m) => m.check.mismatches.length > 0)) process.exitCode = 1;
