// Kubernetes resource.Quantity: the grammar the API server accepts, exact comparison, and the
// canonical String() form it writes back ("1000m" is stored and returned as "1", "0.5" as "500m").
// Values are kept as an exact fraction (BigInt numerator over 10^9), which is the server's nano precision.

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export interface Quantity {
  /** Value × 10^9, rounded up like the server rounds sub-nano precision. */
  nanos: bigint;
  format: QuantityFormat;
}

/** The message kube-apiserver returns when a quantity does not parse. */
export const QUANTITY_ERROR =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

const NANO = 10n ** 9n;
const DECIMAL_SUFFIX: Record<string, number> = {
  n: -9,
  u: -6,
  m: -3,
  '': 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};
const BINARY_SUFFIX: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const GRAMMAR =
  /^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(?:(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)|[eE]([+-]?[0-9]+))?$/;
// Quantity documents a 2^63 cap on magnitude; values far beyond it (e.g. "1e309") are refused here
// as undecodable, which is the contract the product's tests rely on ("8Ei" = 2^63 still parses).
const MAX_NANOS = 2n ** 63n * NANO;

function pow10(exp: number): bigint {
  return 10n ** BigInt(exp);
}

/** Parses a quantity; undefined when kube-apiserver would refuse to decode it. */
export function parseQuantity(input: string | number): Quantity | undefined {
  const text = typeof input === 'number' ? (Number.isFinite(input) ? String(input) : '') : input;
  const match = GRAMMAR.exec(text);
  if (!match) return undefined;
  const [, numberText = '', suffix, exponentText] = match;
  const negative = numberText.startsWith('-');
  const unsigned = numberText.replace(/^[+-]/, '');
  const [intPart = '', fracPart = ''] = unsigned.split('.');
  const digits = BigInt((intPart + fracPart).replace(/^0+(?=\d)/, '') || '0');
  // value = digits × 10^(-fracLen) × scale
  let decimalExp = -fracPart.length;
  let binaryExp = 0;
  let format: QuantityFormat = 'DecimalSI';
  if (exponentText !== undefined) {
    const exp = Number(exponentText);
    if (!Number.isSafeInteger(exp) || Math.abs(exp) > 400) return undefined;
    decimalExp += exp;
    format = 'DecimalExponent';
  } else if (suffix !== undefined && suffix in BINARY_SUFFIX) {
    binaryExp = BINARY_SUFFIX[suffix] ?? 0;
    format = 'BinarySI';
  } else {
    decimalExp += DECIMAL_SUFFIX[suffix ?? ''] ?? 0;
  }
  const numerator = digits * 2n ** BigInt(binaryExp);
  // nanos = numerator × 10^(decimalExp + 9), rounded up (away from zero) like Quantity does.
  const shift = decimalExp + 9;
  let nanos: bigint;
  if (shift >= 0) {
    nanos = numerator * pow10(shift);
  } else {
    const divisor = pow10(-shift);
    nanos = numerator / divisor + (numerator % divisor === 0n ? 0n : 1n);
  }
  if (nanos > MAX_NANOS) return undefined;
  return { nanos: negative ? -nanos : nanos, format };
}

export function compareQuantities(a: Quantity, b: Quantity): number {
  return a.nanos < b.nanos ? -1 : a.nanos > b.nanos ? 1 : 0;
}

/** Quantity.String(): the canonical form the API server returns. */
export function formatQuantity(q: Quantity): string {
  const sign = q.nanos < 0n ? '-' : '';
  const abs = q.nanos < 0n ? -q.nanos : q.nanos;
  if (abs === 0n) return '0';
  let format = q.format;
  // Small or fractional binary values fall back to decimal, as in Quantity.CanonicalizeBytes.
  if (format === 'BinarySI' && (abs < 1024n * NANO || abs % NANO !== 0n)) format = 'DecimalSI';
  if (format === 'BinarySI') {
    let value = abs / NANO;
    let exp = 0;
    while (exp < 60 && value % 1024n === 0n) {
      value /= 1024n;
      exp += 10;
    }
    const suffix = Object.entries(BINARY_SUFFIX).find(([, e]) => e === exp)?.[0] ?? '';
    return `${sign}${value}${suffix}`;
  }
  // Largest exponent (multiple of 3, at most 18) that keeps an integer mantissa.
  let mantissa = abs;
  let exp = -9;
  while (exp < 18 && mantissa % 1000n === 0n) {
    mantissa /= 1000n;
    exp += 3;
  }
  if (format === 'DecimalExponent') return `${sign}${mantissa}${exp === 0 ? '' : `e${exp}`}`;
  const suffix = Object.entries(DECIMAL_SUFFIX).find(([, e]) => e === exp)?.[0] ?? '';
  return `${sign}${mantissa}${suffix}`;
}
