// The usage behind recommendations, loaded for people to judge: per container the CPU and memory over the
// window at chart resolution, the strategy's readings, OOM kills, throttling, restarts, and the risk
// signals drawn from them. Pure over the client (no cache, no clock): the caller keeps what it loads for
// as long as its plan or scan lives.
//
// Cost: per batch of containers (one batch for most plans and scans) three range queries give the signals
// (throttling, OOM reasons, restart counters), two more the CPU and memory charts, and one instant query the
// CPU percentile unless the scan's value is reused; plus one range query for the HPAs of the whole load, when
// any of them scales these workloads. docs/engine.md has the measured figures.

import type { ObservedUsage } from '../changes/risk.js';
import type { PrometheusClient } from '../prometheus/client.js';
import {
  clusterMatcher,
  exactAlternation,
  matchers,
  namespaceMatcher,
  quoteLabelValue,
} from '../prometheus/promql.js';
import { mapWithConcurrency } from '../scan/concurrency.js';
import { readBatch, type ContainerReadings, type ReadOptions } from './batch-readings.js';
import {
  DEFAULT_BATCH_LIMITS,
  planHistoryBatches,
  type BatchedContainer,
  type BatchLimits,
} from './history-batches.js';
import { chartWindow, hpaAtMaxQuery, type ChartWindow } from './history-queries.js';
import type { HpaTarget } from './hpa-targets.js';
import { riskSignals } from './risk-signals.js';
import { maxValue } from './series-reduction.js';
import {
  MAX_CHART_POINTS,
  type ContainerUsageHistory,
  type ResourceLines,
  type RiskSignals,
} from './usage-history-model.js';

export type { BatchedContainer } from './history-batches.js';

/** A container to chart: its pods from the scan (current and deleted) and the resources they run with. */
export interface HistoryContainer extends BatchedContainer {
  current: ResourceLines;
  /** The scan's readings (memory peak, CPU p95): reused instead of asking Prometheus again. */
  observed?: ObservedUsage;
}

export interface SignalsOptions {
  /** Unix seconds the window ends at. */
  time: number;
  historyHours: number;
  /** kube-state-metrics' pod label (krr's KRR_RELATED_POD_LABEL); `pod` by default. */
  relatedPodLabel?: string;
  /** The HPAs of the containers' namespaces (listHpaTargets); absent: no HPA is read (hpaAtMax false). */
  hpaTargets?: readonly HpaTarget[];
  /** Points per series, at most MAX_CHART_POINTS (the default). */
  maxPoints?: number;
  /** Batches read at once (each runs its few queries together). */
  concurrency?: number;
  batchLimits?: BatchLimits;
}

export interface UsageHistoryOptions extends SignalsOptions {
  /** The strategy's CPU percentile (95 for simple; the request's for simple_limit). */
  cpuPercentile: number;
  memoryBufferPercent: number;
  /** krr's step in minutes for the percentile's subquery (default 1.25, i.e. 75 s). */
  timeframeMinutes?: number;
}

/** `namespace/kind/name/container`, the key of the maps returned here (and of the scan's observed usage). */
export function historyKey(c: Pick<BatchedContainer, 'namespace' | 'kind' | 'name' | 'container'>): string {
  return `${c.namespace}/${c.kind}/${c.name}/${c.container}`;
}

const workloadKey = (namespace: string, kind: string, name: string) => `${namespace}/${kind}/${name}`;

/** CPU and memory series, the strategy's readings, OOM kills, throttling, restarts and signals per container. */
export async function loadUsageHistory(
  client: PrometheusClient,
  containers: readonly HistoryContainer[],
  options: UsageHistoryOptions,
): Promise<Map<string, ContainerUsageHistory>> {
  const reusesP95 = (c: HistoryContainer) =>
    options.cpuPercentile === 95 && c.observed?.cpuP95Cores !== undefined;
  const window = chartWindow(options.time, options.historyHours, options.maxPoints);
  const { readings, hpas } = await readAll(client, containers, window, options, {
    needsPercentile: (c) => !reusesP95(c as HistoryContainer),
    cpuPercentile: options.cpuPercentile,
    historyHours: options.historyHours,
    timeframeMinutes: options.timeframeMinutes ?? 1.25,
    time: options.time,
  });
  const histories = new Map<string, ContainerUsageHistory>();
  for (const c of containers) {
    const read = readings.get(c) ?? noReadings();
    const hpa = hpas.get(workloadKey(c.namespace, c.kind, c.name));
    histories.set(historyKey(c), {
      key: historyKey(c),
      namespace: c.namespace,
      kind: c.kind,
      name: c.name,
      container: c.container,
      window: { start: window.start, end: window.end, stepSeconds: window.stepSeconds },
      cpu: {
        series: read.cpu,
        percentile: options.cpuPercentile,
        percentileValue: reusesP95(c) ? c.observed!.cpuP95Cores! : read.cpuPercentile,
      },
      memory: {
        series: read.memory,
        // The scan's peak is the strategy's own reading; the series' highest point is the same peak read
        // from every sample (max_over_time), for containers the scan did not cover.
        peak: c.observed?.memoryPeakBytes ?? maxValue(read.memory),
        bufferPercent: options.memoryBufferPercent,
      },
      current: c.current,
      oomKills: read.oomKills,
      throttling: read.throttling,
      restarts: read.restarts,
      signals: signalsOf(read, hpa, options.historyHours),
    });
  }
  return histories;
}

