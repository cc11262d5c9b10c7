// Reading verifications back from the audit log: one by id (get_verification), or the verification of each
// apply in a page of history (get_execution_history). The log pages newest first; verification records are
// few (three to five per apply), so reading only those operations stays cheap on a long log.

import { queryHistory } from '../audit/history.js';
import type { AuditRecord } from '../audit/record.js';
import { verificationState, type VerificationState } from './verification-records.js';

const VERIFICATION_OPERATIONS = ['verification_started', 'verification_progress', 'verification_completed'];

function idOf(record: AuditRecord): unknown {
  return (record.details as { verificationId?: unknown } | undefined)?.verificationId;
}

/** The state of one verification as the log tells it (not-found when the log has no record of it). */
export async function readVerification(
  auditPath: string,
  verificationId: string,
): Promise<VerificationState> {
  const mine: AuditRecord[] = [];
  let cursor: string | undefined;
  // Newest first: stop at its started record, nothing older can belong to it.
  do {
    const page = await queryHistory(auditPath, {
      operation: VERIFICATION_OPERATIONS,
      limit: 500,
      ...(cursor ? { cursor } : {}),
    });
    const found = page.records.filter((r) => idOf(r) === verificationId);
    mine.push(...found);
    if (found.some((r) => r.operation === 'verification_started')) break;
    cursor = page.nextCursor;
  } while (cursor);
  return verificationState(mine.reverse(), verificationId);
}

export interface ApplyVerification {
  verificationId: string;
  state: 'running' | 'completed';
  verdict: 'healthy' | 'degraded' | 'failed' | null;
}

/**
 * The verification of each rollback id (an apply's), from the records written since `since`. A verification
 * started with no completed record is "running" (or stopped by a restart that has not resumed it yet).
 */
export async function verificationsOfApplies(
  auditPath: string,
  rollbackIds: ReadonlySet<string>,
  since: Date,
): Promise<Map<string, ApplyVerification>> {
  const found = new Map<string, ApplyVerification>();
  if (rollbackIds.size === 0) return found;
  const records = await verificationRecords(auditPath, since);
  const verdicts = new Map<unknown, ApplyVerification['verdict']>();
  for (const r of records) {
    if (r.operation !== 'verification_completed') continue;
    const verdict = (r.details as { verdict?: unknown } | undefined)?.verdict;
    if (verdict === 'healthy' || verdict === 'degraded' || verdict === 'failed')
      verdicts.set(idOf(r), verdict);
  }
  for (const r of records) {
    if (r.operation !== 'verification_started') continue;
    const details = r.details as { rollbackId?: unknown; verificationId?: unknown } | undefined;
    const rollbackId = details?.rollbackId;
    const verificationId = details?.verificationId;
    if (typeof rollbackId !== 'string' || typeof verificationId !== 'string') continue;
    if (!rollbackIds.has(rollbackId)) continue;
    const verdict = verdicts.get(verificationId);
    found.set(rollbackId, {
      verificationId,
      state: verdict ? 'completed' : 'running',
      verdict: verdict ?? null,
    });
  }
  return found;
}

/** Every verification record since a time, oldest first (the audit log pages newest first). */
export async function verificationRecords(auditPath: string, since: Date): Promise<AuditRecord[]> {
  const records: AuditRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await queryHistory(auditPath, {
      operation: ['verification_started', 'verification_progress', 'verification_completed'],
      since,
      limit: 500,
      ...(cursor ? { cursor } : {}),
    });
    records.push(...page.records);
    cursor = page.nextCursor;
  } while (cursor);
  return records.reverse();
}
