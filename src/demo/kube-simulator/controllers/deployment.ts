// The Deployment controller (pkg/controller/deployment): finds or creates the ReplicaSet of the current
// template (EqualIgnoreHash), rolls pods over within maxSurge/maxUnavailable (or Recreate), creates nothing
// while paused, and writes its status (deployment-status.ts).

import { clone, type JsonObject, type KubeObject } from '../types.js';
import { byCreation, replicasOf, statusNumber, type ControllerContext } from './context.js';
import { writeDeploymentStatus } from './deployment-status.js';
import { rollingBounds } from './rolling-bounds.js';
import { controllerOf, controllerRef, equalIgnoreHash, spec, templateHash } from './objects.js';

const REVISION = 'deployment.kubernetes.io/revision';

function revisionOf(object: KubeObject): number {
  return Number(object.metadata.annotations?.[REVISION] ?? '0') || 0;
}

function setReplicas(context: ControllerContext, rs: KubeObject, replicas: number): KubeObject {
  if (replicasOf(rs, 0) === replicas) return rs;
  const next = clone(rs);
  (next.spec as JsonObject).replicas = replicas;
  return context.writer.update(next);
}

function newReplicaSet(
  context: ControllerContext,
  d: KubeObject,
  revision: number,
  replicas: number,
): KubeObject {
  const template = clone(spec(d).template) as JsonObject;
  const hash = templateHash(template, statusNumber(d, 'collisionCount'));
  const labels = {
    ...((template.metadata as JsonObject | undefined)?.labels as Record<string, string>),
    'pod-template-hash': hash,
  };
  template.metadata = { ...((template.metadata as JsonObject | undefined) ?? {}), labels };
  const selector = clone(spec(d).selector) as JsonObject;
  selector.matchLabels = {
    ...((selector.matchLabels as JsonObject | undefined) ?? {}),
    'pod-template-hash': hash,
  };
  return context.writer.create(
    {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `${d.metadata.name}-${hash}`,
        namespace: d.metadata.namespace,
        labels,
        annotations: {
          'deployment.kubernetes.io/desired-replicas': String(replicas),
          'deployment.kubernetes.io/max-replicas': String(replicas + rollingBounds(d, replicas).maxSurge),
          [REVISION]: String(revision),
        },
        ownerReferences: [controllerRef(d)],
      },
      spec: { replicas: 0, minReadySeconds: spec(d).minReadySeconds ?? 0, selector, template },
      status: { replicas: 0 },
    },
    'kube-controller-manager',
  );
}

/** Scales the new ReplicaSet up and the old ones down within the rolling-update bounds (one pass). */
function rollingUpdate(
  context: ControllerContext,
  d: KubeObject,
  replicas: number,
  fresh: KubeObject,
  old: KubeObject[],
): void {
  const { maxSurge, maxUnavailable } = rollingBounds(d, replicas);
  const specTotal = () => [fresh, ...old].reduce((sum, rs) => sum + replicasOf(rs, 0), 0);
  if (replicasOf(fresh, 0) > replicas) fresh = setReplicas(context, fresh, replicas);
  else if (replicasOf(fresh, 0) < replicas && specTotal() < replicas + maxSurge) {
    const up = Math.min(replicas + maxSurge - specTotal(), replicas - replicasOf(fresh, 0));
    fresh = setReplicas(context, fresh, replicasOf(fresh, 0) + up);
  }
  if (old.every((rs) => replicasOf(rs, 0) === 0)) return;
  const minAvailable = replicas - maxUnavailable;
  const newUnavailable = replicasOf(fresh, 0) - statusNumber(fresh, 'availableReplicas');
  let budget = specTotal() - minAvailable - newUnavailable;
  // First the old pods that are not available anyway, then available ones down to minAvailable.
  const remaining = [...old];
  for (const [i, rs] of remaining.entries()) {
    const unhealthy = Math.min(budget, replicasOf(rs, 0) - statusNumber(rs, 'availableReplicas'));
    if (unhealthy <= 0) continue;
    remaining[i] = setReplicas(context, rs, replicasOf(rs, 0) - unhealthy);
    budget -= unhealthy;
  }
  const available = [fresh, ...remaining].reduce((sum, rs) => sum + statusNumber(rs, 'availableReplicas'), 0);
  let down = Math.min(available - minAvailable, budget);
  for (const rs of remaining) {
    if (down <= 0) break;
    const step = Math.min(down, replicasOf(rs, 0));
    setReplicas(context, rs, replicasOf(rs, 0) - step);
    down -= step;
  }
}

function recreate(context: ControllerContext, replicas: number, fresh: KubeObject, old: KubeObject[]): void {
  for (const rs of old) setReplicas(context, rs, 0);
  if (old.every((rs) => statusNumber(rs, 'replicas') === 0)) setReplicas(context, fresh, replicas);
}

export function syncDeployment(context: ControllerContext, d: KubeObject): void {
  const replicas = replicasOf(d);
  const owned = context.writer
    .list('ReplicaSet', d.metadata.namespace)
    .filter((rs) => controllerOf(rs)?.uid === d.metadata.uid)
    .sort(byCreation);
  const template = spec(d).template;
  // FindNewReplicaSet: the oldest with this template. Seeded fixtures may hold several with one template
  // (a real server cannot: the name comes from the template's hash); the one running pods wins there.
  let fresh = owned
    .filter((rs) => equalIgnoreHash(spec(rs).template, template))
    .sort((a, b) => replicasOf(b, 0) - replicasOf(a, 0))[0];
  const old = owned.filter((rs) => rs !== fresh);
  const maxOldRevision = Math.max(0, ...old.map(revisionOf));
  // A paused Deployment gets no new ReplicaSet and rolls nothing (getAllReplicaSetsAndSyncRevision without
  // createIfNotExisted): its status then counts no pod as updated until it is resumed.
  if (spec(d).paused === true) {
    writeDeploymentStatus(context, d, replicas, fresh?.metadata.name, false);
    return;
  }
  let created = false;
  if (!fresh) {
    fresh = newReplicaSet(context, d, maxOldRevision + 1, replicas);
    created = true;
  } else if (revisionOf(fresh) <= maxOldRevision) {
    const bumped = clone(fresh);
    bumped.metadata.annotations = { ...bumped.metadata.annotations, [REVISION]: String(maxOldRevision + 1) };
    fresh = context.writer.update(bumped);
  }
  const type = (spec(d).strategy as JsonObject | undefined)?.type;
  if (type === 'Recreate') recreate(context, replicas, fresh, old);
  else rollingUpdate(context, d, replicas, fresh, old);
  writeDeploymentStatus(context, d, replicas, fresh.metadata.name, created);
}
