/**
 * numpy.percentile with its default "linear" method: sort, h = (n - 1) * p / 100, interpolate between
 * the two closest ranks. Prometheus' quantile_over_time uses the same rule, which is why krr's two
 * strategies agree on single-pod data. NaN anywhere gives NaN, as in numpy.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  if (Number.isNaN(sorted[sorted.length - 1]!)) return NaN;
  // numpy divides first (q = p / 100), then takes (n - 1) * q; the order matters in floating point.
  const h = (sorted.length - 1) * (p / 100);
  const lower = Math.floor(h);
  const upper = Math.min(lower + 1, sorted.length - 1);
  const a = sorted[lower]!;
  const b = sorted[upper]!;
  const fraction = h - lower;
  // numpy's _lerp: a + (b - a) * t, switched to b - (b - a) * (1 - t) for t >= 0.5 (stable at the ends).
  const diff = b - a;
  return fraction >= 0.5 ? b - diff * (1 - fraction) : a + diff * fraction;
}
