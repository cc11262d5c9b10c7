// How the authority's steps read in the audit log: one record per step, names as data.

import type { AuditEntry } from '../audit/record.js';
import { targetLabel } from '../changes/change-request.js';
import type { ApplyEvent, ApplyResult } from '../changes/executor.js';
import type { ChangePlan } from '../changes/plan.js';

const PATCH_OR_RESTORE = new Set(['object-applied', 'object-failed']);

/** The record of one executor event (snapshot, patch, restore, finish, in-place resize of a pod). */
export function applyEventRecord(event: ApplyEvent): AuditEntry {
  const operation =
    event.type === 'snapshot-written'
      ? 'snapshot'
      : event.type.startsWith('object-restore')
        ? 'restore'
        : event.type === 'apply-finished'
          ? 'apply_completed'
          : PATCH_OR_RESTORE.has(event.type)
            ? 'patch'
            : 'resize';
  const failed =
    event.type === 'object-failed' ||
    event.type === 'object-restore-failed' ||
    event.type === 'pod-resize-failed';
  return {
    operation,
    // A resize Kubernetes could not do yet (Deferred, Infeasible) is not an error, and not done either.
    status: failed ? 'error' : event.type === 'pod-resize-pending' ? 'partial' : 'ok',
    ...(event.target ? { namespace: event.target.namespace } : {}),
    details: {
      event: event.type,
      planId: event.planId,
      rollbackId: event.rollbackId,
      ...(event.target ? { target: targetLabel(event.target) } : {}),
      ...(event.resourceVersion ? { resourceVersion: event.resourceVersion } : {}),
      ...(event.pod ? { pod: event.pod.name, podUid: event.pod.uid } : {}),
      ...(event.message ? { message: event.message } : {}),
    },
  };
}

export function planDetails(plan: ChangePlan, reason: string | undefined): Record<string, unknown> {
  return {
    planId: plan.id,
    planHash: plan.hash,
    context: plan.cluster.context,
    server: plan.cluster.server,
    risk: plan.risk.level,
    blocks: plan.blocks,
    workloads: plan.workloads.map((w) => ({
      target: targetLabel(w.target),
      resourceVersion: w.resourceVersion,
      changes: w.containers.map((c) => ({ container: c.container, source: c.source, changes: c.changes })),
    })),
    ...(reason ? { agentReason: reason } : {}),
  };
}

/** The record of a decision the agent collects (pending answers are not decisions yet). */
export function decisionRecord(
  plan: ChangePlan,
  result: { status: string; expiresAt: string | null },
): AuditEntry {
  const operation =
    result.status === 'approved'
      ? 'approved'
      : result.status === 'rejected'
        ? 'rejected'
        : result.status === 'expired'
          ? 'expired'
          : 'approval_requested';
  return {
    operation,
    status: result.status === 'approved' ? 'ok' : (result.status as AuditEntry['status']),
    details: {
      planId: plan.id,
      planHash: plan.hash,
      ...(result.expiresAt ? { expiresAt: result.expiresAt } : {}),
    },
  };
}

/** The record that closes an apply: completed, or failed (and restored, or partly). */
export function applyOutcomeRecord(plan: ChangePlan, result: ApplyResult): AuditEntry {
  const ok = result.status === 'applied';
  return {
    operation: ok ? 'apply_completed' : 'apply_failed',
    status: ok ? 'ok' : result.status === 'failed-restored' ? 'error' : 'partial',
    details: { planId: plan.id, rollbackId: result.rollbackId, status: result.status },
  };
}
