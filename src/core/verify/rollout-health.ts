// Where a workload's rollout stands, read from its status the way `kubectl rollout status` does: the
// controller has seen the latest spec (observedGeneration), every replica is updated, ready and available,
// no old pod is left; a Deployment past its progress deadline has failed.

import type { WorkloadKind } from '../recommend/model.js';
import type { JsonObject } from '../changes/workload-object.js';
import type { Evidence, RolloutState } from './model.js';

export interface RolloutAssessment {
  state: RolloutState;
  evidence: Evidence[];
}

function num(object: JsonObject, field: string): number {
  const value = object[field];
  return typeof value === 'number' ? value : 0;
}

function conditionOf(status: JsonObject, type: string): JsonObject | undefined {
  const conditions = status.conditions;
  return Array.isArray(conditions) ? (conditions as JsonObject[]).find((c) => c.type === type) : undefined;
}

const info = (message: string): Evidence => ({ kind: 'rollout', severity: 'info', message });

export function assessRollout(kind: WorkloadKind, workload: JsonObject | undefined): RolloutAssessment {
  if (!workload)
    return {
      state: 'failed',
      evidence: [{ kind: 'rollout', severity: 'failure', message: 'the workload no longer exists' }],
    };
  const spec = (workload.spec ?? {}) as JsonObject;
  const status = (workload.status ?? {}) as JsonObject;
  const generation = num((workload.metadata ?? {}) as JsonObject, 'generation');
  const seen = status.observedGeneration === undefined || num(status, 'observedGeneration') >= generation;
  const replicas = typeof spec.replicas === 'number' ? spec.replicas : 1;
  switch (kind) {
    case 'Deployment': {
      const progressing = conditionOf(status, 'Progressing');
      if (progressing?.reason === 'ProgressDeadlineExceeded')
        return {
          state: 'failed',
          evidence: [
            {
              kind: 'rollout',
              severity: 'failure',
              message: `the rollout failed: ${String(progressing.message ?? 'ProgressDeadlineExceeded')} (ProgressDeadlineExceeded)`,
            },
          ],
        };
      const updated = num(status, 'updatedReplicas');
      const total = num(status, 'replicas');
      const available = num(status, 'availableReplicas');
      if (seen && updated >= replicas && total === updated && available >= updated)
        return {
          state: 'complete',
          evidence: [info(`rollout complete: ${updated}/${replicas} pods updated and available`)],
        };
      const old = Math.max(0, total - updated);
      return {
        state: 'progressing',
        evidence: [
          info(
            seen
              ? `rollout in progress: ${updated}/${replicas} updated, ${available} available${old > 0 ? `, ${old} old pod${old === 1 ? '' : 's'} left` : ''}`
              : 'waiting for the Deployment controller to see the change',
          ),
        ],
      };
    }
    case 'StatefulSet': {
      const strategy = ((spec.updateStrategy ?? {}) as JsonObject).type ?? 'RollingUpdate';
      if (strategy === 'OnDelete')
        return {
          state: 'not-applicable',
          evidence: [info('updateStrategy OnDelete: pods change only when they are deleted or resized')],
        };
      const updated = num(status, 'updatedReplicas');
      const ready = num(status, 'readyReplicas');
      const sameRevision =
        status.currentRevision === undefined || status.currentRevision === status.updateRevision;
      if (seen && updated >= replicas && ready >= replicas && sameRevision)
        return {
          state: 'complete',
          evidence: [info(`rollout complete: ${updated}/${replicas} pods updated and ready`)],
        };
      return {
        state: 'progressing',
        evidence: [info(`rollout in progress: ${updated}/${replicas} updated, ${ready} ready`)],
      };
    }
    case 'DaemonSet': {
      if (((spec.updateStrategy ?? {}) as JsonObject).type === 'OnDelete')
        return {
          state: 'not-applicable',
          evidence: [info('updateStrategy OnDelete: pods change only when they are deleted or resized')],
        };
      const desired = num(status, 'desiredNumberScheduled');
      const updated = num(status, 'updatedNumberScheduled');
      const available = num(status, 'numberAvailable');
      if (seen && updated >= desired && available >= desired)
        return {
          state: 'complete',
          evidence: [info(`rollout complete: ${updated}/${desired} nodes run the new pod`)],
        };
      return {
        state: 'progressing',
        evidence: [info(`rollout in progress: ${updated}/${desired} nodes updated, ${available} available`)],
      };
    }
    case 'Rollout': {
      // Argo Rollouts reports its own phase; without one nothing can be said about the rollout itself.
      if (status.phase === 'Healthy')
        return { state: 'complete', evidence: [info('Argo Rollout is Healthy')] };
      if (status.phase === 'Degraded')
        return {
          state: 'failed',
          evidence: [
            {
              kind: 'rollout',
              severity: 'failure',
              message: `Argo Rollout is Degraded: ${String(status.message ?? '')}`,
            },
          ],
        };
      return {
        state: 'progressing',
        evidence: [info(`Argo Rollout phase: ${String(status.phase ?? 'not reported')}`)],
      };
    }
    default:
      return {
        state: 'not-applicable',
        evidence: [info(`a ${kind} change applies to the pods of its next run; nothing runs it now`)],
      };
  }
}
