// `npm run bench [-- SIZES...] [--history-hours H]`: for synthetic clusters of about 100, 300 and 1,000
// workloads, runs our scan (the built CLI, as a user runs it) and a replay of krr's own per-object
// query plan against the same real Prometheus, checks that both give the same recommendations, and
// prints query counts, wall times, their ratios and our peak RSS side by side.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { hpaKey, listHpas } from '../src/core/kube/hpas.js';
import { loadKubeTarget } from '../src/core/kube/kubeconfig.js';
import { WorkloadLister } from '../src/core/kube/workloads.js';
import { PrometheusClient } from '../src/core/prometheus/client.js';
import type { ResourceScan, ScanResult } from '../src/core/recommend/model.js';
import { roundRecommendation } from '../src/core/recommend/rounding.js';
import { parseStrategyConfig } from '../src/core/recommend/settings.js';
import { createStrategy } from '../src/core/recommend/strategies/strategy.js';
import { CLI_PATH } from '../test/support/cli/run-cli.js';
import { buildSyntheticCluster } from '../test/support/fixture/synthetic-cluster.js';
import { fixtureObjects, startKubeSimulator } from '../src/demo/kube-simulator/index.js';
import { startPrometheus } from '../src/demo/prometheus/prometheus-process.js';
import { replayKrrPlan } from './krr-query-plan.js';

const { values, positionals } = parseArgs({
  options: {
    'history-hours': { type: 'string', default: '24' },
    strategy: { type: 'string', default: 'simple' },
  },
  allowPositionals: true,
});
const sizes = positionals.length > 0 ? positionals.map(Number) : [100, 300, 1000];
const historyHours = Number(values['history-hours']);
const strategyName = values.strategy === 'simple_limit' ? 'simple_limit' : 'simple';

interface Measured {
  workloads: number;
  objects: number;
  series: number;
  samples: number;
  setupS: number;
  ours: { queries: number; wallS: number; rssMb: number | undefined };
  krr: { queries: number; wallS: number };
  matched: number;
  mismatches: string[];
}

/** Runs the built CLI; `/usr/bin/time` reports its peak RSS. */
function runOurScan(
  args: string[],
): Promise<{ stdout: string; stderr: string; wallS: number; rssMb: number | undefined }> {
  const timed = existsSync('/usr/bin/time');
  const [command, argv] = timed
    ? ['/usr/bin/time', ['-f', 'MAXRSS_KB=%M', process.execPath, CLI_PATH, ...args]]
    : [process.execPath, [CLI_PATH, ...args]];
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command as string, argv as string[], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c));
    child.stderr.on('data', (c: Buffer) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallS = (performance.now() - started) / 1000;
      if (code !== 0) return reject(new Error(`scan failed (${code}): ${stderr}`));
      const rss = /MAXRSS_KB=(\d+)/.exec(stderr);
      resolve({ stdout, stderr, wallS, rssMb: rss ? Number(rss[1]) / 1024 : undefined });
    });
  });
}

const key = (ns: string, kind: string, name: string, container: string) =>
  `${ns}/${kind}/${name}/${container}`;

