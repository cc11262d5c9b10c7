// Kubernetes resource quantities: krr's lenient reader of current values, and the strict grammar the
// API server enforces (used before anything is written).

const KRR_SUFFIXES: Array<[string, number]> = [
  ['m', 1e-3],
  ['Ki', 1024],
  ['Mi', 1024 ** 2],
  ['Gi', 1024 ** 3],
  ['Ti', 1024 ** 4],
  ['Pi', 1024 ** 5],
  ['Ei', 1024 ** 6],
  ['k', 1e3],
  ['M', 1e6],
  ['G', 1e9],
  ['T', 1e12],
  ['P', 1e15],
  ['E', 1e18],
];

/**
 * krr's `resource_units.parse`: suffixes checked in krr's order, else a plain float. Returns NaN for
 * text krr could not read either (it would have crashed; we report "?" instead).
 */
export function parseQuantityLikeKrr(text: string): number {
  for (const [suffix, factor] of KRR_SUFFIXES) {
    if (text.endsWith(suffix)) {
      // krr multiplies by the unit's factor for every suffix (also 0.001 for "m"; float results depend on it).
      const number = text.slice(0, -suffix.length);
      return number.trim() === '' ? NaN : Number(number) * factor;
    }
  }
  return text.trim() === '' ? NaN : Number(text);
}

const QUANTITY = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)|([eE][+-]?\d+))?$/;
const DECIMAL_FACTORS: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};
const BINARY_FACTORS: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

export type QuantityCheck = { ok: true; value: number } | { ok: false; reason: string };

/**
 * Checks a quantity against the API server's grammar (resource.Quantity) and the rules for container
 * resources: non-negative and finite. Returns its value in base units (cores or bytes).
 */
export function checkQuantity(text: string): QuantityCheck {
  const m = QUANTITY.exec(text);
  if (!m)
    return { ok: false, reason: `"${text}" is not a Kubernetes quantity (examples: 250m, 0.5, 512Mi, 1Gi)` };
  const [, sign, digits, suffix, exponent] = m;
  if (sign === '-') return { ok: false, reason: `"${text}" is negative; resources must be zero or more` };
  let value = Number(digits);
  if (suffix && suffix in BINARY_FACTORS) value *= BINARY_FACTORS[suffix]!;
  else if (suffix) value *= DECIMAL_FACTORS[suffix]!;
  else if (exponent) value *= 10 ** Number(exponent.slice(1));
  if (!Number.isFinite(value) || value > 9.2e18) return { ok: false, reason: `"${text}" is too large` };
  return { ok: true, value };
}
