// The DaemonSet controller: one pod per node, pinned there by required node affinity (the scheduler still
// has to fit it); a RollingUpdate deletes an old pod only while fewer than maxUnavailable pods are
// unavailable, and its replacement comes from the new template. Status counts what each node runs.

import { clone, type JsonObject, type KubeObject } from '../types.js';
import { ownedPods, type ControllerContext } from './context.js';
import { controllerRef, isPodReady, randomSuffix, spec, statusOf, templateHash } from './objects.js';
import { podFromTemplate } from './pod-factory.js';

const REVISION_LABEL = 'controller-revision-hash';
const GENERATION_LABEL = 'pod-template-generation';

/** The node a DaemonSet pod is for: its nodeName once scheduled, else the node its affinity names. */
function targetNode(pod: KubeObject): string | undefined {
  const name = spec(pod).nodeName;
  if (typeof name === 'string' && name) return name;
  const terms = (spec(pod).affinity as JsonObject | undefined)?.nodeAffinity as JsonObject | undefined;
  const required = terms?.requiredDuringSchedulingIgnoredDuringExecution as JsonObject | undefined;
  const first = (required?.nodeSelectorTerms as JsonObject[] | undefined)?.[0];
  const field = (first?.matchFields as JsonObject[] | undefined)?.[0];
  return (field?.values as string[] | undefined)?.[0];
}

export function syncDaemonSet(context: ControllerContext, ds: KubeObject): void {
  const hash = templateHash(spec(ds).template);
  const generation = String(ds.metadata.generation ?? 1);
  const before = statusOf(ds);
  let pods = ownedPods(context, ds);
  if (before.observedGeneration === undefined) {
    pods = pods.map((p) => {
      if (p.metadata.labels?.[REVISION_LABEL]) return p;
      const labelled = clone(p);
      labelled.metadata.labels = {
        ...labelled.metadata.labels,
        [REVISION_LABEL]: hash,
        [GENERATION_LABEL]: generation,
      };
      return context.writer.update(labelled);
    });
  }
  const nodes = context.behaviour.nodes.map((n) => n.name);
  for (const node of nodes) {
    if (pods.some((p) => targetNode(p) === node)) continue;
    pods.push(
      context.writer.create(
        podFromTemplate(spec(ds).template, {
          namespace: ds.metadata.namespace ?? 'default',
          name: `${ds.metadata.name}-${randomSuffix()}`,
          owner: controllerRef(ds),
          labels: { [REVISION_LABEL]: hash, [GENERATION_LABEL]: generation },
          node,
        }),
        'kube-controller-manager',
      ),
    );
  }
  const strategy = spec(ds).updateStrategy as JsonObject | undefined;
  if ((strategy?.type ?? 'RollingUpdate') === 'RollingUpdate') {
    const rolling = (strategy?.rollingUpdate ?? {}) as JsonObject;
    const maxUnavailable = typeof rolling.maxUnavailable === 'number' ? rolling.maxUnavailable : 1;
    const unavailable = pods.filter((p) => !isPodReady(p)).length;
    const outdated = pods.filter((p) => p.metadata.labels?.[REVISION_LABEL] !== hash);
    for (const pod of outdated.slice(0, Math.max(0, maxUnavailable - unavailable))) {
      context.writer.remove(pod);
      pods = pods.filter((p) => p !== pod);
    }
  }
  const ready = pods.filter(isPodReady).length;
  const updated = pods.filter((p) => p.metadata.labels?.[REVISION_LABEL] === hash).length;
  const next = clone(ds);
  next.status = {
    currentNumberScheduled: pods.filter((p) => typeof spec(p).nodeName === 'string').length,
    desiredNumberScheduled: nodes.length,
    numberMisscheduled: 0,
    numberReady: ready,
    numberAvailable: ready,
    ...(nodes.length - ready > 0 ? { numberUnavailable: nodes.length - ready } : {}),
    updatedNumberScheduled: updated,
    observedGeneration: ds.metadata.generation ?? 1,
  };
  context.writer.update(next);
}
