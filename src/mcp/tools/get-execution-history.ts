import { z } from 'zod';
import { AUDIT_OPERATIONS, AUDIT_STATUSES } from '../../core/audit/record.js';
import { queryHistory } from '../../core/audit/history.js';
import type { AuditRecord } from '../../core/audit/record.js';
import { VERDICTS, verificationsOfApplies } from '../../core/verify/index.js';
import { defineTool, ToolError } from '../tool-definition.js';

function isApply(record: AuditRecord): boolean {
  return record.operation === 'apply_completed' || record.operation === 'apply_failed';
}

function rollbackIdOf(record: AuditRecord): string | undefined {
  const id = (record.details as { rollbackId?: unknown } | undefined)?.rollbackId;
  return typeof id === 'string' ? id : undefined;
}

/** Verifications start after their apply: none older than the page's oldest record matters. */
function oldestTime(records: readonly AuditRecord[]): Date {
  const times = records.map((r) => Date.parse(r.time)).filter((t) => !Number.isNaN(t));
  return new Date(times.length > 0 ? Math.min(...times) : Date.now());
}

export const getExecutionHistoryTool = defineTool({
  name: 'get_execution_history',
  title: 'Execution history (audit log)',
  description:
    'Reads the hash-chained audit log of plans, approvals, rejections, applies, patches, rollbacks and post-apply ' +
    'verifications, newest first, with filters and paging (pass next_cursor back as cursor). Each apply_completed and ' +
    'apply_failed record carries the verification of that apply (verification_id, state, verdict). Read-only.',
  inputSchema: z.strictObject({
    limit: z.number().int().min(1).max(500).default(20),
    operation_filter: z.array(z.enum(AUDIT_OPERATIONS)).max(AUDIT_OPERATIONS.length).optional(),
    status_filter: z.array(z.enum(AUDIT_STATUSES)).max(AUDIT_STATUSES.length).optional(),
    namespace: z.string().max(63).optional(),
    since: z.iso.datetime({ offset: true }).optional().describe('ISO 8601 time, inclusive'),
    until: z.iso.datetime({ offset: true }).optional().describe('ISO 8601 time, exclusive'),
    cursor: z.string().regex(/^\d+$/).optional(),
  }),
  outputSchema: z.object({
    records: z.array(
      z
        .object({
          seq: z.number(),
          time: z.string(),
          operation: z.string(),
          status: z.string(),
          namespace: z.string().optional(),
          details: z.unknown(),
          hash: z.string(),
          verification: z
            .object({
              verification_id: z.string(),
              state: z.enum(['running', 'completed']),
              verdict: z.enum(VERDICTS).nullable(),
            })
            .optional()
            .describe('On apply records: the post-apply verification of that apply'),
        })
        .passthrough(),
    ),
    next_cursor: z.string().nullable(),
  }),
  annotations: { readOnlyHint: true, openWorldHint: false, idempotentHint: true, destructiveHint: false },
  async handler(args, context) {
    if (args.since && args.until && Date.parse(args.since) >= Date.parse(args.until))
      throw new ToolError('since must be before until.');
    const page = await queryHistory(context.auditLogPath, {
      limit: args.limit,
      ...(args.operation_filter ? { operation: args.operation_filter } : {}),
      ...(args.status_filter ? { status: args.status_filter } : {}),
      ...(args.namespace ? { namespace: args.namespace } : {}),
      ...(args.since ? { since: new Date(args.since) } : {}),
      ...(args.until ? { until: new Date(args.until) } : {}),
      ...(args.cursor ? { cursor: args.cursor } : {}),
    });
    const verifications = await verificationsOfApplies(
      context.auditLogPath,
      new Set(page.records.filter(isApply).flatMap((r) => rollbackIdOf(r) ?? [])),
      oldestTime(page.records),
    );
    const records = page.records.map((r) => {
      const found = isApply(r) ? verifications.get(rollbackIdOf(r) ?? '') : undefined;
      return found
        ? {
            ...r,
            verification: {
              verification_id: found.verificationId,
              state: found.state,
              verdict: found.verdict,
            },
          }
        : r;
    });
    return {
      records: records as Array<
        Record<string, unknown> & {
          seq: number;
          time: string;
          operation: string;
          status: string;
          details: unknown;
          hash: string;
        }
      >,
      next_cursor: page.nextCursor ?? null,
    };
  },
});
