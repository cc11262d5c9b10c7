/** One value per series (an instant vector). */
export interface Sample {
  metric: Record<string, string>;
  value: number;
}

/** A series of a range result: values and their unix-second timestamps, in time order. */
export interface Series {
  metric: Record<string, string>;
  values: number[];
  timestamps: number[];
}
