import type { PrometheusClient } from '../prometheus/client.js';
import { checkHistoryAvailability, clusterSummary } from '../prometheus/cluster-checks.js';
import { containerKey, loadHistory, type HistoryWorkload } from '../prometheus/history-loader.js';
import { discoverPods, workloadKey } from '../prometheus/pod-discovery.js';
import { stepSeconds } from '../prometheus/promql.js';
import { QuerySlots } from '../prometheus/query-slots.js';
import { hpaKey, listHpas } from '../kube/hpas.js';
import type { KubeTarget } from '../kube/kubeconfig.js';
import { ApiPodFinder } from '../kube/pods.js';
import { namespacePatterns, WorkloadLister, type Workload } from '../kube/workloads.js';
import { loaderValues, maxOfAll, type HistoryData } from '../recommend/history.js';
import { percentile } from '../recommend/percentile.js';
import type { PodData, ResourceScan, ScanResult, WorkloadKind } from '../recommend/model.js';
import type { StrategyConfig, ValueMinimums } from '../recommend/settings.js';
import { overallScore } from '../recommend/severity.js';
import { createStrategy } from '../recommend/strategies/strategy.js';
import type { ObservedUsage } from '../changes/risk.js';
import { ExplainedError, type InputParameter } from '../input/parameters.js';
import { planBatches } from './batch-planner.js';

export type { ObservedUsage };
import { mapWithConcurrency } from './concurrency.js';
import { buildResourceScan, metricWarnings } from './resource-scan.js';

export interface ScanOptions {
  strategy: StrategyConfig;
  minimums: ValueMinimums;
  /** Namespaces or regexes; empty = all but kube-system. */
  namespaces: string[];
  kinds: WorkloadKind[];
  selector?: string;
  /** Evaluation time in unix seconds (default: now). krr always evaluates at "now". */
  time?: number;
  relatedPodLabel?: string;
  /** Prometheus queries in flight at once. */
  concurrency?: number;
  /**
   * The usage queries' limit, when several scans share one Prometheus (a fleet's clusters in one Thanos):
   * the limit then holds over all of them. Default: this scan's own, `concurrency` queries.
   */
  querySlots?: QuerySlots;
  /** Extra fields for the JSON `config` block (the CLI's effective settings). */
  config?: Record<string, unknown>;
  onProgress?: (progress: ScanProgress) => void;
  /**
   * The rows of each batch as soon as it is read (unsorted; every row once): a view can show results while
   * the scan runs. The result still holds every row, sorted.
   */
  onRows?: (rows: ResourceScan[]) => void;
}

export interface ScanProgress {
  phase: 'listing' | 'discovering' | 'loading';
  done: number;
  total: number;
}

export interface ScanStatistics {
  workloads: number;
  queries: number;
  batches: number;
  /** Wall time per phase in milliseconds (listing, discovery, usage, summary). */
  phaseMs: Record<string, number>;
}

export class NoWorkloadsError extends ExplainedError {
  override name = 'NoWorkloadsError';
}

const DISCOVERY_NAMESPACES_PER_QUERY = 100;

/**
 * A krr-compatible scan: lists workloads from the API, finds their pods in kube-state-metrics, reads
 * usage in namespace batches, and runs the strategy per (workload, container).
 */
