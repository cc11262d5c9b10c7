// The StatefulSet controller: pods name-0 … name-(n-1), created in order (OrderedReady waits for the one
// before to be Ready), labelled with controller-revision-hash; a RollingUpdate replaces the highest ordinal of
// an old revision first, one at a time once all are Ready; OnDelete leaves running pods alone. Status reports
// currentRevision/updateRevision and the replica counts.

import { clone, type JsonObject, type KubeObject } from '../types.js';
import { ownedPods, replicasOf, type ControllerContext } from './context.js';
import { controllerRef, isPodReady, spec, statusOf, templateHash } from './objects.js';
import { podFromTemplate } from './pod-factory.js';

const REVISION_LABEL = 'controller-revision-hash';

function ordinal(sts: KubeObject, pod: KubeObject): number {
  const suffix = pod.metadata.name.slice(sts.metadata.name.length + 1);
  return /^\d+$/.test(suffix) ? Number(suffix) : -1;
}

export function syncStatefulSet(context: ControllerContext, sts: KubeObject): void {
  const replicas = replicasOf(sts);
  const update = `${sts.metadata.name}-${templateHash(spec(sts).template)}`;
  const before = statusOf(sts);
  let pods = ownedPods(context, sts).sort((a, b) => ordinal(sts, a) - ordinal(sts, b));
  // Pods that predate the controller (seeded objects) belong to the revision it first sees.
  if (before.updateRevision === undefined) {
    pods = pods.map((p) => {
      if (p.metadata.labels?.[REVISION_LABEL]) return p;
      const labelled = clone(p);
      labelled.metadata.labels = { ...labelled.metadata.labels, [REVISION_LABEL]: update };
      return context.writer.update(labelled);
    });
  }
  const ordered = (spec(sts).podManagementPolicy ?? 'OrderedReady') === 'OrderedReady';
  for (let i = 0; i < replicas; i++) {
    if (pods.some((p) => ordinal(sts, p) === i)) {
      if (ordered && !isPodReady(pods.find((p) => ordinal(sts, p) === i)!)) break;
      continue;
    }
    const name = `${sts.metadata.name}-${i}`;
    pods.push(
      context.writer.create(
        podFromTemplate(spec(sts).template, {
          namespace: sts.metadata.namespace ?? 'default',
          name,
          owner: controllerRef(sts),
          labels: {
            [REVISION_LABEL]: update,
            'statefulset.kubernetes.io/pod-name': name,
            'apps.kubernetes.io/pod-index': String(i),
          },
        }),
        'kube-controller-manager',
      ),
    );
    if (ordered) break;
  }
  // Scale down from the highest ordinal.
  for (const pod of [...pods].reverse()) {
    if (ordinal(sts, pod) < replicas) continue;
    context.writer.remove(pod);
    pods = pods.filter((p) => p !== pod);
    if (ordered) break;
  }
  const strategy = (spec(sts).updateStrategy as JsonObject | undefined)?.type ?? 'RollingUpdate';
  if (strategy === 'RollingUpdate' && pods.length === replicas && pods.every(isPodReady)) {
    const outdated = [...pods].reverse().find((p) => p.metadata.labels?.[REVISION_LABEL] !== update);
    if (outdated) {
      context.writer.remove(outdated);
      pods = pods.filter((p) => p !== outdated);
    }
  }
  const updated = pods.filter((p) => p.metadata.labels?.[REVISION_LABEL] === update).length;
  const current = typeof before.currentRevision === 'string' ? before.currentRevision : update;
  const ready = pods.filter(isPodReady).length;
  const next = clone(sts);
  next.status = {
    observedGeneration: sts.metadata.generation ?? 1,
    replicas: pods.length,
    readyReplicas: ready,
    availableReplicas: ready,
    currentReplicas:
      updated === replicas
        ? updated
        : pods.filter((p) => p.metadata.labels?.[REVISION_LABEL] === current).length,
    updatedReplicas: updated,
    currentRevision: updated === replicas ? update : current,
    updateRevision: update,
    collisionCount: 0,
  };
  context.writer.update(next);
}
