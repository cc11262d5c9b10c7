// The health of the pods that run a workload's current template, from their status as the kubelet and the
// scheduler write it: Pending as unschedulable (with the scheduler's message), OOM kills, CrashLoopBackOff
// and other waiting reasons, restarts since the verification began, pods not Ready, pending resizes.

import type { WorkloadKind } from '../recommend/model.js';
import type { JsonObject } from '../changes/workload-object.js';
import { ownedBy, sameTemplate } from '../resize/templates.js';
import type { Evidence, VerificationBaseline } from './model.js';

function list(value: unknown): JsonObject[] {
  return Array.isArray(value)
    ? (value.filter((v) => typeof v === 'object' && v !== null) as JsonObject[])
    : [];
}

const meta = (o: JsonObject) => (o.metadata ?? {}) as JsonObject;
const statusOf = (o: JsonObject) => (o.status ?? {}) as JsonObject;

function condition(pod: JsonObject, type: string): JsonObject | undefined {
  return list(statusOf(pod).conditions).find((c) => c.type === type);
}

export function isReady(pod: JsonObject): boolean {
  return condition(pod, 'Ready')?.status === 'True';
}

/** The pods of the current template: a Deployment's newest ReplicaSet, a StatefulSet's update revision. */
export function currentPods(
  kind: WorkloadKind,
  workload: JsonObject,
  replicaSets: JsonObject[],
  pods: JsonObject[],
): JsonObject[] {
  const uid = String(meta(workload).uid ?? '');
  const spec = (workload.spec ?? {}) as JsonObject;
  const live = pods.filter(
    (p) => meta(p).deletionTimestamp === undefined || meta(p).deletionTimestamp === null,
  );
  switch (kind) {
    case 'Deployment': {
      const rs = replicaSets.find(
        (r) => ownedBy(r, uid) && sameTemplate((r.spec as JsonObject | undefined)?.template, spec.template),
      );
      return rs ? live.filter((p) => ownedBy(p, String(meta(rs).uid ?? ''))) : [];
    }
    case 'StatefulSet': {
      const revision = statusOf(workload).updateRevision;
      const owned = live.filter((p) => ownedBy(p, uid));
      return typeof revision === 'string'
        ? owned.filter((p) => ((meta(p).labels ?? {}) as JsonObject)['controller-revision-hash'] === revision)
        : owned;
    }
    case 'DaemonSet':
      return live.filter((p) => ownedBy(p, uid));
    case 'Rollout': {
      const hash = statusOf(workload).currentPodHash;
      return typeof hash === 'string'
        ? live.filter((p) => ((meta(p).labels ?? {}) as JsonObject)['rollouts-pod-template-hash'] === hash)
        : live;
    }
    default:
      return [];
  }
}

export interface PodHealthOptions {
  baseline: VerificationBaseline;
  /** At the end of the window a pod that is still not Ready counts against the workload. */
  windowOver: boolean;
}

/** Evidence about each current pod; warnings make the workload degraded. */
export function assessPods(pods: JsonObject[], options: PodHealthOptions): Evidence[] {
  const evidence: Evidence[] = [];
  for (const pod of pods) {
    const name = String(meta(pod).name ?? '');
    const uid = String(meta(pod).uid ?? '');
    const before = options.baseline.restarts[uid];
    const scheduled = condition(pod, 'PodScheduled');
    if (scheduled?.status === 'False' && scheduled.reason === 'Unschedulable') {
      evidence.push({
        kind: 'unschedulable',
        severity: 'warning',
        pod: name,
        message: `pod ${name} cannot be scheduled: ${String(scheduled.message ?? 'Unschedulable')}`,
      });
      continue;
    }
    for (const status of list(statusOf(pod).containerStatuses)) {
      const container = String(status.name ?? '');
      const restarts = typeof status.restartCount === 'number' ? status.restartCount : 0;
      const since = restarts - (before?.[container] ?? 0);
      const at = { pod: name, container };
      const last = ((status.lastState ?? {}) as JsonObject).terminated as JsonObject | undefined;
      const now = ((status.state ?? {}) as JsonObject).terminated as JsonObject | undefined;
      const waiting = ((status.state ?? {}) as JsonObject).waiting as JsonObject | undefined;
      const oom = [now, last].find((t) => t?.reason === 'OOMKilled');
      // An OOM kill counts when it happened since the verification began (a restart since, or a new pod).
      if (oom && (since > 0 || now === oom))
        evidence.push({
          kind: 'oom-killed',
          severity: 'warning',
          ...at,
          message: `${container} in pod ${name} was OOMKilled (exit code ${String(oom.exitCode ?? 137)}) at ${String(oom.finishedAt ?? '?')}: the memory limit is too low for it`,
        });
      if (waiting?.reason === 'CrashLoopBackOff')
        evidence.push({
          kind: 'crash-loop',
          severity: 'warning',
          ...at,
          message:
            `${container} in pod ${name} is in CrashLoopBackOff${last?.reason ? ` after ${String(last.reason)}` : ''}: ${String(waiting.message ?? '')}`.trim(),
        });
      else if (
        typeof waiting?.reason === 'string' &&
        waiting.reason !== 'ContainerCreating' &&
        waiting.reason !== 'PodInitializing'
      )
        evidence.push({
          kind: 'waiting',
          severity: 'warning',
          ...at,
          message: `${container} in pod ${name} is waiting: ${waiting.reason}${waiting.message ? ` (${String(waiting.message)})` : ''}`,
        });
      if (since > 0 && !oom)
        evidence.push({
          kind: 'restarts',
          severity: 'warning',
          ...at,
          message: `${container} in pod ${name} restarted ${since} time${since === 1 ? '' : 's'} since the change${last?.reason ? ` (last: ${String(last.reason)}, exit code ${String(last.exitCode ?? '?')})` : ''}`,
        });
    }
    const resize = condition(pod, 'PodResizePending');
    if (resize?.status === 'True')
      evidence.push({
        kind: 'resize',
        severity: 'warning',
        pod: name,
        message: `pod ${name}'s in-place resize is ${String(resize.reason ?? 'pending')}: ${String(resize.message ?? '')}`,
      });
    const ready = condition(pod, 'Ready');
    if (options.windowOver && statusOf(pod).phase === 'Running' && ready?.status !== 'True')
      evidence.push({
        kind: 'not-ready',
        severity: 'warning',
        pod: name,
        message: `pod ${name} is not Ready${ready?.message ? `: ${String(ready.message)}` : ''}`,
      });
  }
  return evidence;
}