async function measure(size: number): Promise<Measured> {
  const dir = mkdtempSync(join(tmpdir(), 'krr-mcp-bench-'));
  const setupStarted = performance.now();
  const cluster = buildSyntheticCluster({
    workloads: size,
    namespaces: Math.max(4, Math.round(size / 25)),
    // Whole hours, so that runs within the same hour reuse the backfilled history from the cache.
    endTime: Math.floor((Date.now() / 1000 - 120) / 3600) * 3600,
    historySeconds: historyHours * 3600,
    seed: size,
  });
  const prometheus = await startPrometheus({ cluster });
  const kube = await startKubeSimulator({
    objects: fixtureObjects(cluster),
    rolloutsCrd: cluster.rolloutsCrd,
  });
  try {
    const kubeconfig = join(dir, 'kubeconfig');
    kube.writeKubeconfig(kubeconfig, { contextName: 'bench' });
    const setupS = (performance.now() - setupStarted) / 1000;
    const time = cluster.endTime;
    const args = [
      'scan',
      strategyName,
      '--kubeconfig',
      kubeconfig,
      '-p',
      prometheus.url,
      '--at',
      String(time),
      '--history-duration',
      String(historyHours),
      '-f',
      'json',
      '-v',
    ];

    // Warm Prometheus' page cache once so neither side pays for the first read of the blocks.
    await runOurScan(args);

    const krrStarted = performance.now();
    const client = new PrometheusClient({ url: prometheus.url, timeoutMs: 300_000 });
    const target = loadKubeTarget({ kubeconfig });
    const workloads = await new WorkloadLister(target).list({ namespaces: undefined, kinds: [] });
    const hpas = await listHpas(target, undefined);
    const strategy = createStrategy(parseStrategyConfig(strategyName, { history_duration: historyHours }));
    const objects = workloads.flatMap((w) =>
      w.containers.map((c) => ({ kind: w.kind, namespace: w.namespace, name: w.name, container: c.name })),
    );
    const replayed = await replayKrrPlan(client, objects, strategy, time);
    const krrWallS = (performance.now() - krrStarted) / 1000;

    const ours = await runOurScan(args);
    const queries = Number(/with (\d+) Prometheus queries/.exec(ours.stderr)?.[1] ?? NaN);
    const result = JSON.parse(ours.stdout) as ScanResult;
    const byKey = new Map<string, ResourceScan>(
      result.scans.map((s) => [key(s.object.namespace, s.object.kind, s.object.name, s.object.container), s]),
    );

    const minimums = { cpu_min_value: 10, memory_min_value: 100 };
    const mismatches: string[] = [];
    for (const r of replayed) {
      const k = key(r.object.namespace, r.object.kind, r.object.name, r.object.container);
      const scan = byKey.get(k);
      if (!scan) {
        mismatches.push(`${k}: missing from our scan`);
        continue;
      }
      const hpa = hpas.get(hpaKey(r.object.namespace, r.object.kind, r.object.name));
      const out = strategy.run(r.history, {
        cpu: hpa?.target_cpu_utilization_percentage ?? null,
        memory: hpa?.target_memory_utilization_percentage ?? null,
      });
      const show = (v: number | null) => (v !== null && Number.isNaN(v) ? '?' : v);
      const theirs = [
        show(roundRecommendation(out.cpu.request, 'cpu', minimums)),
        show(roundRecommendation(out.cpu.limit, 'cpu', minimums)),
        show(roundRecommendation(out.memory.request, 'memory', minimums)),
        out.cpu.info,
        out.memory.info,
        r.pods.map((p) => `${p.name}:${p.deleted}`).join(','),
      ];
      const mine = [
        scan.recommended.requests.cpu.value,
        scan.recommended.limits.cpu.value,
        scan.recommended.requests.memory.value,
        scan.recommended.info.cpu,
        scan.recommended.info.memory,
        scan.object.pods.map((p) => `${p.name}:${p.deleted}`).join(','),
      ];
      if (JSON.stringify(theirs) !== JSON.stringify(mine))
        mismatches.push(`${k}: krr plan ${JSON.stringify(theirs)} vs ours ${JSON.stringify(mine)}`);
    }
    return {
      workloads: workloads.length,
      objects: objects.length,
      series: prometheus.generated.series,
      samples: prometheus.generated.samples,
      setupS,
      ours: { queries, wallS: ours.wallS, rssMb: ours.rssMb },
      krr: { queries: client.queryCount, wallS: krrWallS },
      matched: replayed.length - mismatches.length,
      mismatches,
    };
  } finally {
    await Promise.allSettled([kube.stop(), prometheus.stop()]);
    rmSync(dir, { recursive: true, force: true });
  }
}

const rows: Array<[number, Measured]> = [];
console.log(
  `krr-mcp scan vs krr's query plan (${strategyName}, ${historyHours} h of history at a 30 s scrape interval)`,
);
for (const size of sizes) {
  const m = await measure(size);
  rows.push([size, m]);
  console.log(
    `  ${size} workloads: setup ${m.setupS.toFixed(1)} s (${m.series} series, ${(m.samples / 1e6).toFixed(1)} M samples), ` +
      `${m.matched}/${m.objects} recommendations identical`,
  );
  for (const line of m.mismatches.slice(0, 5)) console.log(`    MISMATCH ${line}`);
}
const header = [
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
];
const table = rows.map(([, m]) => [
  String(m.workloads),
  String(m.objects),
  String(m.ours.queries),
  String(m.krr.queries),
  `${(m.krr.queries / m.ours.queries).toFixed(1)}x`,
  m.ours.wallS.toFixed(2),
  m.krr.wallS.toFixed(2),
  `${(m.krr.wallS / m.ours.wallS).toFixed(1)}x`,
  m.ours.rssMb === undefined ? 'n/a' : m.ours.rssMb.toFixed(0),
  `${m.matched}/${m.objects}`,
]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i]!.length)));
console.log('');
for (const r of [header, ...table]) console.log(r.map((c, i) => c.padStart(widths[i]!)).join('  '));
if (rows.some(([, m]) => m.mismatches.length > 0)) process.exitCode = 1;
