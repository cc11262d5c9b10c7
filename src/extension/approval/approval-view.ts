import type { ApprovalRequest } from '../../core/approval/approval-request.js';
import type { ApprovalView } from './panel-protocol.js';
import { approvalCharts } from './usage-charts.js';

/** Risk levels at which Approve must be confirmed again in a native modal dialog. */
const CONFIRMED_LEVELS = new Set(['HIGH', 'CRITICAL']);

export function needsConfirmation(request: ApprovalRequest): boolean {
  const levels = [request.risk, request.details?.risk.level ?? ''].map((l) => l.toUpperCase());
  return levels.some((l) => CONFIRMED_LEVELS.has(l));
}

export function workloadCount(request: ApprovalRequest): number {
  return request.details?.workloads.length ?? request.objects.length;
}

/** What the page renders, taken from the authority's request (its details, else its summary text). */
export function approvalViewOf(request: ApprovalRequest): ApprovalView {
  const details = request.details;
  return {
    cluster: { context: request.cluster.context, server: request.cluster.server },
    summary: request.summary,
    workloads: details?.workloads ?? [],
    risk: details?.risk ?? { level: request.risk, reasons: [] },
    blocks: details ? blocksOf(details) : [],
    monthlyCostDelta: details?.monthlyCostDelta ?? null,
    evidence: details?.evidence ?? null,
    usage: approvalCharts(details),
    agentReason: details?.agentReason ?? null,
    expiresAt: request.expiresAt,
    confirmationRequired: needsConfirmation(request),
  };
}

// The authority refuses blocked plans before asking anyone, so details carry no blocks today; show them
// if a future authority sends some rather than hide a reason not to approve.
function blocksOf(details: NonNullable<ApprovalRequest['details']>): string[] {
  if (!('blocks' in details) || !Array.isArray(details.blocks)) return [];
  return details.blocks.filter((b): b is string => typeof b === 'string');
}

/** The panel's tab title: plain text, one line, whatever the context's name holds. */
export function approvalTitle(request: ApprovalRequest): string {
  const context = request.cluster.context.replace(/[\p{Cc}\s]+/gu, ' ').trim();
  return `Approve: ${context} — ${workloadCount(request)} workload(s)`;
}