export async function scanCluster(
  kube: KubeTarget,
  prometheus: PrometheusClient,
  options: ScanOptions,
): Promise<{ result: ScanResult; statistics: ScanStatistics; observed: Map<string, ObservedUsage> }> {
  const strategy = createStrategy(options.strategy);
  const settings = strategy.common;
  const time = options.time ?? Math.floor(Date.now() / 1000);
  const concurrency = options.concurrency ?? 4;
  const relatedPodLabel = options.relatedPodLabel ?? 'pod';
  const progress = options.onProgress ?? (() => {});
  const queriesBefore = prometheus.queryCount;
  const phaseMs: Record<string, number> = {};
  let phaseStart = performance.now();
  const endPhase = (name: string) => {
    const now = performance.now();
    phaseMs[name] = Math.round(now - phaseStart);
    phaseStart = now;
  };

  // A bad regex is the caller's mistake: said before anything is contacted.
  namespacePatterns(options.namespaces);
  progress({ phase: 'listing', done: 0, total: 1 });
  const lister = new WorkloadLister(kube);
  const namespaces = await lister.resolveNamespaces(options.namespaces);
  const [workloads, hpas, errors] = await Promise.all([
    lister.list({
      namespaces,
      kinds: options.kinds,
      ...(options.selector ? { selector: options.selector } : {}),
    }),
    listHpas(kube, namespaces),
    checkHistoryAvailability(prometheus, time),
  ]);
  const scanned = workloads.filter((w) => w.containers.length > 0);
  if (scanned.length === 0)
    throw new NoWorkloadsError((name) => noWorkloadsMessage(options, namespaces, name));
  progress({ phase: 'listing', done: 1, total: 1 });
  endPhase('listing');

  // Pods of every workload, from kube-state-metrics; the API for workloads it does not know.
  const scannedNamespaces = [...new Set(scanned.map((w) => w.namespace))].sort();
  const namespaceBatches = chunk(scannedNamespaces, DISCOVERY_NAMESPACES_PER_QUERY);
  const discovery = { byWorkload: new Map<string, PodData[]>(), knownPodCount: new Map<string, number>() };
  let discovered = 0;
  await mapWithConcurrency(namespaceBatches, concurrency, async (batch) => {
    const inBatch = new Set(batch);
    const found = await discoverPods(
      prometheus,
      scanned.filter((w) => inBatch.has(w.namespace)),
      batch,
      {
        time,
        historyHours: settings.history_duration,
        relatedPodLabel,
        ...(prometheus.cluster ? { clusterLabel: prometheus.cluster } : {}),
      },
    );
    for (const [k, v] of found.byWorkload) discovery.byWorkload.set(k, v);
    for (const [k, v] of found.knownPodCount) discovery.knownPodCount.set(k, v);
    progress({ phase: 'discovering', done: (discovered += batch.length), total: scannedNamespaces.length });
  });
  const apiPods = new ApiPodFinder(kube);
  const fromApi = new Set<string>();
  await mapWithConcurrency(scanned, concurrency, async (w) => {
    const key = workloadKey(w);
    if ((discovery.byWorkload.get(key) ?? []).length > 0) return;
    discovery.byWorkload.set(key, await apiPods.currentPods(w));
    fromApi.add(key);
  });

  endPhase('discovery');

  // Usage, in as few queries as Prometheus can take.
  const historyWorkloads: HistoryWorkload[] = scanned.map((w) => ({
    key: workloadKey(w),
    namespace: w.namespace,
    containers: w.containers.map((c) => c.name),
    pods: discovery.byWorkload.get(workloadKey(w)) ?? [],
  }));
  const points = Math.ceil((settings.history_duration * 3600) / stepSeconds(settings.timeframe_duration));
  const batches = planBatches(historyWorkloads, discovery.knownPodCount, {
    maxSamplesPerQuery: 20_000_000,
    ...(strategy.loaders().includes('CPULoader') ? { maxRangePointsPerQuery: 2_000_000 } : {}),
    pointsPerSeries: points,
    concurrency,
    maxPodRegexLength: 12_000,
    maxNamespacesPerQuery: 100,
  });
  const byKey = new Map(scanned.map((w) => [workloadKey(w), w]));
  const scans: ResourceScan[] = [];
  const observed = new Map<string, ObservedUsage>();
  const cpuPercentile = strategy.cpuPercentile();
  const historyOptions = {
    time,
    historyHours: settings.history_duration,
    timeframeMinutes: settings.timeframe_duration,
    loaders: strategy.loaders(),
    ...(cpuPercentile !== undefined ? { cpuPercentile } : {}),
    ...(prometheus.cluster ? { clusterLabel: prometheus.cluster } : {}),
    // `concurrency` queries in flight over all batches, not per batch: measured as fast, with Prometheus
    // holding about half the samples at once (`npm run bench`).
    slots: options.querySlots ?? new QuerySlots(concurrency),
  };
  let loaded = 0;
  const rowsFor = (w: Workload, history: Map<string, HistoryData> | undefined): ResourceScan[] => {
    const rows: ResourceScan[] = [];
    const key = workloadKey(w);
    const pods = discovery.byWorkload.get(key) ?? [];
    const hpa = hpas.get(hpaKey(w.namespace, w.kind, w.name)) ?? null;
    for (const container of w.containers) {
      const data: HistoryData =
        history?.get(containerKey(key, container.name)) ??
        Object.fromEntries(strategy.loaders().map((l) => [l, new Map()]));
      const output = strategy.run(data, {
        cpu: hpa?.target_cpu_utilization_percentage ?? null,
        memory: hpa?.target_memory_utilization_percentage ?? null,
      });
      const warnings = [
        ...(fromApi.has(key) ? (['NoPrometheusPods'] as const) : []),
        ...metricWarnings(data),
      ];
      observed.set(`${key}/${container.name}`, observedUsage(data, cpuPercentile));
      rows.push(
        buildResourceScan(
          { cluster: kube.identity.context, workload: w, container, pods, hpa, warnings },
          output,
          options.minimums,
        ),
      );
    }
    scans.push(...rows);
    return rows;
  };
  await mapWithConcurrency(batches, concurrency, async (batch) => {
    // Each batch is reduced to rows as soon as it arrives, so raw samples never pile up.
    const history = await loadHistory(prometheus, batch, historyOptions);
    // Built before the optional call: `onRows?.(…)` would skip evaluating its argument without a listener.
    const rows = batch.workloads.flatMap((hw) => rowsFor(byKey.get(hw.key)!, history));
    options.onRows?.(rows);
    progress({ phase: 'loading', done: (loaded += batch.workloads.length), total: scanned.length });
  });
  const withoutPods = scanned.filter((w) => (discovery.byWorkload.get(workloadKey(w)) ?? []).length === 0);
  const podlessRows = withoutPods.flatMap((w) => rowsFor(w, undefined));
  if (podlessRows.length > 0) options.onRows?.(podlessRows);
  endPhase('usage');

  scans.sort(
    (a, b) =>
      a.object.namespace.localeCompare(b.object.namespace) ||
      a.object.kind.localeCompare(b.object.kind) ||
      a.object.name.localeCompare(b.object.name) ||
      a.object.container.localeCompare(b.object.container),
  );
  const summary = await clusterSummary(prometheus, time, prometheus.cluster);
  endPhase('summary');
  const result: ScanResult = {
    scans,
    score: overallScore(scans),
    resources: ['cpu', 'memory'],
    description: strategy.description(),
    strategy: { name: options.strategy.name, settings: { ...options.strategy.settings } },
    errors,
    clusterSummary: summary,
    config: options.config ?? {},
  };
  return {
    result,
    observed,
    statistics: {
      workloads: scanned.length,
      queries: prometheus.queryCount - queriesBefore,
      batches: batches.length,
      phaseMs,
    },
  };
}

