// The messages between the approval panel's page and the extension host. The page bundles this file
// too (webview/approval), so it must import nothing but zod: no `vscode`, no Node modules.
import { z } from 'zod';

const ApprovalId = z.string().min(16).max(64);

const Change = z.object({
  field: z.string(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  percent: z.number().nullable(),
  agentSupplied: z.boolean(),
});

const Risk = z.object({ level: z.string(), reasons: z.array(z.string()) });

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
});

/** Everything the panel shows. Every string is untrusted text for `textContent`, never markup. */
export const ApprovalViewSchema = z.object({
  cluster: z.object({ context: z.string(), server: z.string() }),
  /** The authority's plain-text summary: the whole story when `workloads` is empty (no details). */
  summary: z.string(),
  workloads: z.array(Workload),
  risk: Risk,
  blocks: z.array(z.string()),
  monthlyCostDelta: z.number().nullable(),
  /** Where the usage behind the safety checks came from, and what could not be read (shown in red). */
  evidence: z.object({ source: z.string().nullable(), missing: z.array(z.string()) }).nullable(),
  agentReason: z.string().nullable(),
  /** ISO 8601. */
  expiresAt: z.string(),
  /** High or critical risk: Approve is followed by a native confirmation dialog. */
  confirmationRequired: z.boolean(),
});
export type ApprovalView = z.infer<typeof ApprovalViewSchema>;
export type ApprovalWorkloadView = ApprovalView['workloads'][number];

// Strict objects: a message with anything more than its fields is not one of ours and is dropped.

/** Page → host. Each carries the panel's id so a message meant for another panel is never taken as a click. */
export const PageMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ready'), approvalId: ApprovalId }),
  z.strictObject({ type: z.literal('approve'), approvalId: ApprovalId }),
  z.strictObject({ type: z.literal('reject'), approvalId: ApprovalId }),
]);
export type PageMessage = z.infer<typeof PageMessageSchema>;

/** Host → page. */
export const HostMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('show'), approvalId: ApprovalId, view: ApprovalViewSchema }),
  /** The request stopped waiting; the panel closes right after. */
  z.strictObject({ type: z.literal('expired'), approvalId: ApprovalId }),
  /** The person declined the native confirmation: nothing was approved and Approve may be clicked again. */
  z.strictObject({ type: z.literal('confirmationDeclined'), approvalId: ApprovalId }),
]);
export type HostMessage = z.infer<typeof HostMessageSchema>;

/** The `<meta name=…>` that gives the page its panel id before the `ready` handshake. */
export const APPROVAL_ID_META = 'krr-approval-id';
