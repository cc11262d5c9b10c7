// What the approval authority shows: the person's panel (details, summary) and the agent's answers. Every
// name in it is data, shown as text; the words are written once, here.

import type { ApprovalDetails, ApprovalOutcome } from './approval-request.js';
import { targetLabel } from '../changes/change-request.js';
import type { ChangePlan } from '../changes/plan.js';
import { quantityValue } from '../changes/quantity-format.js';
import type { ApplyResult } from '../changes/executor.js';
import type { ApplyResultSummary, ConfirmationResult } from './change-protocol.js';

function percentChange(from: string | undefined, to: string | undefined): number | null {
  const before = quantityValue(from);
  const after = quantityValue(to);
  if (before === undefined || after === undefined || before === 0) return null;
  return Math.round(((after - before) / before) * 1000) / 10;
}

export function approvalDetails(plan: ChangePlan, reason: string | undefined): ApprovalDetails {
  return {
    workloads: plan.workloads.map((w) => ({
      ...w.target,
      containers: w.containers.map((c) => ({
        container: c.container,
        source: c.source,
        changes: c.changes.map((f) => ({
          field: `${f.which}.${f.resource}`,
          from: f.from ?? null,
          to: f.to ?? null,
          percent: percentChange(f.from, f.to),
          agentSupplied: c.agentSupplied.includes(`${f.which}.${f.resource}`),
        })),
      })),
      diff: w.diff,
      impact: { pods: w.impact.pods, restartRequired: w.impact.restartRequired, hpa: w.impact.hpa !== null },
      risk: { level: w.risk.level, reasons: w.risk.reasons.map((r) => r.text) },
      ...(w.inPlaceResize && w.inPlaceResize.supported
        ? {
            inPlaceResize: {
              offered: w.inPlaceResize.offered,
              ...(w.inPlaceResize.reason ? { reason: w.inPlaceResize.reason } : {}),
              pods: w.inPlaceResize.pods.map((p) => ({
                name: p.name,
                outcome: p.outcome,
                reason: p.reason,
                restartingContainers: p.restartingContainers,
                qosBefore: p.qosBefore,
                qosAfter: p.qosAfter,
              })),
            },
          }
        : {}),
    })),
    risk: { level: plan.risk.level, reasons: plan.risk.reasons.map((r) => r.text) },
    monthlyCostDelta: Math.round(plan.monthlyCostDelta * 100) / 100,
    ...(reason ? { agentReason: reason } : {}),
  };
}

/** Plain text for the decision surface; every name in it is data, shown as text. */
export function summarize(plan: ChangePlan, reason: string | undefined): string {
  const lines = plan.workloads.flatMap((w) =>
    w.containers.flatMap((c) =>
      c.changes.map(
        (f) =>
          `${targetLabel(w.target)} ${c.container} ${f.which}.${f.resource}: ${f.from ?? 'unset'} → ${f.to ?? 'unset'}${c.agentSupplied.includes(`${f.which}.${f.resource}`) ? ' (agent-supplied)' : ''}`,
      ),
    ),
  );
  return [
    `Change ${plan.workloads.length} workload(s) on ${plan.cluster.context} (${plan.cluster.server}), risk ${plan.risk.level}:`,
    ...lines,
    ...(reason ? [`Agent's reason: ${reason}`] : []),
  ].join('\n');
}

/** The agent's answer to a confirmation: the token only for an approval, and what to do next. */
export function confirmationResult(plan: ChangePlan, outcome: ApprovalOutcome): ConfirmationResult {
  switch (outcome.status) {
    case 'approved':
      return {
        planId: plan.id,
        status: 'approved',
        token: outcome.token,
        expiresAt: outcome.tokenExpiresAt,
        message: `Approved${outcome.resizeRunningPods ? ', with the running pods resized in place (the person chose it)' : ''}. Call apply_recommendations with this confirmation_token before ${outcome.tokenExpiresAt}; it works once.`,
      };
    case 'pending':
      return {
        planId: plan.id,
        status: 'pending',
        token: null,
        expiresAt: outcome.expiresAt,
        message: `Waiting for a person to approve in VS Code. Call request_confirmation again with plan_id "${plan.id}" to keep waiting.`,
      };
    case 'rejected':
      return {
        planId: plan.id,
        status: 'rejected',
        token: null,
        expiresAt: null,
        message: 'A person rejected this plan. Do not apply it; propose something else if appropriate.',
      };
    case 'expired':
      return {
        planId: plan.id,
        status: 'expired',
        token: null,
        expiresAt: null,
        message: 'Nobody decided in time. Call request_confirmation again if the change is still wanted.',
      };
    case 'cancelled':
      return {
        planId: plan.id,
        status: 'expired',
        token: null,
        expiresAt: null,
        message: `The request was withdrawn (${outcome.reason}). Call request_confirmation again.`,
      };
  }
}

/** The agent's answer to an apply, from the executor's result. */
export function applySummary(result: ApplyResult, verificationId?: string): ApplyResultSummary {
  const ok = result.status === 'applied';
  const resizedPods = (result.resizes ?? []).flatMap((w) =>
    w.pods.map((p) => ({ namespace: w.target.namespace, pod: p.pod, status: p.state, message: p.message })),
  );
  const verifying = verificationId
    ? ` A verification (verification_id "${verificationId}") watches the rollout and the pods; follow it with get_verification.`
    : '';
  return {
    status:
      result.status === 'applied'
        ? 'applied'
        : result.status === 'failed-restored'
          ? 'failed-restored'
          : 'failed-partially-restored',
    rollbackId: result.rollbackId,
    verificationId: verificationId ?? null,
    message: ok
      ? `Applied to ${result.objects.length} object(s). Undo with rollback_changes and rollback_id "${result.rollbackId}".${verifying}`
      : `The apply failed; the objects already changed were restored (see each object). Nothing else was written.${verifying}`,
    objects: result.objects.map((o) => ({
      namespace: o.target.namespace,
      kind: o.target.kind,
      name: o.target.name,
      status: o.state,
      message: o.error ?? o.restoreError ?? '',
    })),
    ...(resizedPods.length > 0 ? { resizedPods } : {}),
  };
}
