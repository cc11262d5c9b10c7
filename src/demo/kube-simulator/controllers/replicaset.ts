// The ReplicaSet controller: creates pods from the template (name = ReplicaSet name + 5 random characters,
// a new uid each) or deletes surplus ones (not-ready and unscheduled first, then the newest), and reports
// replicas, fullyLabeledReplicas, readyReplicas, availableReplicas and observedGeneration.

import { clone, type KubeObject } from '../types.js';
import { ownedPods, replicasOf, type ControllerContext } from './context.js';
import { controllerRef, isPodReady, randomSuffix, selectorMatches, spec, statusOf } from './objects.js';
import { nodeOf, podFromTemplate } from './pod-factory.js';

/** Which surplus pod goes first (controller.ActivePods ordering, simplified). */
function deletionRank(pod: KubeObject): number {
  if (!nodeOf(pod)) return 0;
  if ((pod.status as { phase?: string } | undefined)?.phase === 'Pending') return 1;
  return isPodReady(pod) ? 3 : 2;
}

export function syncReplicaSet(context: ControllerContext, rs: KubeObject): void {
  const desired = replicasOf(rs, 1);
  let pods = ownedPods(context, rs);
  const namespace = rs.metadata.namespace ?? 'default';
  for (let i = pods.length; i < desired; i++) {
    pods.push(
      context.writer.create(
        podFromTemplate(spec(rs).template, {
          namespace,
          name: `${rs.metadata.name}-${randomSuffix()}`,
          owner: controllerRef(rs),
          labels: {},
        }),
        'kube-controller-manager',
      ),
    );
  }
  if (pods.length > desired) {
    const surplus = [...pods]
      .sort(
        (a, b) =>
          deletionRank(a) - deletionRank(b) ||
          ((b.metadata.creationTimestamp ?? '') < (a.metadata.creationTimestamp ?? '') ? -1 : 1),
      )
      .slice(0, pods.length - desired);
    for (const pod of surplus) context.writer.remove(pod);
    pods = pods.filter((p) => !surplus.includes(p));
  }
  const ready = pods.filter(isPodReady).length;
  const next = clone(rs);
  next.status = {
    ...statusOf(rs),
    replicas: pods.length,
    fullyLabeledReplicas: pods.filter((p) => selectorMatches(spec(rs).selector, p.metadata.labels)).length,
    readyReplicas: ready,
    availableReplicas: ready,
    observedGeneration: rs.metadata.generation ?? 1,
  };
  context.writer.update(next);
}
