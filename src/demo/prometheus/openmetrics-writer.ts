// Writes a history as OpenMetrics text for `promtool tsdb create-blocks-from openmetrics`, fast. Fixture clusters
// go to TSDB blocks directly (tsdb-blocks/); this text is for tests that compare the two, and its writer stays the
// reference the blocks are checked against.
//
// promtool's rules (see test-infrastructure.md §1): timestamps in seconds, every series in ascending time (it drops
// out-of-order samples silently), the file ends with `# EOF`. The output is tens of millions of lines, so the sample
// loops allocate nothing per sample: they copy the pre-encoded series text and hand-written digits into one reused
// buffer that is written out in large chunks.

import { writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { FixtureCluster } from '../cluster-model.js';
import { allSeries } from './cluster-series.js';
import { HistoryEmitter } from './history-emitter.js';
import { countHistory, progressReporter, runInTurns } from './history-generation.js';
import type { GeneratedCounts, GenerationOptions, Labels, SeriesSink } from './series-sink.js';

const BUFFER_BYTES = 1 << 22;
/** Enough for any timestamp or number-to-string output. */
const MAX_NUMBER_CHARS = 32;
const SPACE = 0x20;
const NEWLINE = 0x0a;
const ZERO = 0x30;

/** Writes the cluster's history to `outPath`. */
export async function writeOpenMetrics(
  cluster: FixtureCluster,
  outPath: string,
  options: GenerationOptions = {},
): Promise<GeneratedCounts> {
  const planned = await countHistory(cluster, options.signal);
  const file = await open(outPath, 'w');
  try {
    const writer = new OpenMetricsWriter(file.fd);
    const out = new HistoryEmitter(writer, cluster);
    await runInTurns(allSeries(out, cluster), options.signal, progressReporter(out, planned, options));
    writer.end();
    return { series: out.series, samples: out.samples };
  } finally {
    await file.close();
  }
}

export class OpenMetricsWriter implements SeriesSink {
  private readonly buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  private used = 0;

  constructor(private readonly fd: number) {}

  family(name: string, type: 'gauge' | 'counter', help: string): void {
    this.text(`# TYPE ${name} ${type}\n# HELP ${name} ${help}\n`);
  }

  series(
    name: string,
    labels: Labels,
    firstSecond: number,
    stepSeconds: number,
    values: Float64Array,
    count: number,
  ): void {
    const prefix = Buffer.from(`${seriesText(name, labels)} `);
    for (let i = 0, t = firstSecond; i < count; i++, t += stepSeconds) {
      this.reserve(prefix.length + 2 * MAX_NUMBER_CHARS);
      this.used += prefix.copy(this.buffer, this.used);
      const value = values[i]!;
      // Most values are whole bytes; digits written by hand are much cheaper than number-to-string.
      if (Number.isSafeInteger(value) && value >= 0) this.digits(value);
      else this.used += this.buffer.write(String(value), this.used, 'latin1');
      this.buffer[this.used++] = SPACE;
      this.digits(t);
      this.buffer[this.used++] = NEWLINE;
    }
  }

  end(): void {
    this.text('# EOF\n');
    this.flush();
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
    let written = 0;
    while (written < this.used) written += writeSync(this.fd, this.buffer, written, this.used - written);
    this.used = 0;
  }
}

function seriesText(name: string, labels: Labels): string {
  const pairs = Object.entries(labels).map(([key, value]) => `${key}="${escapeLabelValue(value)}"`);
  return `${name}{${pairs.join(',')}}`;
}

function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
