// What an in-place resize would do to one running pod, computed from the pod as the API server returned it:
// the resources a new pod would get from the changed template, the QoS class before and after, the rules
// pods/resize enforces (no removed requests/limits; on 1.33 no lower memory limit unless memory restarts the
// container), and which containers restart because their resizePolicy says RestartContainer.

import {
  changedFields,
  resourcesOf,
  type ContainerResourcesText,
  type FieldChange,
} from '../changes/container-resources.js';
import { quantityValue } from '../changes/quantity-format.js';
import type { JsonObject } from '../changes/workload-object.js';
import { computeQosClass, withDefaultedRequests, type QosClass } from './qos.js';
import type { PlannedPodResize } from './resize-model.js';

type Resource = 'cpu' | 'memory';
type RestartPolicy = 'NotRequired' | 'RestartContainer';

export interface PodContainerView {
  name: string;
  resources: ContainerResourcesText;
  resizePolicy: Record<Resource, RestartPolicy>;
}

export interface PodView {
  name: string;
  uid: string;
  node?: string;
  phase: string;
  terminating: boolean;
  /** status.qosClass as stored (what the API server compares a resize with). */
  qosClass?: QosClass;
  containers: PodContainerView[];
  initContainers: ContainerResourcesText[];
}

function list(value: unknown): JsonObject[] {
  return Array.isArray(value)
    ? (value.filter((v) => typeof v === 'object' && v !== null) as JsonObject[])
    : [];
}

export function podView(pod: JsonObject): PodView {
  const meta = (pod.metadata ?? {}) as JsonObject;
  const spec = (pod.spec ?? {}) as JsonObject;
  const status = (pod.status ?? {}) as JsonObject;
  const qos = status.qosClass;
  return {
    name: String(meta.name ?? ''),
    uid: String(meta.uid ?? ''),
    ...(typeof spec.nodeName === 'string' ? { node: spec.nodeName } : {}),
    phase: String(status.phase ?? 'Unknown'),
    terminating: meta.deletionTimestamp !== undefined && meta.deletionTimestamp !== null,
    ...(qos === 'Guaranteed' || qos === 'Burstable' || qos === 'BestEffort' ? { qosClass: qos } : {}),
    containers: list(spec.containers).map((c) => {
      const policies = list(c.resizePolicy);
      const policy = (r: Resource): RestartPolicy =>
        policies.find((p) => p.resourceName === r)?.restartPolicy === 'RestartContainer'
          ? 'RestartContainer'
          : 'NotRequired';
      return {
        name: String(c.name ?? ''),
        resources: resourcesOf(c.resources),
        resizePolicy: { cpu: policy('cpu'), memory: policy('memory') },
      };
    }),
    initContainers: list(spec.initContainers).map((c) => resourcesOf(c.resources)),
  };
}

function resourcesChanged(changes: FieldChange[]): Resource[] {
  return [...new Set(changes.map((c) => c.resource))];
}

function patchFor(changes: Map<string, FieldChange[]>): Record<string, unknown> | null {
  const containers = [...changes.entries()]
    .filter(([, c]) => c.length > 0)
    .map(([name, c]) => {
      const resources: Record<string, Record<string, string>> = {};
      for (const change of c)
        if (change.to !== undefined) (resources[change.which] ??= {})[change.resource] = change.to;
      return { name, resources };
    });
  return containers.length > 0 ? { spec: { containers } } : null;
}

/**
 * `targets`: container name → the template's new values for it. `minor`: the server's minor version (1.33
 * forbids lowering a memory limit in place unless memory's resizePolicy is RestartContainer; 1.34 allows it).
 */
export function planPodResize(
  pod: PodView,
  targets: Map<string, ContainerResourcesText>,
  minor: number,
): PlannedPodResize {
  const changes = new Map<string, FieldChange[]>();
  const containers: PlannedPodResize['containers'] = [];
  const problems: string[] = [];
  const after = pod.containers.map((c) => {
    const target = targets.get(c.name);
    if (!target) return c.resources;
    const want = withDefaultedRequests(target);
    const diff = changedFields(c.resources, want);
    changes.set(c.name, diff);
    containers.push({ container: c.name, before: c.resources, after: want });
    for (const d of diff.filter((x) => x.to === undefined))
      problems.push(
        `${c.name} ${d.which}.${d.resource} would be removed, and a resize cannot remove ${d.which}`,
      );
    const lowered = diff.find(
      (d) =>
        d.which === 'limits' &&
        d.resource === 'memory' &&
        d.from !== undefined &&
        d.to !== undefined &&
        lower(d.to, d.from),
    );
    if (minor === 33 && lowered && c.resizePolicy.memory !== 'RestartContainer')
      problems.push(
        `${c.name}'s memory limit would go down (${lowered.from} → ${lowered.to}): Kubernetes 1.33 lowers a memory limit in place only when the container's memory resizePolicy is RestartContainer (1.34 and later allow it)`,
      );
    return want;
  });
  for (const name of targets.keys())
    if (!pod.containers.some((c) => c.name === name)) problems.push(`the pod has no container "${name}"`);
  const qosBefore =
    pod.qosClass ?? computeQosClass([...pod.containers.map((c) => c.resources), ...pod.initContainers]);
  const qosAfter = computeQosClass([...after, ...pod.initContainers]);
  if (qosAfter !== qosBefore)
    problems.push(
      `its QoS class would change from ${qosBefore} to ${qosAfter}, and Kubernetes resizes a pod in place only within its QoS class`,
    );
  if (pod.phase !== 'Running' || pod.terminating)
    problems.push(pod.terminating ? 'the pod is terminating' : `the pod is ${pod.phase}, not Running`);
  const restarting = pod.containers
    .filter((c) =>
      resourcesChanged(changes.get(c.name) ?? []).some((r) => c.resizePolicy[r] === 'RestartContainer'),
    )
    .map((c) => c.name);
  const patch = problems.length > 0 ? null : patchFor(changes);
  const base = {
    name: pod.name,
    uid: pod.uid,
    ...(pod.node ? { node: pod.node } : {}),
    qosBefore,
    qosAfter,
    containers,
  };
  if (problems.length > 0)
    return {
      ...base,
      outcome: 'not-possible',
      reason: problems.join('; '),
      restartingContainers: [],
      patch: null,
    };
  if (!patch)
    return {
      ...base,
      outcome: 'in-place',
      reason: 'already runs with these values',
      restartingContainers: [],
      patch: null,
    };
  if (restarting.length > 0)
    return {
      ...base,
      outcome: 'restarts-container',
      reason: `resized in place; ${restarting.join(', ')} restart${restarting.length === 1 ? 's' : ''} (resizePolicy RestartContainer)`,
      restartingContainers: restarting,
      patch,
    };
  return {
    ...base,
    outcome: 'in-place',
    reason: 'resized in place, no container restarts',
    restartingContainers: [],
    patch,
  };
}

function lower(to: string, from: string): boolean {
  const t = quantityValue(to);
  const f = quantityValue(from);
  return t !== undefined && f !== undefined && t < f;
}
