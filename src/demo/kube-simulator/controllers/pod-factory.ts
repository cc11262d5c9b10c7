// A new pod from a controller's template, as kube-apiserver stores it after defaulting: requests copied from
// limits where a container sets only the limit (SetDefaults_Pod), and status.qosClass computed at creation.

import { qosClass } from '../pod-resources.js';
import { clone, isObject, type JsonObject, type KubeObject, type OwnerReference } from '../types.js';
import { spec } from './objects.js';

export interface PodIdentity {
  namespace: string;
  name: string;
  owner: OwnerReference;
  /** Labels on top of the template's (pod-template-hash, controller-revision-hash, …). */
  labels: Record<string, string>;
  /** DaemonSet pods: bound to one node through required node affinity, as the controller does. */
  node?: string;
}

function defaultRequests(podSpec: JsonObject): void {
  for (const list of ['containers', 'initContainers'] as const) {
    const containers = podSpec[list];
    if (!Array.isArray(containers)) continue;
    for (const container of containers.filter(isObject)) {
      const resources = isObject((container.resources ?? null) as JsonObject)
        ? (container.resources as JsonObject)
        : undefined;
      const limits =
        resources && isObject((resources.limits ?? null) as JsonObject)
          ? (resources.limits as JsonObject)
          : undefined;
      if (!resources || !limits) continue;
      const requests = isObject((resources.requests ?? null) as JsonObject)
        ? (resources.requests as JsonObject)
        : {};
      for (const [name, value] of Object.entries(limits))
        if (requests[name] === undefined) requests[name] = value;
      resources.requests = requests;
    }
  }
}

function nodeAffinity(node: string): JsonObject {
  return {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }],
      },
    },
  };
}

export function podFromTemplate(template: unknown, identity: PodIdentity): KubeObject {
  const t = isObject((template ?? null) as JsonObject) ? (clone(template) as JsonObject) : {};
  const meta = isObject((t.metadata ?? null) as JsonObject) ? (t.metadata as JsonObject) : {};
  const podSpec = isObject((t.spec ?? null) as JsonObject) ? (t.spec as JsonObject) : {};
  defaultRequests(podSpec);
  if (identity.node) podSpec.affinity = nodeAffinity(identity.node);
  const pod: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: identity.name,
      namespace: identity.namespace,
      labels: { ...((meta.labels as Record<string, string> | undefined) ?? {}), ...identity.labels },
      ...(isObject((meta.annotations ?? null) as JsonObject)
        ? { annotations: meta.annotations as Record<string, string> }
        : {}),
      ownerReferences: [identity.owner],
    },
    spec: podSpec,
  };
  pod.status = { phase: 'Pending', qosClass: qosClass(pod) };
  return pod;
}

/** The pod's node (spec.nodeName) once scheduled. */
export function nodeOf(pod: KubeObject): string | undefined {
  const node = spec(pod).nodeName;
  return typeof node === 'string' && node !== '' ? node : undefined;
}
