// What the strategies read: per loader, the values of each pod, exactly as krr's metric loaders hand
// them over (`{LoaderName: {pod: values}}`). Instant queries give one value per pod, range queries many.

export type PodValues = ReadonlyMap<string, readonly number[]>;

export type LoaderName =
  | 'PercentileCPULoader'
  | 'CPULoader'
  | 'CPUAmountLoader'
  | 'MaxMemoryLoader'
  | 'MemoryAmountLoader'
  | 'MaxOOMKilledMemoryLoader';

export type HistoryData = Partial<Record<LoaderName, PodValues>>;

const EMPTY: PodValues = new Map();

export function loaderValues(history: HistoryData, loader: LoaderName): PodValues {
  return history[loader] ?? EMPTY;
}

/** The sum over pods of each pod's first value (krr's `total_points_count`). */
export function sumOfFirstValues(values: PodValues): number {
  let total = 0;
  for (const series of values.values()) total += series[0] ?? 0;
  return total;
}

/** The maximum over pods of each pod's maximum (numpy `max` semantics: any NaN makes the result NaN). */
export function maxOfAll(values: PodValues): number {
  let result = -Infinity;
  for (const series of values.values()) {
    for (const v of series) {
      if (Number.isNaN(v)) return NaN;
      if (v > result) result = v;
    }
  }
  return result;
}
