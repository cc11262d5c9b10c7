import { z } from 'zod';
import { AUDIT_OPERATIONS, AUDIT_STATUSES } from '../audit/record.js';
import { ChangeRequestSchema } from '../changes/change-request.js';

// The methods the MCP server calls on the authority over the broker. The server sends intentions (what
// to change); the authority reads the cluster itself and never trusts a plan it did not build.

const observedUsage = z.strictObject({
  memoryPeakBytes: z.number().optional(),
  cpuP95Cores: z.number().optional(),
});

export const ConfirmParamsSchema = z.strictObject({
  planId: z
    .string()
    .min(1)
    .max(256)
    .regex(/^[A-Za-z0-9_-]+$/),
  context: z.string().min(1).max(253),
  request: ChangeRequestSchema,
  /** Usage the server's scan saw, keyed namespace/kind/name/container: only ever adds safety blocks. */
  observed: z
    .array(z.tuple([z.string().max(1000), observedUsage]))
    .max(20_000)
    .default([]),
  reason: z.string().max(2000).optional(),
  /** How long this call may wait for the click before answering "pending" (the caller's own timeout). */
  waitSeconds: z.number().int().min(1).max(3600).optional(),
});
export type ConfirmParams = z.input<typeof ConfirmParamsSchema>;

export const ApplyParamsSchema = z.strictObject({
  token: z.string().min(1).max(4096),
  dryRun: z.boolean().default(false),
});

export const RollbackParamsSchema = z.strictObject({
  rollbackId: z.string().min(1).max(200),
  context: z.string().min(1).max(253),
  token: z.string().min(1).max(4096).optional(),
});

export const AuditParamsSchema = z.strictObject({
  operation: z.enum(AUDIT_OPERATIONS),
  status: z.enum(AUDIT_STATUSES),
  namespace: z.string().max(63).optional(),
  details: z.record(z.string(), z.unknown()),
});

export const StatusParamsSchema = z.strictObject({});

export interface AuthorityStatus {
  /** Applies interrupted by a crash of the authority: objects may be half changed until rolled back. */
  incompleteApplies: Array<{
    rollbackId: string;
    planId: string;
    startedAt: string;
    objects: Array<{ target: string; state: string }>;
  }>;
}

// The authority's answers. The MCP tools answer the same fields in snake_case: their output schemas
// are derived from these (src/mcp/approval-gateway.ts), so a field is added in one place.

export const ConfirmationResultSchema = z.object({
  planId: z.string(),
  status: z.enum(['approved', 'pending', 'rejected', 'expired']),
  token: z.string().nullable(),
  expiresAt: z.string().nullable(),
  message: z.string(),
});
export type ConfirmationResult = z.infer<typeof ConfirmationResultSchema>;

export const ApplyObjectSummarySchema = z.object({
  namespace: z.string(),
  kind: z.string(),
  name: z.string(),
  status: z.string(),
  message: z.string(),
});
export type ApplyObjectSummary = z.infer<typeof ApplyObjectSummarySchema>;

/** A running pod resized in place (when the person chose it): what Kubernetes did with it. */
export const PodResizeSummarySchema = z.object({
  namespace: z.string(),
  pod: z.string(),
  /** resized, restarted-container, unchanged, infeasible, deferred, still-in-progress, replaced, failed… */
  status: z.string(),
  message: z.string(),
});

export const ApplyResultSummarySchema = z.object({
  status: z.enum(['applied', 'dry-run', 'failed-restored', 'failed-partially-restored']),
  rollbackId: z.string().nullable(),
  /** The post-apply verification watching what was written (get_verification); null when none runs. */
  verificationId: z.string().nullable(),
  message: z.string(),
  objects: z.array(ApplyObjectSummarySchema),
  /** Present when running pods were resized in place. */
  resizedPods: z.array(PodResizeSummarySchema).optional(),
});
export type ApplyResultSummary = z.infer<typeof ApplyResultSummarySchema>;
