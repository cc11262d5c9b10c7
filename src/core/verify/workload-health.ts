// A workload's verdict from everything observed about it: failed when the rollout failed (or had not
// completed when the window ended) or when no pod of it is Ready while every current pod is stuck for good
// (unschedulable, or crash-looping for several restarts); degraded when any warning stands; healthy
// otherwise. Pure, so the rules are unit-tested.

import type { WorkloadTarget } from '../changes/change-request.js';
import type { JsonObject } from '../changes/workload-object.js';
import type { Evidence, VerificationBaseline, Verdict, WorkloadVerdict } from './model.js';
import { assessPods, currentPods, isReady } from './pod-health.js';
import { assessRollout } from './rollout-health.js';

export interface WorkloadObservation {
  target: WorkloadTarget;
  /** undefined: not found (deleted) or not read yet. */
  workload: JsonObject | undefined;
  replicaSets: JsonObject[];
  pods: JsonObject[];
  /** What could not be watched or listed (RBAC, API errors): the verdict cannot be "healthy" then. */
  problems: string[];
}

export interface WorkloadHealth extends WorkloadVerdict {
  /** Nothing can change the verdict any more (failed, or the window is over). */
  final: boolean;
}

/** Restarts since the change after which a crash loop counts as lasting (kubelet's back-off is then 2m40s). */
export const LASTING_CRASH_LOOP_RESTARTS = 5;
const ROLLING_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Rollout']);

/** Unschedulable, or crash-looping for LASTING_CRASH_LOOP_RESTARTS restarts since the change. */
function stuck(pod: JsonObject, baseline: VerificationBaseline): boolean {
  const status = (pod.status ?? {}) as JsonObject;
  const conditions = Array.isArray(status.conditions) ? (status.conditions as JsonObject[]) : [];
  if (
    conditions.some((c) => c.type === 'PodScheduled' && c.status === 'False' && c.reason === 'Unschedulable')
  )
    return true;
  const before = baseline.restarts[String(((pod.metadata ?? {}) as JsonObject).uid ?? '')] ?? {};
  const statuses = Array.isArray(status.containerStatuses) ? (status.containerStatuses as JsonObject[]) : [];
  return statuses.some((s) => {
    const waiting = ((s.state ?? {}) as JsonObject).waiting as JsonObject | undefined;
    const since = Number(s.restartCount ?? 0) - (before[String(s.name)] ?? 0);
    return waiting?.reason === 'CrashLoopBackOff' && since >= LASTING_CRASH_LOOP_RESTARTS;
  });
}

export function assessWorkload(
  observation: WorkloadObservation,
  options: {
    baseline: VerificationBaseline;
    windowOver: boolean;
    metrics?: Evidence[];
    /** The rollout was seen complete earlier in this verification. */
    rolloutCompletedBefore?: boolean;
  },
): WorkloadHealth {
  const { target, workload } = observation;
  // Not readable is not gone: an API error or RBAC denial must not read as "the workload no longer exists".
  if (!workload && observation.problems.length > 0)
    return {
      target,
      verdict: 'degraded',
      rollout: 'unknown',
      evidence: observation.problems.map((message) => ({
        kind: 'observation',
        severity: 'warning',
        message,
      })),
      final: options.windowOver,
    };
  const assessed = assessRollout(target.kind, workload);
  // Pods that stop being Ready after the rollout completed do not undo it: the pod evidence says why.
  const rollout =
    options.rolloutCompletedBefore && assessed.state === 'progressing'
      ? {
          state: 'complete' as const,
          evidence: [
            ...assessed.evidence,
            {
              kind: 'rollout' as const,
              severity: 'info' as const,
              message: 'the rollout had completed earlier',
            },
          ],
        }
      : assessed;
  const current = workload
    ? currentPods(target.kind, workload, observation.replicaSets, observation.pods)
    : [];
  const podEvidence = assessPods(current, options);
  const evidence: Evidence[] = [...rollout.evidence];
  if (workload && ROLLING_KINDS.has(target.kind))
    evidence.push({
      kind: 'pods',
      severity: 'info',
      message: `${current.filter(isReady).length}/${current.length} pods of the current template Ready`,
    });
  evidence.push(...podEvidence, ...(options.metrics ?? []));
  for (const problem of observation.problems)
    evidence.push({ kind: 'observation', severity: 'warning', message: problem });
  const result = (verdict: Verdict, final: boolean): WorkloadHealth => ({
    target,
    verdict,
    rollout: rollout.state,
    evidence,
    final,
  });
  if (rollout.state === 'failed') return result('failed', true);
  // Jobs and CronJobs: the change shows in the next run's pods; there is nothing to watch now.
  if (!ROLLING_KINDS.has(target.kind))
    return result(observation.problems.length > 0 ? 'degraded' : 'healthy', true);
  // A momentary outage (all pods restarting at once) is degraded; one that cannot end by itself is failed.
  if (
    ROLLING_KINDS.has(target.kind) &&
    current.length > 0 &&
    !observation.pods.some(isReady) &&
    current.every((p) => stuck(p, options.baseline))
  ) {
    evidence.push({
      kind: 'pods',
      severity: 'failure',
      message: `no pod of ${target.name} is Ready and none can become Ready by itself: it serves nothing`,
    });
    return result('failed', true);
  }
  if (options.windowOver && rollout.state === 'progressing') {
    evidence.push({
      kind: 'rollout',
      severity: 'failure',
      message: 'the rollout had not completed when the verification window ended',
    });
    return result('failed', true);
  }
  const degraded = evidence.some((e) => e.severity !== 'info');
  return result(degraded ? 'degraded' : 'healthy', options.windowOver);
}
