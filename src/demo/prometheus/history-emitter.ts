// The samples of each series: constants, gauges that follow a usage profile, and counters whose slope does, at
// the cluster's scrape interval, handed to a SeriesSink one whole series at a time. Without a sink it only
// counts series and samples (for progress, and for prometheus_tsdb_head_series).
//
// A fixture holds up to a billion samples, so the loops fill one reused Float64Array and allocate nothing per
// sample.

import { historyStart, type FixtureCluster, type FixturePod, type UsageProfile } from '../cluster-model.js';
import type { Labels, SeriesId, SeriesSink } from './series-sink.js';

/** A nonzero start, so that rate() never sees what looks like a counter reset to zero. */
const CPU_COUNTER_BASE = 1000;

/** Sample times (unix seconds, inclusive, multiples of the scrape interval). */
export interface Span {
  first: number;
  last: number;
}

export class HistoryEmitter {
  series = 0;
  samples = 0;
  readonly wholeHistory: Span;
  private values = new Float64Array(4096);
  private readonly start: number;
  private readonly step: number;
  private readonly clusterLabels: Labels | undefined;

  constructor(
    private readonly sink: SeriesSink | undefined,
    private readonly cluster: FixtureCluster,
  ) {
    this.start = historyStart(cluster);
    this.step = cluster.scrapeIntervalSeconds;
    if (cluster.endTime % this.step !== 0)
      throw new Error('endTime must be a multiple of scrapeIntervalSeconds');
    this.wholeHistory = { first: this.ceilToStep(this.start), last: cluster.endTime };
    const labels = cluster.prometheusLabels ?? {};
    this.clusterLabels = Object.keys(labels).length > 0 ? labels : undefined;
  }

  /** Sample times from `fromSecond` (inclusive) to `toSecond` (exclusive; undefined = through endTime). */
  span(fromSecond: number, toSecond: number | undefined): Span | undefined {
    const first = this.ceilToStep(Math.max(this.start, this.start + fromSecond));
    const last =
      toSecond === undefined
        ? this.cluster.endTime
        : Math.min(this.cluster.endTime, this.ceilToStep(this.start + toSecond) - this.step);
    return first <= last ? { first, last } : undefined;
  }

  podSpan(pod: FixturePod): Span | undefined {
    return this.span(pod.startSecond, pod.endSecond);
  }

  family(name: string, type: 'gauge' | 'counter', help: string): void {
    this.sink?.family(name, type, help);
  }

  constant(id: SeriesId, value: number, span: Span | undefined): void {
    if (!span) return;
    const count = this.countSeries(span);
    if (!this.sink) return;
    const values = this.reserve(count);
    values.fill(value, 0, count);
    this.emit(id, span, count);
  }

  gauge(id: SeriesId, profile: UsageProfile, span: Span | undefined): void {
    if (!span) return;
    const count = this.countSeries(span);
    if (!this.sink) return;
    const values = this.reserve(count);
    let segment = 0;
    for (let i = 0, t = span.first; i < count; i++, t += this.step) {
      const second = t - this.start;
      while (segment + 1 < profile.length && profile[segment + 1]!.fromSecond <= second) segment++;
      values[i] = profile[segment]?.value ?? 0;
    }
    this.emit(id, span, count);
  }

  /** A counter whose slope is the profile, integrated exactly from `sinceSecond` (the pod start). */
  counter(id: SeriesId, profile: UsageProfile, sinceSecond: number, span: Span | undefined): void {
    if (!span) return;
    const count = this.countSeries(span);
    if (!this.sink) return;
    const values = this.reserve(count);
    const integral = new ProfileIntegral(profile);
    let previous = sinceSecond;
    let total = CPU_COUNTER_BASE;
    for (let i = 0, t = span.first; i < count; i++, t += this.step) {
      const second = t - this.start;
      total += integral.over(previous, second);
      previous = second;
      values[i] = total;
    }
    this.emit(id, span, count);
  }

  private emit(id: SeriesId, span: Span, count: number): void {
    this.sink!.series(id.name, this.labelled(id.labels), span.first, this.step, this.values, count);
  }

  /** The series' labels with the cluster's own (a shared Prometheus's) after its others. */
  private labelled(labels: Labels): Labels {
    if (!this.clusterLabels) return labels;
    for (const key of Object.keys(this.clusterLabels)) {
      if (key in labels) throw new Error(`prometheusLabels.${key} collides with a label of the series`);
    }
    return { ...labels, ...this.clusterLabels };
  }

  private reserve(count: number): Float64Array {
    if (this.values.length < count) this.values = new Float64Array(Math.max(count, 2 * this.values.length));
    return this.values;
  }

  private countSeries(span: Span): number {
    const count = (span.last - span.first) / this.step + 1;
    this.series++;
    this.samples += count;
    return count;
  }

  private ceilToStep(unixSeconds: number): number {
    return Math.ceil(unixSeconds / this.step) * this.step;
  }
}

/**
 * Integrates a piecewise-constant profile over consecutive, ascending intervals in amortised O(1): the cursor only
 * moves forward, which is what a counter written in time order needs.
 */
class ProfileIntegral {
  private segment = 0;

  constructor(private readonly profile: UsageProfile) {}

  over(from: number, to: number): number {
    const profile = this.profile;
    while (this.segment + 1 < profile.length && profile[this.segment + 1]!.fromSecond <= from) this.segment++;
    let sum = 0;
    let at = from;
    while (this.segment + 1 < profile.length && profile[this.segment + 1]!.fromSecond < to) {
      const next = profile[this.segment + 1]!.fromSecond;
      sum += (profile[this.segment]?.value ?? 0) * (next - at);
      at = next;
      this.segment++;
    }
    return sum + (profile[this.segment]?.value ?? 0) * (to - at);
  }
}
