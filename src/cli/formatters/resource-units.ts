import type { RecommendationValue } from '../../core/recommend/model.js';

const BINARY_UNITS = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

/** Python's `f"{x:.0f}"`: the exact value rounded to an integer, ties to even. */
function formatNoDecimals(x: number): string {
  const floor = Math.floor(x);
  if (x - floor === 0.5) return String(floor % 2 === 0 ? floor : floor + 1);
  return x.toFixed(0);
}

/**
 * krr's human format (robusta_krr/utils/resource_units.py `format`, base 1024): millicores below 1
 * (truncated), the plain number below 1024, else the first binary unit whose next unit would be
 * below 10 (5 GiB → 5120Mi, 20 GiB → 20Gi).
 */
export function formatQuantity(value: RecommendationValue): string {
  if (value === null) return 'unset';
  if (value === '?') return '?';
  if (value < 1) return `${Math.trunc(value * 1000)}m`;
  if (value < 1024) return Number.isInteger(value) ? value.toFixed(1) : String(value);
  const x = Math.trunc(value);
  for (let i = 0; i < BINARY_UNITS.length; i++) {
    if (x < 1024 ** (i + 1) || i === BINARY_UNITS.length - 1 || x / 1024 ** (i + 1) < 10) {
      return `${formatNoDecimals(x / 1024 ** i)}${BINARY_UNITS[i]}`;
    }
  }
  return String(x);
}
