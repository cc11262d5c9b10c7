// How a verification reads in the audit log — verification_started (everything needed to resume it),
// verification_progress (milestones), verification_completed (the verdicts) — and reading them back: the
// verifications a restart interrupted, and the state of one verification for an agent asking about it.

import { z } from 'zod';
import type { AuditEntry, AuditRecord } from '../audit/record.js';
import { targetLabel, type WorkloadTarget } from '../changes/change-request.js';
import {
  VERDICTS,
  VerificationStartedSchema,
  WorkloadVerdictSchema,
  type VerificationResult,
  type VerificationStarted,
  type Verdict,
} from './model.js';

/** Evidence lines kept per workload in the audit log (the first ones: failures and warnings come first). */
export const MAX_RECORDED_EVIDENCE = 25;

const STATUS_OF: Record<Verdict, AuditEntry['status']> = {
  healthy: 'ok',
  degraded: 'partial',
  failed: 'error',
};

function namespaceOf(targets: readonly WorkloadTarget[]): { namespace?: string } {
  const namespaces = [...new Set(targets.map((t) => t.namespace))];
  return namespaces.length === 1 ? { namespace: namespaces[0]! } : {};
}

export function verificationStartedRecord(started: VerificationStarted): AuditEntry {
  return {
    operation: 'verification_started',
    status: 'pending',
    ...namespaceOf(started.targets),
    details: { ...started },
  };
}

export type ProgressEvent = 'resumed' | 'rollout-complete' | 'workload-failed';

export function verificationProgressRecord(
  verificationId: string,
  event: ProgressEvent,
  target?: WorkloadTarget,
  message?: string,
): AuditEntry {
  return {
    operation: 'verification_progress',
    status: event === 'workload-failed' ? 'error' : 'pending',
    ...(target ? { namespace: target.namespace } : {}),
    details: {
      verificationId,
      event,
      ...(target ? { target: targetLabel(target) } : {}),
      ...(message ? { message } : {}),
    },
  };
}

const severityOrder = { failure: 0, warning: 1, info: 2 } as const;

export function verificationCompletedRecord(result: VerificationResult): AuditEntry {
  return {
    operation: 'verification_completed',
    status: STATUS_OF[result.verdict],
    ...namespaceOf(result.workloads.map((w) => w.target)),
    details: {
      ...result,
      workloads: result.workloads.map((w) => ({
        ...w,
        evidence: [...w.evidence]
          .sort((a, b) => severityOrder[a.severity] - severityOrder[b.severity])
          .slice(0, MAX_RECORDED_EVIDENCE),
      })),
    },
  };
}

export const VerificationCompletedSchema = z.object({
  verificationId: z.string(),
  rollbackId: z.string(),
  planId: z.string(),
  startedAt: z.string(),
  completedAt: z.string(),
  verdict: z.enum(VERDICTS),
  workloads: z.array(WorkloadVerdictSchema),
  endedEarly: z.boolean().optional(),
});

/** A started verification with no completed record: the caller may resume it (startedAt is kept). */
export interface PendingVerification extends VerificationStarted {
  /** Sequence number of its started record. */
  seq: number;
  /** Workloads (targetLabel) whose rollout was seen complete before the host stopped. */
  rolloutsCompleted: string[];
}

/** Verifications that were started and never completed (the host stopped mid-window), oldest first. */
export function pendingVerifications(records: readonly AuditRecord[]): PendingVerification[] {
  const completed = new Set(
    records
      .filter((r) => r.operation === 'verification_completed')
      .map((r) => String((r.details as { verificationId?: unknown }).verificationId)),
  );
  const pending: PendingVerification[] = [];
  for (const record of records) {
    if (record.operation !== 'verification_started') continue;
    const parsed = VerificationStartedSchema.safeParse(record.details);
    // A record this code cannot read (an older format, a damaged one) is not resumed on a guess.
    if (!parsed.success || completed.has(parsed.data.verificationId)) continue;
    const id = parsed.data.verificationId;
    const rolloutsCompleted = records
      .filter((r) => r.operation === 'verification_progress')
      .map((r) => r.details as { verificationId?: unknown; event?: unknown; target?: unknown })
      .filter(
        (d) => d.verificationId === id && d.event === 'rollout-complete' && typeof d.target === 'string',
      )
      .map((d) => String(d.target));
    pending.push({ ...parsed.data, seq: record.seq, rolloutsCompleted });
  }
  return pending;
}

export type VerificationState =
  | { state: 'not-found' }
  | {
      state: 'running';
      started: VerificationStarted;
      milestones: Array<{ time: string; event: string; target?: string; message?: string }>;
    }
  | {
      state: 'completed';
      started?: VerificationStarted;
      result: z.infer<typeof VerificationCompletedSchema>;
    };

/** What the audit log says about one verification (for get_verification and the execution history). */
export function verificationState(
  records: readonly AuditRecord[],
  verificationId: string,
): VerificationState {
  const mine = records.filter(
    (r) => (r.details as { verificationId?: unknown }).verificationId === verificationId,
  );
  const startedRecord = mine.find((r) => r.operation === 'verification_started');
  const started = startedRecord ? VerificationStartedSchema.safeParse(startedRecord.details) : undefined;
  const done = mine.find((r) => r.operation === 'verification_completed');
  const result = done ? VerificationCompletedSchema.safeParse(done.details) : undefined;
  if (result?.success)
    return {
      state: 'completed',
      ...(started?.success ? { started: started.data } : {}),
      result: result.data,
    };
  if (!started?.success) return { state: 'not-found' };
  return {
    state: 'running',
    started: started.data,
    milestones: mine
      .filter((r) => r.operation === 'verification_progress')
      .map((r) => {
        const d = r.details as { event?: unknown; target?: unknown; message?: unknown };
        return {
          time: r.time,
          event: String(d.event),
          ...(typeof d.target === 'string' ? { target: d.target } : {}),
          ...(typeof d.message === 'string' ? { message: d.message } : {}),
        };
      }),
  };
}
