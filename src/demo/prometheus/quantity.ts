import { checkQuantity } from '../../core/kube/quantity.js';

/** A fixture's quantity as a plain number (cores or bytes); fixtures with invalid quantities are bugs. */
export function parseQuantity(text: string): number {
  const checked = checkQuantity(text.trim());
  if (!checked.ok) throw new Error(`not a Kubernetes quantity: ${JSON.stringify(text)} (${checked.reason})`);
  return checked.value;
}
