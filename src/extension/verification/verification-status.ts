import * as vscode from 'vscode';
import type { VerificationUpdate } from '../../core/approval/verification-runner.js';
import type { WorkloadTarget } from '../../core/changes/change-request.js';
import type { WorkloadVerdict } from '../../core/verify/model.js';
import type { WorkloadVerification, WorkloadVerifications } from '../tree/workload-verifications.js';

type Workload = Pick<WorkloadTarget, 'kind' | 'namespace' | 'name'>;

/** Kubernetes names never contain "/"; a context name may, so it comes last. */
const keyOf = (context: string, w: Workload) => `${w.kind}/${w.namespace}/${w.name}/${context}`;

const sameWorkload = (a: Workload, b: Workload) =>
  a.kind === b.kind && a.namespace === b.namespace && a.name === b.name;

/** This workload's verdict in an update: the final one once completed, the one so far while running. */
export function verdictOf(update: VerificationUpdate, workload: Workload): WorkloadVerdict | undefined {
  const verdicts = update.result?.workloads ?? update.progress?.workloads ?? [];
  const found = verdicts.find((v) => sameWorkload(v.target, workload));
  if (!found) return undefined;
  const { target, verdict, rollout, evidence } = found;
  return { target, verdict, rollout, evidence };
}

/**
 * The latest verification per workload (kind, namespace, name and context), outside the scan results,
 * which every apply replaces. A workload shows the newest verification that covers it: the older one of an
 * apply that was rolled back may still be running, and its later words must not hide the rollback's.
 */
export class VerificationStatus implements WorkloadVerifications, vscode.Disposable {
  private readonly byWorkload = new Map<string, WorkloadVerification & { order: number }>();
  /** Verification id → the order in which it was first heard of. */
  private readonly order = new Map<string, number>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  update(update: VerificationUpdate): void {
    let order = this.order.get(update.verificationId);
    if (order === undefined) {
      order = this.order.size;
      this.order.set(update.verificationId, order);
    }
    let changed = false;
    for (const target of update.targets) {
      const key = keyOf(update.context, target);
      const shown = this.byWorkload.get(key);
      if (shown && shown.order > order) continue;
      const verdict = verdictOf(update, target);
      this.byWorkload.set(key, {
        order,
        verificationId: update.verificationId,
        rollbackId: update.rollbackId,
        rollback: update.rollback,
        state: update.state,
        ...(verdict ? { verdict } : {}),
        ...(update.error !== undefined ? { error: update.error } : {}),
      });
      changed = true;
    }
    if (changed) this.changed.fire();
  }

  of(context: string, workload: Workload): WorkloadVerification | undefined {
    const found = this.byWorkload.get(keyOf(context, workload));
    if (!found) return undefined;
    const { order: _order, ...verification } = found;
    return verification;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
