import { z } from 'zod';

/** Every step of the change pipeline that leaves a trace, plus the MCP tool calls that started it. */
export const AUDIT_OPERATIONS = [
  'tool_call',
  'scan',
  'plan',
  'approval_requested',
  'approved',
  'rejected',
  'expired',
  'token_redeemed',
  'apply_started',
  'patch',
  'apply_completed',
  'apply_failed',
  'restore',
  'rollback_planned',
  'snapshot',
  // In-place resize of running pods (one record per step), and post-apply verification.
  'resize',
  'verification_started',
  'verification_progress',
  'verification_completed',
] as const;
export type AuditOperation = (typeof AUDIT_OPERATIONS)[number];

export const AUDIT_STATUSES = ['ok', 'error', 'pending', 'rejected', 'expired', 'partial'] as const;
export type AuditStatus = (typeof AUDIT_STATUSES)[number];

export const AuditOperationSchema = z.enum(AUDIT_OPERATIONS);
export const AuditStatusSchema = z.enum(AUDIT_STATUSES);

const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 hex digest');

/** What a caller hands to `AuditLog.append`; the log adds seq, time and the chain. */
export const AuditEntrySchema = z.object({
  operation: AuditOperationSchema,
  status: AuditStatusSchema,
  actor: z.string().min(1).max(256).optional(),
  namespace: z.string().min(1).max(253).optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type AuditEntry = z.input<typeof AuditEntrySchema>;

/** One line of the log as stored. Strict: a key the writer never writes is a sign of tampering. */
export const AuditRecordSchema = z
  .object({
    seq: z.number().int().positive(),
    time: z.iso.datetime(),
    operation: AuditOperationSchema,
    status: AuditStatusSchema,
    actor: z.string().optional(),
    namespace: z.string().optional(),
    details: z.record(z.string(), z.unknown()),
    prevHash: Sha256Hex,
    hash: Sha256Hex,
  })
  .strict();
export type AuditRecord = z.infer<typeof AuditRecordSchema>;
export type UnsealedAuditRecord = Omit<AuditRecord, 'hash'>;
