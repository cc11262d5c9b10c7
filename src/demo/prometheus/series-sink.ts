// What a cluster's generated history is handed to: the OpenMetrics text writer (for promtool) or the TSDB block
// writer. Both get the same series with the same samples, so that a Prometheus loaded either way answers alike.

export type Labels = Record<string, string>;

/** A series as a scrape reports it: the metric name and its labels, in the order the exporter prints them. */
export interface SeriesId {
  name: string;
  labels: Labels;
}

export interface SeriesSink {
  /** A metric family starts; its series follow (as a scrape keeps them together). */
  family(name: string, type: 'gauge' | 'counter', help: string): void;
  /**
   * One whole series: `values[i]` at unix second `firstSecond + i * stepSeconds`, for i below `count`. `values`
   * is the generator's reused buffer: it is only valid during the call.
   */
  series(
    name: string,
    labels: Labels,
    firstSecond: number,
    stepSeconds: number,
    values: Float64Array,
    count: number,
  ): void;
}

export interface GeneratedCounts {
  series: number;
  samples: number;
}

export interface GenerationProgress {
  samples: number;
  totalSamples: number;
}

export interface GenerationOptions {
  /** Called a few times a second while the history is written. */
  onProgress?: (progress: GenerationProgress) => void;
  /** Stops the generation (it rejects with the signal's reason); the caller removes what was written. */
  signal?: AbortSignal;
}
