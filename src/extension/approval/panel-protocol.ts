// The messages between the panels' pages (approval, details) and the extension host, and the usage data the
// charts draw. The pages bundle this file too (webview/), so it must import nothing but zod: no `vscode`, no
// Node modules, not even the core's types (src/extension/approval/usage-charts.ts checks that the history
// schema below accepts exactly src/core/evidence's ContainerUsageHistory). zod/mini, not zod: the same
// checks, but tree-shakable, so each page carries about 20 KB of zod instead of 450 KB (all its locales).
import * as z from 'zod/mini';

const PanelId = z.string().check(z.minLength(16), z.maxLength(64));

// ---- Usage history (src/core/evidence/usage-history-model.ts), as it crosses into a page -------------------

/** The loader keeps a few hundred points per series; anything far beyond that is not ours. */
const MAX_POINTS = 2_000;
// zod 4 numbers are finite: NaN and Infinity are refused.
const Finite = z.number();
const SeriesPoint = z.tuple([Finite, Finite]);
const Series = z.array(SeriesPoint).check(z.maxLength(MAX_POINTS));
const Times = z.array(Finite).check(z.maxLength(MAX_POINTS));
const Amounts = z.object({ cpu: z.optional(Finite), memory: z.optional(Finite) });

export const ContainerUsageHistorySchema = z.object({
  key: z.string(),
  namespace: z.string(),
  kind: z.string(),
  name: z.string(),
  container: z.string(),
  window: z.object({ start: Finite, end: Finite, stepSeconds: Finite }),
  cpu: z.object({ series: Series, percentile: Finite, percentileValue: z.nullable(Finite) }),
  memory: z.object({ series: Series, peak: z.nullable(Finite), bufferPercent: Finite }),
  current: z.object({ requests: Amounts, limits: Amounts }),
  oomKills: Times,
  throttling: z.nullable(z.object({ series: Series, max: Finite })),
  restarts: z.nullable(z.object({ total: Finite, times: Times })),
  signals: z.object({
    atRisk: z.boolean(),
    oomKilled: z.boolean(),
    throttledMax: z.nullable(Finite),
    restarts: Finite,
    hpaAtMax: z.boolean(),
    reasons: z.array(z.string()),
  }),
});
export type UsageHistoryView = z.infer<typeof ContainerUsageHistorySchema>;

/** A proposed amount: a number to set, null to remove the request or limit; absent = left as it is. */
const Proposed = z.object({ cpu: z.optional(z.nullable(Finite)), memory: z.optional(z.nullable(Finite)) });

/** One container's charts: its history and what the change (or recommendation) would set. */
export const UsageChartSchema = z.object({
  history: ContainerUsageHistorySchema,
  proposed: z.object({ requests: Proposed, limits: Proposed }),
});
export type UsageChart = z.infer<typeof UsageChartSchema>;
export type ProposedLines = UsageChart['proposed'];

// ---- The approval panel ----------------------------------------------------------------------------------

const Change = z.object({
  field: z.string(),
  from: z.nullable(z.string()),
  to: z.nullable(z.string()),
  percent: z.nullable(z.number()),
  agentSupplied: z.boolean(),
});

const Risk = z.object({ level: z.string(), reasons: z.array(z.string()) });

/**
 * Kubernetes ≥ 1.33: what resizing the running pods in place would do, pod by pod (the core's ResizeDetails;
 * approval-view.ts checks at build time that the two agree).
 */
export const ResizeDetailsSchema = z.object({
  offered: z.boolean(),
  /** Why this workload's pods are not offered an in-place resize (absent when offered). */
  reason: z.optional(z.string()),
  pods: z.array(
    z.object({
      name: z.string(),
      outcome: z.enum(['in-place', 'restarts-container', 'not-possible']),
      reason: z.string(),
      restartingContainers: z.array(z.string()),
      qosBefore: z.string(),
      qosAfter: z.string(),
    }),
  ),
});
export type ResizeDetailsView = z.infer<typeof ResizeDetailsSchema>;
export type PodResizeView = ResizeDetailsView['pods'][number];

const Workload = z.object({
  kind: z.string(),
  namespace: z.string(),
  name: z.string(),
  containers: z.array(z.object({ container: z.string(), source: z.string(), changes: z.array(Change) })),
  diff: z.string(),
  impact: z.object({
    pods: z.union([z.number(), z.literal('next run')]),
    restartRequired: z.boolean(),
    hpa: z.boolean(),
  }),
  risk: Risk,
  /** Present when the cluster resizes pods in place: what doing so would do to this workload's pods. */
  inPlaceResize: z.optional(ResizeDetailsSchema),
});

