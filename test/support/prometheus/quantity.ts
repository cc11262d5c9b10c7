// Kubernetes resource quantities ("250m", "1.5Gi", "1e3"), enough for fixture container specs.
// Test support only: the product has its own parser and must not depend on this one.

const SUFFIX_FACTORS: Record<string, number> = {
  '': 1,
  // Negative: divide by the factor, so that "250m" is the double nearest 0.25 rather than 250 × 0.001.
  n: -1e9,
  u: -1e6,
  m: -1e3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

// The exponent needs digits, so "1E" is exa while "1e3" is a thousand.
const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)(n|u|m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;

/** The quantity as a plain number (cores for CPU, bytes for memory). Throws on anything Kubernetes would reject. */
export function parseQuantity(text: string): number {
  const match = QUANTITY.exec(text.trim());
  const factor = match ? SUFFIX_FACTORS[match[2] ?? ''] : undefined;
  if (!match || factor === undefined) throw new Error(`not a Kubernetes quantity: ${JSON.stringify(text)}`);
  const number = Number(match[1]);
  return factor < 0 ? number / -factor : number * factor;
}
