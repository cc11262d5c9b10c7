// Writes OpenMetrics text for `promtool tsdb create-blocks-from openmetrics`, fast.
//
// promtool's rules (see test-infrastructure.md §1): timestamps in seconds, every series in ascending time (it drops
// out-of-order samples silently), the file ends with `# EOF`. The output is tens of millions of lines, so the sample
// loops allocate nothing per sample: they copy pre-encoded series text and hand-written digits into one reused
// buffer that is written out in large chunks.

import { writeSync } from 'node:fs';
import { historyStart, type FixtureCluster, type FixturePod, type UsageProfile } from '../cluster-model.js';

/** A nonzero start, so that rate() never sees what looks like a counter reset to zero. */
const CPU_COUNTER_BASE = 1000;
const BUFFER_BYTES = 1 << 22;
/** Enough for any timestamp or number-to-string output. */
const MAX_NUMBER_CHARS = 32;
const SPACE = 0x20;
const NEWLINE = 0x0a;
const ZERO = 0x30;

export interface GeneratedCounts {
  series: number;
  samples: number;
}

/** Sample times (unix seconds, inclusive, multiples of the scrape interval). */
export interface Span {
  first: number;
  last: number;
}

export type Labels = Record<string, string>;

export class OpenMetricsWriter {
  series = 0;
  samples = 0;
  readonly wholeHistory: Span;
  private readonly buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  private used = 0;
  private readonly start: number;
  private readonly step: number;
  private readonly clusterLabels: string;

  /** `fd` undefined: count series and samples only (nothing is formatted or written). */
  constructor(
    private readonly fd: number | undefined,
    private readonly cluster: FixtureCluster,
  ) {
    this.start = historyStart(cluster);
    this.step = cluster.scrapeIntervalSeconds;
    if (cluster.endTime % this.step !== 0)
      throw new Error('endTime must be a multiple of scrapeIntervalSeconds');
    this.wholeHistory = { first: this.ceilToStep(this.start), last: cluster.endTime };
    this.clusterLabels = Object.entries(cluster.prometheusLabels ?? {})
      .map(([key, value]) => `,${key}="${escapeLabelValue(value)}"`)
      .join('');
  }

  /** The series with the cluster's own labels (a shared Prometheus's), after its others. */
  private labelled(seriesText: string): string {
    return this.clusterLabels ? `${seriesText.slice(0, -1)}${this.clusterLabels}}` : seriesText;
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
    this.text(`# TYPE ${name} ${type}\n# HELP ${name} ${help}\n`);
  }

  constant(seriesText: string, value: number, span: Span | undefined): void {
    if (!span) return;
    if (this.fd === undefined) return this.countSeries(span);
    const prefix = Buffer.from(`${this.labelled(seriesText)} ${value} `);
    for (let t = span.first; t <= span.last; t += this.step) {
      this.reserve(prefix.length + MAX_NUMBER_CHARS);
      this.used += prefix.copy(this.buffer, this.used);
      this.integerLine(t);
    }
    this.countSeries(span);
  }

  gauge(seriesText: string, profile: UsageProfile, span: Span | undefined): void {
    if (!span) return;
    if (this.fd === undefined) return this.countSeries(span);
    const prefix = Buffer.from(this.labelled(seriesText) + ' ');
    let segment = 0;
    for (let t = span.first; t <= span.last; t += this.step) {
      const second = t - this.start;
      while (segment + 1 < profile.length && profile[segment + 1]!.fromSecond <= second) segment++;
      this.sample(prefix, profile[segment]?.value ?? 0, t);
    }
    this.countSeries(span);
  }

  /** A counter whose slope is the profile, integrated exactly from `sinceSecond` (the pod start). */
  counter(seriesText: string, profile: UsageProfile, sinceSecond: number, span: Span | undefined): void {
    if (!span) return;
    if (this.fd === undefined) return this.countSeries(span);
    const prefix = Buffer.from(this.labelled(seriesText) + ' ');
    const integral = new ProfileIntegral(profile);
    let previous = sinceSecond;
    let total = CPU_COUNTER_BASE;
    for (let t = span.first; t <= span.last; t += this.step) {
      const second = t - this.start;
      total += integral.over(previous, second);
      previous = second;
      this.sample(prefix, total, t);
    }
    this.countSeries(span);
  }

  end(): void {
    this.text('# EOF\n');
    this.flush();
  }

  private sample(prefix: Buffer, value: number, time: number): void {
    this.reserve(prefix.length + 2 * MAX_NUMBER_CHARS);
    this.used += prefix.copy(this.buffer, this.used);
    // Most values are whole bytes; digits written by hand are much cheaper than number-to-string.
    if (Number.isSafeInteger(value) && value >= 0) this.digits(value);
    else this.used += this.buffer.write(String(value), this.used, 'latin1');
    this.buffer[this.used++] = SPACE;
    this.integerLine(time);
  }

  private integerLine(value: number): void {
    this.digits(value);
    this.buffer[this.used++] = NEWLINE;
  }

  private digits(value: number): void {
    let length = 1;
    for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) length++;
    let rest = value;
    for (let i = this.used + length - 1; i >= this.used; i--) {
      this.buffer[i] = ZERO + (rest % 10);
      rest = Math.floor(rest / 10);
    }
    this.used += length;
  }

  private text(text: string): void {
    const bytes = Buffer.from(text);
    this.reserve(bytes.length);
    this.used += bytes.copy(this.buffer, this.used);
  }

  private reserve(bytes: number): void {
    if (bytes > BUFFER_BYTES) throw new Error(`a line of ${bytes} bytes does not fit the write buffer`);
    if (this.used + bytes > BUFFER_BYTES) this.flush();
  }

  /** Synchronous: the sample loops stay free of awaits, and the file is written in a few hundred large writes. */
  private flush(): void {
    if (this.fd === undefined) {
      this.used = 0;
      return;
    }
    let written = 0;
    while (written < this.used) written += writeSync(this.fd, this.buffer, written, this.used - written);
    this.used = 0;
  }

  private countSeries(span: Span): void {
    this.series++;
    this.samples += (span.last - span.first) / this.step + 1;
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

export function series(name: string, labels: Labels): string {
  const pairs = Object.entries(labels).map(([key, value]) => `${key}="${escapeLabelValue(value)}"`);
  return `${name}{${pairs.join(',')}}`;
}

function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
