// What a post-apply verification reports: per workload a verdict (healthy, degraded, failed) with the
// evidence lines behind it. Plain data, checked with zod where it comes back from the audit log (resume).

import { z } from 'zod';
import { KINDS } from '../recommend/model.js';

export const VERDICTS = ['healthy', 'degraded', 'failed'] as const;
export type Verdict = (typeof VERDICTS)[number];

export const EVIDENCE_KINDS = [
  'rollout',
  'pods',
  'unschedulable',
  'oom-killed',
  'crash-loop',
  'waiting',
  'restarts',
  'not-ready',
  'resize',
  'throttling',
  'memory',
  'metrics',
  'observation',
] as const;

export const EvidenceSchema = z.object({
  kind: z.enum(EVIDENCE_KINDS),
  /** info: context; warning: makes the workload degraded; failure: makes it failed. */
  severity: z.enum(['info', 'warning', 'failure']),
  message: z.string(),
  pod: z.string().optional(),
  container: z.string().optional(),
});
export type Evidence = z.infer<typeof EvidenceSchema>;

export const TargetSchema = z.object({
  kind: z.enum(KINDS),
  namespace: z.string().min(1).max(63),
  name: z.string().min(1).max(253),
});

/**
 * The rollout part: done once complete (or failed); "not-applicable" for kinds that do not roll pods;
 * "unknown" while the workload cannot be read.
 */
export const ROLLOUT_STATES = ['progressing', 'complete', 'failed', 'not-applicable', 'unknown'] as const;
export type RolloutState = (typeof ROLLOUT_STATES)[number];

export const WorkloadVerdictSchema = z.object({
  target: TargetSchema,
  verdict: z.enum(VERDICTS),
  rollout: z.enum(ROLLOUT_STATES),
  evidence: z.array(EvidenceSchema),
});
export type WorkloadVerdict = z.infer<typeof WorkloadVerdictSchema>;

/** Restart counts when the verification started (pod uid → container → count), so later restarts count. */
export const BaselineSchema = z.object({
  restarts: z.record(z.string(), z.record(z.string(), z.number().int().nonnegative())),
});
export type VerificationBaseline = z.infer<typeof BaselineSchema>;

/** The `verification_started` record's details: everything needed to resume it after a restart. */
export const VerificationStartedSchema = z.object({
  verificationId: z.string().min(8).max(64),
  rollbackId: z.string().max(64),
  planId: z.string().max(200),
  context: z.string(),
  server: z.string(),
  targets: z.array(TargetSchema).min(1).max(200),
  startedAt: z.iso.datetime(),
  windowMs: z.number().int().positive(),
  baseline: BaselineSchema,
});
export type VerificationStarted = z.infer<typeof VerificationStartedSchema>;

export interface VerificationResult {
  verificationId: string;
  rollbackId: string;
  planId: string;
  startedAt: string;
  completedAt: string;
  /** The worst verdict of all workloads. */
  verdict: Verdict;
  workloads: WorkloadVerdict[];
  /** Set when a failure ended the window early. */
  endedEarly?: boolean;
}

export interface VerificationProgress {
  verificationId: string;
  elapsedMs: number;
  windowMs: number;
  /** Per workload, the verdict so far; `final` once nothing can change it any more. */
  workloads: Array<WorkloadVerdict & { final: boolean }>;
}

export function worstVerdict(verdicts: readonly Verdict[]): Verdict {
  if (verdicts.includes('failed')) return 'failed';
  return verdicts.includes('degraded') ? 'degraded' : 'healthy';
}