/** Everything the panel shows. Every string is untrusted text for `textContent`, never markup. */
export const ApprovalViewSchema = z.object({
  cluster: z.object({ context: z.string(), server: z.string() }),
  /** The authority's plain-text summary: the whole story when `workloads` is empty (no details). */
  summary: z.string(),
  workloads: z.array(Workload),
  risk: Risk,
  blocks: z.array(z.string()),
  monthlyCostDelta: z.nullable(z.number()),
  /** Where the usage behind the safety checks came from, and what could not be read (shown in red). */
  evidence: z.nullable(z.object({ source: z.nullable(z.string()), missing: z.array(z.string()) })),
  /** The usage behind each changed container, as the authority read it; empty when it read none. */
  usage: z.array(UsageChartSchema).check(z.maxLength(500)),
  agentReason: z.nullable(z.string()),
  /** The rollback id of the apply this plan undoes (the authority's word), or null for a change. */
  rollbackOf: z.nullable(z.string()),
  /** ISO 8601. */
  expiresAt: z.string(),
  /** High or critical risk: Approve is followed by a native confirmation dialog. */
  confirmationRequired: z.boolean(),
  /**
   * The request offers to resize the running pods in place, and the workloads say pod by pod what that does:
   * only then does the page show "Running pods" and the "Approve and resize running pods" button.
   */
  resizeOffered: z.boolean(),
});
export type ApprovalView = z.infer<typeof ApprovalViewSchema>;
export type ApprovalWorkloadView = ApprovalView['workloads'][number];

/**
 * A Content-Security-Policy violation the page saw (it should see none): reported so that the host logs it.
 * Bounded: the page copies the browser's words, which may quote page content.
 */
const CspViolation = {
  directive: z.string().check(z.maxLength(200)),
  blocked: z.string().check(z.maxLength(500)),
};

// Strict objects: a message with anything more than its fields is not one of ours and is dropped.

/** Page → host. Each carries the panel's id so a message meant for another panel is never taken as a click. */
export const PageMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ready'), approvalId: PanelId }),
  /**
   * `resizeRunningPods`: the person clicked "Approve and resize running pods". The host honours it only when
   * its request offers that choice; asked for anywhere else, the message is ignored.
   */
  z.strictObject({
    type: z.literal('approve'),
    approvalId: PanelId,
    resizeRunningPods: z.optional(z.boolean()),
  }),
  z.strictObject({ type: z.literal('reject'), approvalId: PanelId }),
  z.strictObject({ type: z.literal('cspViolation'), approvalId: PanelId, ...CspViolation }),
]);
export type PageMessage = z.infer<typeof PageMessageSchema>;

/** Host → page. */
export const HostMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('show'), approvalId: PanelId, view: ApprovalViewSchema }),
  /** The request stopped waiting; the panel closes right after. */
  z.strictObject({ type: z.literal('expired'), approvalId: PanelId }),
  /** The person declined the native confirmation: nothing was approved; either approve button may be clicked again. */
  z.strictObject({ type: z.literal('confirmationDeclined'), approvalId: PanelId }),
]);
export type HostMessage = z.infer<typeof HostMessageSchema>;

/** The `<meta name=…>` that gives the page its panel id before the `ready` handshake. */
export const APPROVAL_ID_META = 'krr-approval-id';

// ---- The Recommendation Details panel (read-only: it has nothing to approve) ------------------------------

const Quantities = z.object({ cpu: z.nullable(z.string()), memory: z.nullable(z.string()) });

export const DetailsViewSchema = z.object({
  /** The kubeconfig context of the scan the rows came from. */
  context: z.nullable(z.string()),
  containers: z
    .array(
      z.object({
        namespace: z.string(),
        kind: z.string(),
        name: z.string(),
        container: z.string(),
        severity: z.string(),
        current: z.object({ requests: Quantities, limits: Quantities }),
        recommended: z.object({ requests: Quantities, limits: Quantities }),
        info: Quantities,
        monthlySavingsUsd: Finite,
        /** Null when the history source had nothing for this container. */
        chart: z.nullable(UsageChartSchema),
      }),
    )
    .check(z.maxLength(500)),
  /** Why some or all history is missing (the loader failed, Prometheus unreachable, …). */
  notes: z.array(z.string()),
});
export type DetailsView = z.infer<typeof DetailsViewSchema>;
export type DetailsContainerView = DetailsView['containers'][number];

export const DetailsPageMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ready'), panelId: PanelId }),
  z.strictObject({ type: z.literal('cspViolation'), panelId: PanelId, ...CspViolation }),
]);
export type DetailsPageMessage = z.infer<typeof DetailsPageMessageSchema>;

export const DetailsHostMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('loading'), panelId: PanelId, what: z.string() }),
  z.strictObject({ type: z.literal('show'), panelId: PanelId, view: DetailsViewSchema }),
]);
export type DetailsHostMessage = z.infer<typeof DetailsHostMessageSchema>;

/** The `<meta name=…>` that gives the details page its panel id. */
export const DETAILS_PANEL_ID_META = 'krr-details-panel-id';
