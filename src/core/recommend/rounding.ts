import type { ResourceName } from './model.js';
import type { ValueMinimums } from './settings.js';

const MIB = 1024 ** 2;

/**
 * krr's Runner._round_value: round up to whole millicores / whole MiB, then apply the minimums.
 * NaN (undefined) and null (unset) pass through untouched. The float operations are the same as
 * krr's (`ceil(value * prec) / prec` with prec = 1000 or 1 / 1024**2) so results agree to the bit.
 */
export function roundRecommendation(
  value: number | null,
  resource: ResourceName,
  minimums: ValueMinimums,
): number | null {
  if (value === null || Number.isNaN(value)) return value;
  const precision = resource === 'cpu' ? 1000 : 1 / MIB;
  const rounded = Math.ceil(value * precision) / precision;
  const minimum = resource === 'cpu' ? minimums.cpu_min_value / 1000 : minimums.memory_min_value * MIB;
  return Math.max(rounded, minimum);
}