/** The memory peak, and the CPU p95 where the scan measured it (simple at its default percentile, or pooled samples). */
function observedUsage(data: HistoryData, cpuPercentile: number | undefined): ObservedUsage {
  const usage: ObservedUsage = {};
  const peaks = loaderValues(data, 'MaxMemoryLoader');
  if (peaks.size > 0) usage.memoryPeakBytes = maxOfAll(peaks);
  if (cpuPercentile === 95 && loaderValues(data, 'PercentileCPULoader').size > 0) {
    usage.cpuP95Cores = maxOfAll(loaderValues(data, 'PercentileCPULoader'));
  }
  const samples = loaderValues(data, 'CPULoader');
  if (samples.size > 0) usage.cpuP95Cores = percentile([...samples.values()].flat(), 95);
  return usage;
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function noWorkloadsMessage(
  options: ScanOptions,
  namespaces: string[] | undefined,
  name: (parameter: InputParameter) => string,
): string {
  const where =
    namespaces === undefined
      ? 'any namespace (kube-system excluded)'
      : namespaces.length === 0
        ? `no namespace matches ${options.namespaces.join(', ')}`
        : `namespace(s) ${namespaces.join(', ')}`;
  const filters = [
    options.kinds.length ? `kinds ${options.kinds.join(', ')}` : '',
    options.selector ? `selector "${options.selector}"` : '',
  ]
    .filter(Boolean)
    .join(' and ');
  return `No workloads to scan in ${where}${filters ? ` with ${filters}` : ''}. Check the namespace names (${name('namespace')}) and filters (${name('resource')}, ${name('selector')}), and that the context points at the right cluster.`;
}
