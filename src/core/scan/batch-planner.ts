import type { HistoryBatch, HistoryWorkload } from '../prometheus/history-loader.js';

export interface BatchLimits {
  /** Samples one query may make Prometheus hold (its default --query.max-samples is 50 M). */
  maxSamplesPerQuery: number;
  /** Points one range query may return (bounds our memory on simple_limit scans). */
  maxRangePointsPerQuery?: number;
  /** Points per series: history / step. */
  pointsPerSeries: number;
  /** Queries run in parallel; small scans are split so that all of them have work. */
  concurrency: number;
  /** Longest pod alternation put in one query (VictoriaMetrics rejects queries over 16 KiB by default). */
  maxPodRegexLength: number;
  /** Most namespaces in one `namespace=~` matcher. */
  maxNamespacesPerQuery: number;
}

/** Below this share of a namespace's known pods, the query names the pods instead of the namespace. */
const POD_MATCHER_THRESHOLD = 0.5;
const MIN_SERIES_PER_BATCH = 50;

function seriesOf(w: HistoryWorkload): number {
  return Math.max(1, w.pods.length) * Math.max(1, w.containers.length);
}

/**
 * Packs workloads into as few queries as Prometheus can take: whole namespaces together while they
 * fit, big namespaces split by pods. This is where the scan's query count is decided.
 */
export function planBatches(
  workloads: readonly HistoryWorkload[],
  knownPodCount: ReadonlyMap<string, number>,
  limits: BatchLimits,
): HistoryBatch[] {
  const byNamespace = new Map<string, HistoryWorkload[]>();
  for (const w of workloads) {
    if (w.pods.length === 0) continue;
    const list = byNamespace.get(w.namespace) ?? [];
    list.push(w);
    byNamespace.set(w.namespace, list);
  }
  const totalSeries = [...byNamespace.values()].flat().reduce((n, w) => n + seriesOf(w), 0);
  let budget = Math.floor(limits.maxSamplesPerQuery / limits.pointsPerSeries);
  if (limits.maxRangePointsPerQuery)
    budget = Math.min(budget, Math.floor(limits.maxRangePointsPerQuery / limits.pointsPerSeries));
  // Enough batches to keep every worker busy, but never tiny ones.
  const spread = Math.ceil(totalSeries / Math.max(1, limits.concurrency));
  const target = Math.max(MIN_SERIES_PER_BATCH, Math.min(budget, spread));

  const batches: HistoryBatch[] = [];
  let open: HistoryBatch | undefined;
  let openSeries = 0;
  const close = () => {
    if (open) batches.push(open);
    open = undefined;
    openSeries = 0;
  };

  for (const [namespace, list] of [...byNamespace].sort(([a], [b]) => a.localeCompare(b))) {
    const series = list.reduce((n, w) => n + seriesOf(w), 0);
    const scannedPods = list.reduce((n, w) => n + w.pods.length, 0);
    const known = knownPodCount.get(namespace) ?? scannedPods;
    const needsPodMatcher = series > target || scannedPods < known * POD_MATCHER_THRESHOLD;
    if (needsPodMatcher) {
      batches.push(...splitByPods(namespace, list, target, limits.maxPodRegexLength));
      continue;
    }
    if (open && (openSeries + series > target || open.namespaces.length >= limits.maxNamespacesPerQuery))
      close();
    open ??= { namespaces: [], workloads: [] };
    open.namespaces.push(namespace);
    open.workloads.push(...list);
    openSeries += series;
  }
  close();
  return batches;
}

/** Splits one namespace's workloads into pod-matched batches, never splitting a workload. */
function splitByPods(
  namespace: string,
  list: HistoryWorkload[],
  target: number,
  maxRegexLength: number,
): HistoryBatch[] {
  const batches: HistoryBatch[] = [];
  let current: HistoryBatch | undefined;
  let series = 0;
  let regexLength = 0;
  for (const w of list) {
    const s = seriesOf(w);
    const length = w.pods.reduce((n, p) => n + p.name.length * 2 + 1, 0);
    if (current && (series + s > target || regexLength + length > maxRegexLength)) {
      batches.push(current);
      current = undefined;
    }
    current ??= { namespaces: [namespace], pods: [], workloads: [] };
    if (!current.workloads.length) {
      series = 0;
      regexLength = 0;
    }
    current.workloads.push(w);
    current.pods!.push(...w.pods.map((p) => p.name));
    series += s;
    regexLength += length;
  }
  if (current) batches.push(current);
  return batches;
}
