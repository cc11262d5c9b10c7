import type { WorkloadVerification } from './workload-verifications.js';

// How a workload row shows the verification after an apply. Tree descriptions render no codicons, so the
// marks are characters; the evidence is in the tooltip.

export const VERIFYING_MARK = 'verifying…';

const VERDICT_MARKS = {
  healthy: '✓ verified',
  degraded: '⚠ degraded',
  failed: '✗ failed',
} as const;

/** The mark for a workload's description, or undefined when no verification covers it. */
export function verificationMark(verification: WorkloadVerification | undefined): string | undefined {
  if (!verification) return undefined;
  if (verification.state === 'running') return VERIFYING_MARK;
  if (verification.state === 'stopped' || !verification.verdict) return 'verification stopped';
  return VERDICT_MARKS[verification.verdict.verdict];
}

/**
 * The contextValue part that offers "Roll Back…" on the row: a completed verification that found the
 * workload degraded or failed, of an apply that was not itself a rollback.
 */
export function verificationContext(verification: WorkloadVerification | undefined): string | undefined {
  const verdict = verification?.state === 'completed' ? verification.verdict?.verdict : undefined;
  if (!verification || verification.rollback || !verdict || verdict === 'healthy') return undefined;
  return `verification-${verdict}`;
}
