import type { Series } from './series.js';

/**
 * Prometheus refuses a range query whose `(end − start) / step` exceeds 11,000 ("exceeded maximum resolution
 * of 11,000 points per timeseries"); Thanos and Mimir keep the same limit. krr's default `simple_limit` read
 * (14 days at 75 s = 16,128 steps) is over it. A range query evaluates the expression independently at
 * `start + k·step`, so splitting the steps into consecutive chunks and concatenating the results gives exactly
 * the points one unlimited query would.
 */
export const MAX_STEPS_PER_RANGE_QUERY = 11_000;

export interface RangeChunk {
  start: number;
  end: number;
}

/**
 * Consecutive chunks covering the evaluation times `start, start + step, …` up to `end`, each with at most
 * `maxSteps` steps between its first and last point (so at most maxSteps + 1 points), none sharing a point.
 */
export function rangeChunks(
  start: number,
  end: number,
  stepSeconds: number,
  maxSteps: number = MAX_STEPS_PER_RANGE_QUERY,
): RangeChunk[] {
  if (!(stepSeconds > 0) || !(maxSteps >= 1)) throw new RangeError('step and maxSteps must be positive');
  if (end - start <= maxSteps * stepSeconds) return [{ start, end }];
  const chunks: RangeChunk[] = [];
  const pointsPerChunk = Math.floor(maxSteps) + 1;
  for (let first = start; first <= end; first += pointsPerChunk * stepSeconds) {
    chunks.push({ start: first, end: Math.min(end, first + (pointsPerChunk - 1) * stepSeconds) });
  }
  return chunks;
}

/** Joins the chunks' results series by series (same label set), in time order. */
export function concatenateChunks(chunks: readonly Series[][]): Series[] {
  if (chunks.length === 1) return chunks[0]!;
  const byLabels = new Map<string, Series>();
  for (const chunk of chunks) {
    for (const series of chunk) {
      const key = labelKey(series.metric);
      const seen = byLabels.get(key);
      if (!seen) {
        byLabels.set(key, {
          metric: series.metric,
          values: [...series.values],
          timestamps: [...series.timestamps],
        });
        continue;
      }
      for (let i = 0; i < series.values.length; i++) {
        seen.values.push(series.values[i]!);
        seen.timestamps.push(series.timestamps[i]!);
      }
    }
  }
  return [...byLabels.values()];
}

function labelKey(metric: Record<string, string>): string {
  return JSON.stringify(
    Object.keys(metric)
      .sort()
      .map((name) => [name, metric[name]]),
  );
}
