import type { ApprovalRequest, ResizeDetails } from '../../core/approval/approval-request.js';
import type { ApprovalView, ResizeDetailsView } from './panel-protocol.js';
import { approvalCharts } from './usage-charts.js';

// The page's resize schema must accept every ResizeDetails the core builds, and build nothing the core would
// not: these two lines stop the build when the core's model and the schema in panel-protocol.ts drift apart
// (a new pod outcome, say, which the page would otherwise have to guess at).
const coreToView = (details: ResizeDetails): ResizeDetailsView => details;
const viewToCore = (details: ResizeDetailsView): ResizeDetails => details;
void coreToView;
void viewToCore;

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
    rollbackOf: details?.rollbackOf ?? null,
    expiresAt: request.expiresAt,
    confirmationRequired: needsConfirmation(request),
    resizeOffered: resizeOffered(request),
  };
}

/**
 * Whether the panel offers "Approve and resize running pods": the authority offers it (`resizeOption`) and
 * at least one workload says pod by pod what it would do. Without those details the person could not see
 * which pods keep running and which restart, so the choice is not shown.
 */
export function resizeOffered(request: ApprovalRequest): boolean {
  return (
    request.resizeOption !== undefined &&
    (request.details?.workloads.some((w) => w.inPlaceResize?.offered === true) ?? false)
  );
}

/** The running pods an in-place resize would touch, as counted for the native confirmation. */
export function resizeCounts(request: ApprovalRequest): {
  inPlace: number;
  restarting: number;
  /** Workloads whose pods are replaced by a rollout all the same (not offered an in-place resize). */
  rollingOut: number;
} {
  const workloads = request.details?.workloads ?? [];
  const pods = workloads.flatMap((w) => (w.inPlaceResize?.offered ? w.inPlaceResize.pods : []));
  const restarts = (p: (typeof pods)[number]) =>
    p.outcome === 'restarts-container' || p.restartingContainers.length > 0;
  return {
    inPlace: pods.filter((p) => p.outcome === 'in-place' && !restarts(p)).length,
    restarting: pods.filter((p) => p.outcome !== 'not-possible' && restarts(p)).length,
    rollingOut: workloads.filter((w) => w.inPlaceResize?.offered !== true).length,
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
