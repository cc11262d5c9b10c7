// What a block's index needs to know about its series once their chunks are on disk: the label sets (as symbol
// ids) and where each chunk is. Kept in typed-array columns: a block of half a million series and ten million
// chunks costs about 150 MB here, where objects per series and chunk would cost gigabytes.
//
// A chunk's time range is not stored: a series is a regular run of samples (first time, step, count) cut into
// chunks of MAX_SAMPLES_PER_CHUNK, so chunk k's first and last sample times follow from the run.

import { Float64Column, Uint32Column } from './typed-columns.js';
import { MAX_SAMPLES_PER_CHUNK } from './xor-chunk.js';

/** Label name and value, sorted by name, empty values left out (as Prometheus stores them). */
export type LabelPairs = ReadonlyArray<readonly [name: string, value: string]>;

export interface SeriesRun {
  /** First sample time in ms. */
  firstTime: number;
  /** Time between samples in ms. */
  step: number;
  sampleCount: number;
  /** The chunk segment (0 for chunks/000001) holding all of the series' chunks. */
  segment: number;
  /** The offset of each chunk record in that segment. */
  chunkOffsets: Uint32Array;
}

export class BlockSeriesTable {
  /** Every label name and value of the block's series, by id (in the order first seen). */
  readonly symbols: string[] = [];
  /** Series i's label pairs are labelPairs[labelStarts[i] … labelStarts[i + 1]): name id, value id, name id … */
  readonly labelStarts = new Uint32Column();
  readonly labelPairs = new Uint32Column();
  readonly firstTimes = new Float64Column();
  readonly steps = new Float64Column();
  readonly sampleCounts = new Uint32Column();
  readonly segments = new Uint32Column();
  /** Series i's chunk offsets are chunkOffsets[chunkStarts[i] … chunkStarts[i + 1]). */
  readonly chunkStarts = new Uint32Column();
  readonly chunkOffsets = new Uint32Column();
  samples = 0;
  minTime = Infinity;
  /** The last sample's time (the block's maxTime is one ms later). */
  lastTime = -Infinity;
  private readonly symbolIds = new Map<string, number>();

  constructor() {
    this.labelStarts.push(0);
    this.chunkStarts.push(0);
  }

  get seriesCount(): number {
    return this.sampleCounts.length;
  }

  get chunkCount(): number {
    return this.chunkOffsets.length;
  }

  add(labels: LabelPairs, run: SeriesRun): void {
    for (const [name, value] of labels) {
      this.labelPairs.push(this.symbolId(name));
      this.labelPairs.push(this.symbolId(value));
    }
    this.labelStarts.push(this.labelPairs.length);
    this.firstTimes.push(run.firstTime);
    this.steps.push(run.step);
    this.sampleCounts.push(run.sampleCount);
    this.segments.push(run.segment);
    for (const offset of run.chunkOffsets) this.chunkOffsets.push(offset);
    this.chunkStarts.push(this.chunkOffsets.length);
    this.samples += run.sampleCount;
    this.minTime = Math.min(this.minTime, run.firstTime);
    this.lastTime = Math.max(this.lastTime, run.firstTime + (run.sampleCount - 1) * run.step);
  }

  /** The time of the first sample of chunk `chunk` (0-based) of series `series`. */
  chunkMinTime(series: number, chunk: number): number {
    return this.firstTimes.at(series) + chunk * MAX_SAMPLES_PER_CHUNK * this.steps.at(series);
  }

  /** The time of the last sample of chunk `chunk` of series `series`. */
  chunkMaxTime(series: number, chunk: number): number {
    const last = Math.min((chunk + 1) * MAX_SAMPLES_PER_CHUNK, this.sampleCounts.at(series)) - 1;
    return this.firstTimes.at(series) + last * this.steps.at(series);
  }

  private symbolId(text: string): number {
    let id = this.symbolIds.get(text);
    if (id === undefined) {
      id = this.symbols.length;
      this.symbols.push(text);
      this.symbolIds.set(text, id);
    }
    return id;
  }
}
