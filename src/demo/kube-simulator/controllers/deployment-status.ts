// The Deployment controller's status: replica counts summed over its ReplicaSets, observedGeneration, and
// the Available and Progressing conditions with the reasons and messages kube-controller-manager writes;
// ProgressDeadlineExceeded once progressDeadlineSeconds pass on the simulated clock without progress.

import { clone, type JsonObject, type KubeObject } from '../types.js';
import { statusNumber, type ControllerContext } from './context.js';
import { condition, conditionsOf, controllerOf, spec, statusOf } from './objects.js';
import { rollingBounds } from './rolling-bounds.js';

export function writeDeploymentStatus(
  context: ControllerContext,
  d: KubeObject,
  replicas: number,
  freshName: string | undefined,
  created: boolean,
): void {
  const all = context.writer
    .list('ReplicaSet', d.metadata.namespace)
    .filter((rs) => controllerOf(rs)?.uid === d.metadata.uid);
  const fresh = all.find((rs) => rs.metadata.name === freshName);
  const sum = (field: string) => all.reduce((total, rs) => total + statusNumber(rs, field), 0);
  const before = statusOf(d);
  const now = context.clock.timestamp();
  const status: JsonObject = {
    observedGeneration: d.metadata.generation ?? 1,
    replicas: sum('replicas'),
    updatedReplicas: fresh ? statusNumber(fresh, 'replicas') : 0,
    readyReplicas: sum('readyReplicas'),
    availableReplicas: sum('availableReplicas'),
  };
  const unavailable = replicas - sum('availableReplicas');
  if (unavailable > 0) status.unavailableReplicas = unavailable;
  const { maxUnavailable } = rollingBounds(d, replicas);
  const available = sum('availableReplicas') >= replicas - maxUnavailable;
  let conditions = upsertCondition(
    conditionsOf(d),
    available
      ? {
          type: 'Available',
          status: 'True',
          reason: 'MinimumReplicasAvailable',
          message: 'Deployment has minimum availability.',
        }
      : {
          type: 'Available',
          status: 'False',
          reason: 'MinimumReplicasUnavailable',
          message: 'Deployment does not have minimum availability.',
        },
    now,
    false,
  );
  const progressing = progressingCondition(context, d, status, before, freshName ?? '', created, replicas);
  if (progressing) conditions = upsertCondition(conditions, progressing.condition, now, progressing.touch);
  status.conditions = conditions;
  if (before.collisionCount !== undefined) status.collisionCount = before.collisionCount;
  const next = clone(d);
  next.status = status;
  context.writer.update(next);
}

/**
 * A Deployment condition: unchanged ones keep their times; `touch` renews lastUpdateTime (progress was made,
 * which restarts the progress deadline); lastTransitionTime moves only when the status does.
 */
function upsertCondition(
  conditions: JsonObject[],
  next: JsonObject,
  now: string,
  touch: boolean,
): JsonObject[] {
  const old = conditions.find((c) => c.type === next.type);
  if (
    old &&
    !touch &&
    old.status === next.status &&
    old.reason === next.reason &&
    old.message === next.message
  )
    return conditions;
  const withTimes: JsonObject = {
    ...next,
    lastUpdateTime: now,
    lastTransitionTime: old && old.status === next.status ? (old.lastTransitionTime ?? now) : now,
  };
  return old ? conditions.map((c) => (c === old ? withTimes : c)) : [...conditions, withTimes];
}

/** DeploymentProgressing: more updated, ready or available pods, or fewer old ones, than last time. */
function progressMoved(now: JsonObject, before: JsonObject): boolean {
  const n = (o: JsonObject, f: string) => (typeof o[f] === 'number' ? (o[f] as number) : 0);
  const oldPods = (o: JsonObject) => n(o, 'replicas') - n(o, 'updatedReplicas');
  return (
    n(now, 'updatedReplicas') > n(before, 'updatedReplicas') ||
    n(now, 'readyReplicas') > n(before, 'readyReplicas') ||
    n(now, 'availableReplicas') > n(before, 'availableReplicas') ||
    oldPods(now) < oldPods(before)
  );
}

function progressingCondition(
  context: ControllerContext,
  d: KubeObject,
  status: JsonObject,
  before: JsonObject,
  rsName: string,
  created: boolean,
  replicas: number,
): { condition: JsonObject; touch: boolean } | undefined {
  const make = (value: string, reason: string, message: string, touch: boolean) => ({
    condition: { type: 'Progressing', status: value, reason, message },
    touch,
  });
  if (spec(d).paused === true) return make('Unknown', 'DeploymentPaused', 'Deployment is paused', false);
  const complete =
    status.updatedReplicas === replicas &&
    status.replicas === replicas &&
    status.availableReplicas === replicas;
  if (complete)
    return make(
      'True',
      'NewReplicaSetAvailable',
      `ReplicaSet "${rsName}" has successfully progressed.`,
      false,
    );
  if (created) return make('True', 'NewReplicaSetCreated', `Created new replica set "${rsName}"`, true);
  if (progressMoved(status, before))
    return make('True', 'ReplicaSetUpdated', `ReplicaSet "${rsName}" is progressing.`, true);
  const current = condition(d, 'Progressing');
  if (!current) return make('True', 'FoundNewReplicaSet', `Found new replica set "${rsName}"`, true);
  const deadline = spec(d).progressDeadlineSeconds;
  const since = Date.parse(String(current.lastUpdateTime ?? current.lastTransitionTime ?? ''));
  if (
    typeof deadline === 'number' &&
    current.reason !== 'ProgressDeadlineExceeded' &&
    Number.isFinite(since) &&
    context.clock.nowMillis() - since > deadline * 1000
  )
    return make(
      'False',
      'ProgressDeadlineExceeded',
      `ReplicaSet "${rsName}" has timed out progressing.`,
      false,
    );
  return undefined;
}
