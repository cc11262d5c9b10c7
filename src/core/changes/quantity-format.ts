// Turning krr's numbers (cores, bytes) into the quantity strings written to the cluster, and reading
// quantity strings back as numbers so that "1" and "1000m" compare equal.

import { checkQuantity } from '../kube/quantity.js';

const MiB = 1024 * 1024;

/**
 * Cores as whole millicores ("250m"). Rounded up: krr already rounds up to millicores, and the
 * epsilon keeps float noise (0.3 × 1000 = 300.00000000000006) from adding a millicore.
 */
export function formatCpuCores(cores: number): string {
  const millicores = Math.max(0, Math.ceil(cores * 1000 - 1e-6));
  return `${millicores}m`;
}

/** Bytes as "Mi" when they are a whole number of MiB (readable), else as plain bytes (exact). */
export function formatMemoryBytes(bytes: number): string {
  const whole = Math.max(0, Math.ceil(bytes - 1e-6));
  return whole % MiB === 0 && whole > 0 ? `${whole / MiB}Mi` : String(whole);
}

/** The value of a quantity in base units, or undefined when the text is not a valid quantity. */
export function quantityValue(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const checked = checkQuantity(text);
  return checked.ok ? checked.value : undefined;
}

/** Whether two quantity strings mean the same amount (the API server canonicalizes what it stores). */
export function sameQuantity(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  const va = quantityValue(a);
  const vb = quantityValue(b);
  return va !== undefined && vb !== undefined ? va === vb : a === b;
}
