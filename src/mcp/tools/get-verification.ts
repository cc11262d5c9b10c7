import { watch } from 'node:fs';
import { z } from 'zod';
import { EVIDENCE_KINDS, ROLLOUT_STATES, VERDICTS, readVerification } from '../../core/verify/index.js';
import type { VerificationState } from '../../core/verify/index.js';
import { defineTool, ToolError, type ToolCall } from '../tool-definition.js';

/** A verification named by apply_recommendations appears in the log within moments: wait this long for it. */
const APPEARS_WITHIN_MS = 5_000;
/** Re-read at least this often while waiting (a file watch is not reliable on every file system). */
const REREAD_MS = 2_000;

const EvidenceAnswer = z.object({
  severity: z.enum(['info', 'warning', 'failure']),
  kind: z.enum(EVIDENCE_KINDS),
  message: z.string(),
  pod: z.string().optional(),
  container: z.string().optional(),
});

const VerificationAnswerSchema = z.object({
  verification_id: z.string(),
  state: z.enum(['running', 'completed']),
  /** The worst verdict of the workloads; null while running. */
  verdict: z.enum(VERDICTS).nullable(),
  rollback_id: z.string(),
  plan_id: z.string(),
  started_at: z.string().nullable(),
  completed_at: z.string().nullable(),
  window_seconds: z.number().nullable(),
  ended_early: z.boolean(),
  workloads: z.array(
    z.object({
      kind: z.string(),
      namespace: z.string(),
      name: z.string(),
      verdict: z.enum(VERDICTS).nullable(),
      rollout: z.enum(ROLLOUT_STATES).nullable(),
      evidence: z.array(EvidenceAnswer),
    }),
  ),
  milestones: z.array(
    z.object({
      time: z.string(),
      event: z.string(),
      target: z.string().optional(),
      message: z.string().optional(),
    }),
  ),
  message: z.string(),
});
type VerificationAnswer = z.infer<typeof VerificationAnswerSchema>;

export const getVerificationTool = defineTool({
  name: 'get_verification',
  title: 'Post-apply verification',
  description:
    'Reports the verification that follows every apply and rollback: per changed workload the rollout, the new pods (Ready, ' +
    'restarts, OOM kills, CrashLoopBackOff, unschedulable) and, from Prometheus, memory and CPU throttling against the new ' +
    'values, with a verdict (healthy, degraded, failed) and its evidence. Pass the verification_id from apply_recommendations. ' +
    'wait_seconds waits (with progress notifications) until the verdict or the time is up. When the verdict is degraded or ' +
    'failed, propose rollback_changes with its rollback_id to the person; nothing is rolled back without their approval. Read-only.',
  inputSchema: z.strictObject({
    verification_id: z
      .string()
      .min(8)
      .max(64)
      .regex(/^[A-Za-z0-9_-]+$/)
      .describe('The verification_id returned by apply_recommendations or rollback_changes'),
    wait_seconds: z
      .number()
      .int()
      .min(0)
      .max(600)
      .default(0)
      .describe('Wait up to this long for the verdict (0: answer at once)'),
  }),
  outputSchema: VerificationAnswerSchema,
  annotations: { readOnlyHint: true, openWorldHint: false, idempotentHint: true, destructiveHint: false },
  async handler(args, context, call) {
    const read = () => readVerification(context.auditLogPath, args.verification_id);
    const deadline = Date.now() + Math.max(args.wait_seconds * 1000, APPEARS_WITHIN_MS);
    const waitUntil = Date.now() + args.wait_seconds * 1000;
    let state = await read();
    for (;;) {
      const done =
        state.state === 'completed' ||
        (state.state === 'running' && Date.now() >= waitUntil) ||
        Date.now() >= deadline;
      if (done || call.signal.aborted) break;
      if (state.state === 'running') await call.progress(progressLine(state));
      await logChanged(context.auditLogPath, Math.min(REREAD_MS, deadline - Date.now()), call);
      state = await read();
    }
    if (state.state === 'not-found')
      throw new ToolError(
        `verification_id "${args.verification_id}" is not in the audit log: pass the verification_id that apply_recommendations ` +
          'answered (none is started when the apply wrote nothing or verification is turned off in the editor).',
      );
    return answerOf(args.verification_id, state);
  },
});

function progressLine(state: Extract<VerificationState, { state: 'running' }>): string {
  const last = state.milestones.at(-1);
  const elapsed = Math.round((Date.now() - Date.parse(state.started.startedAt)) / 1000);
  const window = Math.round(state.started.windowMs / 1000);
  return `Verifying ${state.started.targets.length} workload(s): ${elapsed} s of ${window} s${last ? `; ${last.event}${last.target ? ` ${last.target}` : ''}` : ''}`;
}

/** Resolves when the audit log changes, after `ms`, or when the call is cancelled. */
function logChanged(path: string, ms: number, call: ToolCall): Promise<void> {
  return new Promise((resolve) => {
    let watcher: ReturnType<typeof watch> | undefined;
    const finish = () => {
      clearTimeout(timer);
      watcher?.close();
      call.signal.removeEventListener('abort', finish);
      resolve();
    };
    const timer = setTimeout(finish, Math.max(0, ms));
    call.signal.addEventListener('abort', finish, { once: true });
    try {
      watcher = watch(path, finish);
      watcher.on('error', () => {});
    } catch {
      // No log yet (or no watch support): the timer re-reads.
    }
  });
}

function answerOf(
  verificationId: string,
  state: Exclude<VerificationState, { state: 'not-found' }>,
): VerificationAnswer {
  if (state.state === 'completed') {
    const { result, started } = state;
    const verdict = result.verdict;
    return {
      verification_id: verificationId,
      state: 'completed',
      verdict,
      rollback_id: result.rollbackId,
      plan_id: result.planId,
      started_at: result.startedAt,
      completed_at: result.completedAt,
      window_seconds: started ? Math.round(started.windowMs / 1000) : null,
      ended_early: result.endedEarly === true,
      workloads: result.workloads.map((w) => ({
        ...w.target,
        verdict: w.verdict,
        rollout: w.rollout,
        evidence: w.evidence,
      })),
      milestones: [],
      message:
        verdict === 'healthy'
          ? 'Every changed workload is healthy after the change.'
          : `The change left ${result.workloads.filter((w) => w.verdict !== 'healthy').length} workload(s) ${verdict}. ` +
            `Show the person the evidence and propose rollback_changes with rollback_id "${result.rollbackId}"; it needs their approval.`,
    };
  }
  const failed = new Set(state.milestones.filter((m) => m.event === 'workload-failed').map((m) => m.target));
  const complete = new Set(
    state.milestones.filter((m) => m.event === 'rollout-complete').map((m) => m.target),
  );
  return {
    verification_id: verificationId,
    state: 'running',
    verdict: null,
    rollback_id: state.started.rollbackId,
    plan_id: state.started.planId,
    started_at: state.started.startedAt,
    completed_at: null,
    window_seconds: Math.round(state.started.windowMs / 1000),
    ended_early: false,
    workloads: state.started.targets.map((t) => {
      const label = `${t.kind} ${t.namespace}/${t.name}`;
      return {
        ...t,
        verdict: failed.has(label) ? ('failed' as const) : null,
        rollout: complete.has(label) ? ('complete' as const) : null,
        evidence: [],
      };
    }),
    milestones: state.milestones,
    message: `Still verifying (window ${Math.round(state.started.windowMs / 1000)} s from ${state.started.startedAt}). Call get_verification again with wait_seconds to wait for the verdict.`,
  };
}
