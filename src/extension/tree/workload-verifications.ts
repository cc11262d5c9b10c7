import type { WorkloadVerdict } from '../../core/verify/model.js';

/**
 * The latest post-apply verification that covers one workload, as the tree shows it. Kept apart from the
 * scan results (a scan runs after every apply and would otherwise wipe it) and merged into the nodes.
 */
export interface WorkloadVerification {
  verificationId: string;
  /** Undoes the apply this verification watches (through the approval panel, like any rollback). */
  rollbackId: string;
  /** The apply was itself a rollback: there is nothing to offer to roll back. */
  rollback: boolean;
  state: 'running' | 'completed' | 'stopped';
  /** This workload's verdict: final once completed, the verdict so far while running. */
  verdict?: WorkloadVerdict;
  /** Why it stopped without a verdict. */
  error?: string;
}

/** What the tree asks the verification presenter, and no more (the tree stays testable without it). */
export interface WorkloadVerifications {
  of(
    context: string,
    workload: { kind: string; namespace: string; name: string },
  ): WorkloadVerification | undefined;
}