/** Only the signals: three queries per batch instead of six, for scans that show markers, not charts. */
export async function loadRiskSignals(
  client: PrometheusClient,
  containers: readonly BatchedContainer[],
  options: SignalsOptions,
): Promise<Map<string, RiskSignals>> {
  const window = chartWindow(options.time, options.historyHours, options.maxPoints);
  const { readings, hpas } = await readAll(client, containers, window, options, undefined);
  return new Map(
    containers.map((c) => [
      historyKey(c),
      signalsOf(
        readings.get(c) ?? noReadings(),
        hpas.get(workloadKey(c.namespace, c.kind, c.name)),
        options.historyHours,
      ),
    ]),
  );
}

function signalsOf(read: ContainerReadings, hpa: string | undefined, historyHours: number): RiskSignals {
  return riskSignals({
    oomKills: read.oomKills,
    throttledMax: read.throttling?.max ?? null,
    restarts: read.restarts?.total ?? null,
    hpaAtMax: hpa !== undefined,
    ...(hpa !== undefined ? { hpaName: hpa } : {}),
    historyHours,
  });
}

function noReadings(): ContainerReadings {
  return { cpu: [], memory: [], cpuPercentile: null, oomKills: [], throttling: null, restarts: null };
}

async function readAll<C extends BatchedContainer>(
  client: PrometheusClient,
  containers: readonly C[],
  window: ChartWindow,
  options: SignalsOptions,
  usage: ReadOptions['usage'],
): Promise<{ readings: Map<C, ContainerReadings>; hpas: Map<string, string> }> {
  const maxPoints = Math.min(options.maxPoints ?? MAX_CHART_POINTS, MAX_CHART_POINTS);
  const batches = planHistoryBatches(containers, options.batchLimits ?? DEFAULT_BATCH_LIMITS);
  const readOptions: ReadOptions = {
    window,
    maxPoints,
    clusterLabel: client.cluster,
    relatedPodLabel: options.relatedPodLabel,
    ...(usage ? { usage } : {}),
  };
  const [perBatch, hpas] = await Promise.all([
    mapWithConcurrency(batches, options.concurrency ?? 4, (batch) => readBatch(client, batch, readOptions)),
    hpasAtMax(client, containers, window, options),
  ]);
  return { readings: new Map(perBatch.flatMap((m) => [...m])), hpas };
}

/** Workload key → the name of its HPA, for the workloads whose HPA reached its maximum in the window. */
async function hpasAtMax(
  client: PrometheusClient,
  containers: readonly BatchedContainer[],
  window: ChartWindow,
  options: SignalsOptions,
): Promise<Map<string, string>> {
  const workloads = new Set(containers.map((c) => workloadKey(c.namespace, c.kind, c.name)));
  const relevant = (options.hpaTargets ?? []).filter((h) =>
    workloads.has(workloadKey(h.namespace, h.target.kind, h.target.name)),
  );
  if (relevant.length === 0) return new Map();
  const selector = matchers(
    namespaceMatcher([...new Set(relevant.map((h) => h.namespace))]),
    `horizontalpodautoscaler=~${quoteLabelValue(exactAlternation([...new Set(relevant.map((h) => h.name))]))}`,
    clusterMatcher(client.cluster),
  );
  const series = await client.rangeQuery(
    hpaAtMaxQuery(selector, window),
    window.start,
    window.end,
    window.stepSeconds,
  );
  const atMax = new Set(
    series
      .filter((s) => s.values.length > 0)
      .map((s) => `${s.metric.namespace}/${s.metric.horizontalpodautoscaler}`),
  );
  return new Map(
    relevant
      .filter((h) => atMax.has(`${h.namespace}/${h.name}`))
      .map((h) => [workloadKey(h.namespace, h.target.kind, h.target.name), h.name]),
  );
}
