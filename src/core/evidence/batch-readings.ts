// One batch of containers read from Prometheus and reduced to per-container readings: a handful of queries
// at chart resolution for the whole batch, then, per container, the worst of its pods per point.

import type { PrometheusClient, Sample, Series } from '../prometheus/client.js';
import { durationString, stepSeconds, type ClusterLabel } from '../prometheus/promql.js';
import { usageQuery } from '../prometheus/usage-queries.js';
import { batchSelector, type BatchedContainer, type HistoryBatch } from './history-batches.js';
import {
  cpuUsageQuery,
  memoryUsageQuery,
  oomReasonQuery,
  restartsQuery,
  throttlingQuery,
  type ChartWindow,
} from './history-queries.js';
import {
  boundPoints,
  counterRises,
  maxPerTime,
  maxValue,
  oomKillTimes,
  podContainerKey,
  pointsByPodContainer,
} from './series-reduction.js';
import type { SeriesPoint } from './usage-history-model.js';

export interface ReadOptions {
  window: ChartWindow;
  maxPoints: number;
  clusterLabel?: ClusterLabel | undefined;
  /** kube-state-metrics' pod label (krr's KRR_RELATED_POD_LABEL); `pod` by default. */
  relatedPodLabel?: string | undefined;
  /** Present when CPU and memory series are wanted, not only the signals. */
  usage?: UsageReadOptions;
}

export interface UsageReadOptions {
  /** Containers whose CPU percentile Prometheus must compute (the others reuse the scan's value). */
  needsPercentile: (c: BatchedContainer) => boolean;
  cpuPercentile: number;
  historyHours: number;
  /** krr's step for the percentile's subquery, in minutes (1.25 = 75 s). */
  timeframeMinutes: number;
  time: number;
}

/** What one container's pods showed over the window. */
export interface ContainerReadings {
  cpu: SeriesPoint[];
  memory: SeriesPoint[];
  /** The CPU percentile as the simple strategy computes it (max over pods), when it was asked for. */
  cpuPercentile: number | null;
  oomKills: number[];
  throttling: { series: SeriesPoint[]; max: number } | null;
  restarts: { total: number; times: number[] } | null;
}

export async function readBatch<C extends BatchedContainer>(
  client: PrometheusClient,
  batch: HistoryBatch<C>,
  options: ReadOptions,
): Promise<Map<C, ContainerReadings>> {
  const { window, usage } = options;
  const podLabel = options.relatedPodLabel ?? 'pod';
  const selector = batchSelector(batch, { clusterLabel: options.clusterLabel });
  const ksmSelector = batchSelector(batch, { podLabel, clusterLabel: options.clusterLabel });
  const range = (query: string) => client.rangeQuery(query, window.start, window.end, window.stepSeconds);
  const noSeries = Promise.resolve<Series[]>([]);
  const noSamples = Promise.resolve<Sample[]>([]);
  const percentileWanted = usage !== undefined && batch.containers.some(usage.needsPercentile);
  // The signals read the same throttling points as the chart: what the tree, the table and the plan say
  // is what the approval panel draws.
  const [throttling, oomReason, restarts, cpu, memory, percentiles] = await Promise.all([
    range(throttlingQuery(selector, window)),
    range(oomReasonQuery(ksmSelector, podLabel)),
    range(restartsQuery(ksmSelector, podLabel)),
    usage ? range(cpuUsageQuery(selector, window)) : noSeries,
    usage ? range(memoryUsageQuery(selector, window)) : noSeries,
    percentileWanted ? client.instantQuery(percentileQuery(selector, usage), usage.time) : noSamples,
  ]);
  const byPod = {
    throttling: pointsByPodContainer(throttling),
    oomReason: pointsByPodContainer(oomReason, podLabel),
    restarts: pointsByPodContainer(restarts, podLabel),
    cpu: pointsByPodContainer(cpu),
    memory: pointsByPodContainer(memory),
    percentile: valueByPod(percentiles),
  };

  // Where kube-state-metrics' data begins: a Prometheus that keeps less than the window has no "before",
  // and a counter already above zero at its first sample holds restarts from before it.
  const ksmWindow = { start: Math.max(window.start, earliest(restarts)), stepSeconds: window.stepSeconds };
  const readings = new Map<C, ContainerReadings>();
  for (const c of batch.containers) {
    const keys = c.pods.map((p) => podContainerKey(c.namespace, p.name, c.container));
    const lists = (found: Map<string, SeriesPoint[]>) =>
      keys.flatMap((k) => (found.has(k) ? [found.get(k)!] : []));
    const values = (found: Map<string, number>) => keys.flatMap((k) => (found.has(k) ? [found.get(k)!] : []));
    const chart = (found: Map<string, SeriesPoint[]>) =>
      boundPoints(maxPerTime(lists(found)), options.maxPoints);

    const throttlingSeries = chart(byPod.throttling);
    const rises = keys.map((k) => counterRises(byPod.restarts.get(k) ?? [], ksmWindow.start));
    const oomKills = keys.flatMap((k, i) =>
      oomKillTimes(byPod.oomReason.get(k) ?? [], rises[i]!.times, ksmWindow),
    );
    const percentileValues = values(byPod.percentile);
    readings.set(c, {
      cpu: usage ? chart(byPod.cpu) : [],
      memory: usage ? chart(byPod.memory) : [],
      cpuPercentile: percentileValues.length > 0 ? Math.max(...percentileValues) : null,
      oomKills: latest(oomKills, options.maxPoints),
      throttling:
        lists(byPod.throttling).length > 0
          ? { series: throttlingSeries, max: maxValue(throttlingSeries) ?? 0 }
          : null,
      restarts: keys.some((k) => byPod.restarts.has(k))
        ? {
            total: rises.reduce((n, r) => n + r.total, 0),
            times: latest(
              rises.flatMap((r) => r.times),
              options.maxPoints,
            ),
          }
        : null,
    });
  }
  return readings;
}

/** krr's PercentileCPULoader over the batch (the simple strategy's CPU reading). */
function percentileQuery(selector: string, usage: UsageReadOptions): string {
  return usageQuery('PercentileCPULoader', {
    selector,
    stepSeconds: stepSeconds(usage.timeframeMinutes),
    duration: durationString(usage.historyHours),
    cpuPercentile: usage.cpuPercentile,
    groupBy: 'namespace, container, pod',
  });
}

/** One value per (namespace, pod, container) of an instant result; the highest where several share one. */
function valueByPod(samples: readonly Sample[]): Map<string, number> {
  const values = new Map<string, number>();
  for (const { metric, value } of samples) {
    if (!metric.namespace || !metric.pod || !metric.container || !Number.isFinite(value)) continue;
    const key = podContainerKey(metric.namespace, metric.pod, metric.container);
    values.set(key, Math.max(value, values.get(key) ?? -Infinity));
  }
  return values;
}

/** The first timestamp of any series (-Infinity for none). */
function earliest(series: readonly Series[]): number {
  let first = Infinity;
  for (const s of series) if (s.timestamps.length > 0 && s.timestamps[0]! < first) first = s.timestamps[0]!;
  return first === Infinity ? -Infinity : first;
}

/** In time order, at most `max` of them: the most recent, which matter most to a person deciding now. */
function latest(times: number[], max: number): number[] {
  return [...times].sort((a, b) => a - b).slice(-max);
}
