// From Prometheus range results to what a person reads per container: one point per chart step, the
// worst of the container's pods at each step (as the strategy reads the worst pod), and the moments a
// counter went up. Pure, so that hand-made series pin every rule.

import type { Series } from '../prometheus/series.js';
import type { SeriesPoint } from './usage-history-model.js';

/** `namespace/pod/container`: the key a batch's results are filed under. */
export function podContainerKey(namespace: string, pod: string, container: string): string {
  return `${namespace}/${pod}/${container}`;
}

/**
 * The points of each (namespace, pod, container) of a range result. Several series with the same key
 * (a query without aggregation, two scrape jobs) are merged by taking the highest value per time.
 * Values that are not finite (a 0/0 throttling ratio while a container was idle) are left out.
 */
export function pointsByPodContainer(
  series: readonly Series[],
  podLabel = 'pod',
): Map<string, SeriesPoint[]> {
  const grouped = new Map<string, SeriesPoint[][]>();
  for (const s of series) {
    const { namespace, container } = s.metric;
    const pod = s.metric[podLabel];
    if (namespace === undefined || pod === undefined || container === undefined) continue;
    const key = podContainerKey(namespace, pod, container);
    const points: SeriesPoint[] = [];
    for (let i = 0; i < s.values.length; i++) points.push([s.timestamps[i]!, s.values[i]!]);
    grouped.set(key, [...(grouped.get(key) ?? []), points]);
  }
  return new Map([...grouped].map(([key, lists]) => [key, maxPerTime(lists)]));
}

/** Per time, the highest value of the lists (finite values only), in time order. */
export function maxPerTime(lists: ReadonlyArray<readonly SeriesPoint[]>): SeriesPoint[] {
  const byTime = new Map<number, number>();
  for (const points of lists) {
    for (const [time, value] of points) {
      if (!Number.isFinite(value)) continue;
      const seen = byTime.get(time);
      if (seen === undefined || value > seen) byTime.set(time, value);
    }
  }
  return [...byTime].sort((a, b) => a[0] - b[0]);
}

/**
 * At most `maxPoints` points: each bucket of consecutive points keeps its highest (a peak must survive,
 * it is what the recommendation is about). The loader asks Prometheus for few enough points already;
 * this holds the bound for any caller and any backend that answers more.
 */
export function boundPoints(points: readonly SeriesPoint[], maxPoints: number): SeriesPoint[] {
  if (points.length <= maxPoints) return [...points];
  const size = Math.ceil(points.length / maxPoints);
  const out: SeriesPoint[] = [];
  for (let i = 0; i < points.length; i += size) {
    let best = points[i]!;
    for (const point of points.slice(i, i + size)) if (point[1] > best[1]) best = point;
    out.push(best);
  }
  return out;
}

/** The highest value, or null for no points. */
export function maxValue(points: readonly SeriesPoint[]): number | null {
  let max: number | null = null;
  for (const [, value] of points) if (max === null || value > max) max = value;
  return max;
}

/** A counter's increases inside the window, and the times it went up. */
export interface CounterRises {
  total: number;
  times: number[];
}

/**
 * How much a pod's restart counter rose inside the window, and when. A pod already present at the window's
 * start brought its earlier count with it: only what comes after counts. A pod that appears later started in
 * the window, so its first value counts too. A drop (a counter reset) starts a new baseline.
 */
export function counterRises(points: readonly SeriesPoint[], windowStart: number): CounterRises {
  const rises: CounterRises = { total: 0, times: [] };
  if (points.length === 0) return rises;
  const [firstTime, firstValue] = points[0]!;
  if (firstTime > windowStart && firstValue > 0) {
    rises.total += firstValue;
    rises.times.push(firstTime);
  }
  for (let i = 1; i < points.length; i++) {
    const rise = points[i]![1] - points[i - 1]![1];
    if (rise > 0) {
      rises.total += rise;
      rises.times.push(points[i]![0]);
    }
  }
  return rises;
}

/**
 * When a pod's container was OOM-killed, at chart resolution. kube-state-metrics' last-terminated-reason
 * series appears with the first OOM kill and stays while OOMKilled is the last reason; a later kill
 * leaves it unchanged, so those are read from the restart counter: a restart while the last reason
 * is OOMKilled was an OOM kill (`restartTimes`: the pod's counterRises times). A series already present at
 * the window's start reports a kill from before the window (not counted), unless the restarts show a new one.
 */
export function oomKillTimes(
  reason: readonly SeriesPoint[],
  restartTimes: readonly number[],
  window: { start: number; stepSeconds: number },
): number[] {
  const kills = new Set<number>();
  const present = reason.filter(([, value]) => value > 0);
  for (let i = 0; i < present.length; i++) {
    const [time] = present[i]!;
    // A gap of more than a step: the series vanished (another reason came last) and came back.
    const appears = i === 0 ? time > window.start : time - present[i - 1]![0] > window.stepSeconds;
    if (appears) kills.add(time);
  }
  const oomAt = new Set(present.map(([time]) => time));
  for (const time of restartTimes) if (oomAt.has(time)) kills.add(time);
  return [...kills].sort((a, b) => a - b);
}
