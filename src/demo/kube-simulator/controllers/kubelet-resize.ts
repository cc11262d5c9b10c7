// The kubelet's side of an in-place resize (1.33+, pkg/kubelet/allocation): when a pod's spec resources
// differ from what its containers run with, the resize is Infeasible (more than the node's allocatable, or
// a Guaranteed pod on a static CPU manager), Deferred (not free on the node now), or accepted:
// allocatedResources move at once, PodResizeInProgress holds while it is actuated, then
// containerStatuses[].resources follow; containers whose resizePolicy says RestartContainer for a changed
// resource restart (restartCount + 1), the others keep running (same container, same count).

import { amount, containersOf, podRequests, qosClass, type ComputeResource } from '../pod-resources.js';
import { clone, isObject, type JsonObject, type KubeObject } from '../types.js';
import type { ControllerContext } from './context.js';
import { conditionsOf, newContainerId } from './objects.js';
import { nodeOf } from './pod-factory.js';
import { requestedOnNodes } from './scheduler.js';

export const RESIZE_CONDITIONS = ['PodResizePending', 'PodResizeInProgress'];

export function supportsResize(context: ControllerContext): boolean {
  return context.behaviour.minor >= 33;
}

/** cpu and memory requests/limits of a spec container, as stored. */
function desired(container: JsonObject): JsonObject {
  const resources = isObject((container.resources ?? null) as JsonObject)
    ? (container.resources as JsonObject)
    : {};
  const out: JsonObject = {};
  for (const which of ['limits', 'requests'] as const) {
    const map = isObject((resources[which] ?? null) as JsonObject) ? (resources[which] as JsonObject) : {};
    const picked: JsonObject = {};
    for (const r of ['cpu', 'memory'] as const) if (map[r] !== undefined) picked[r] = map[r];
    if (Object.keys(picked).length > 0) out[which] = picked;
  }
  return out;
}

function value(resources: unknown, which: string, resource: ComputeResource): number | undefined {
  const map = isObject((resources ?? null) as JsonObject)
    ? ((resources as JsonObject)[which] as JsonObject | undefined)
    : undefined;
  return amount(map?.[resource], resource);
}

function changedResources(want: JsonObject, have: unknown): ComputeResource[] {
  return (['cpu', 'memory'] as const).filter((r) =>
    ['requests', 'limits'].some((which) => value(want, which, r) !== value(have, which, r)),
  );
}

/** Below 1.33 kubelet reports no per-container resources. */
export function withActualResources(status: JsonObject, actual: JsonObject | undefined): JsonObject {
  const next = { ...status };
  if (actual) next.resources = actual;
  else {
    delete next.resources;
    delete next.allocatedResources;
  }
  return next;
}

function restartsFor(container: JsonObject, resources: ComputeResource[]): boolean {
  const policies = Array.isArray(container.resizePolicy) ? container.resizePolicy.filter(isObject) : [];
  return resources.some((r) =>
    policies.some((p) => p.resourceName === r && p.restartPolicy === 'RestartContainer'),
  );
}

/** Why the node cannot take the resize now, as kubelet words it; undefined when it can. */
function pendingReason(
  context: ControllerContext,
  pod: KubeObject,
): { reason: string; message: string } | undefined {
  const node = context.behaviour.nodes.find((n) => n.name === nodeOf(pod));
  if (!node) return undefined;
  if (context.behaviour.cpuManagerStaticPolicy && qosClass(pod) === 'Guaranteed')
    return {
      reason: 'Infeasible',
      message: 'Resize is infeasible for Guaranteed Pods alongside CPU Manager static policy',
    };
  const capacity = context.behaviour.allocatable(node);
  const requested = podRequests(pod);
  if (requested.memory > capacity.memory || requested.cpu > capacity.cpu) {
    const r: ComputeResource = requested.memory > capacity.memory ? 'memory' : 'cpu';
    return {
      reason: 'Infeasible',
      message: `Node didn't have enough capacity: ${r}, requested: ${requested[r]}, capacity: ${capacity[r]}`,
    };
  }
  const used = requestedOnNodes(context, pod.metadata.uid).get(node.name) ?? { cpu: 0, memory: 0 };
  for (const r of ['cpu', 'memory'] as const) {
    if (requested[r] > capacity[r] - used[r])
      return {
        reason: 'Deferred',
        message: `Node didn't have enough resource: ${r}, requested: ${requested[r]}, used: ${used[r]}, capacity: ${capacity[r]}`,
      };
  }
  return undefined;
}

/**
 * Brings containerStatuses (the actual resources) towards the pod's spec; writes the resize conditions into
 * `status`. Returns the new container statuses.
 */
export function actuateResize(
  context: ControllerContext,
  pod: KubeObject,
  status: JsonObject,
  statuses: JsonObject[],
): JsonObject[] {
  const now = context.clock.timestamp();
  const containers = containersOf(pod);
  // Containers seen for the first time run with what the spec says (the pod was admitted with it).
  let next = statuses.map((s) => {
    const container = containers.find((c) => c.name === s.name) ?? {};
    if (s.resources !== undefined) return s;
    const want = desired(container);
    return { ...s, resources: want, allocatedResources: clone((want.requests ?? {}) as JsonObject) };
  });
  const old = conditionsOf(pod);
  const others = old.filter((c) => !['PodResizePending', 'PodResizeInProgress'].includes(String(c.type)));
  const changed = containers.filter((c) => {
    const s = next.find((x) => x.name === c.name);
    return s !== undefined && changedResources(desired(c), s.resources).length > 0;
  });
  const condition = (type: string, extra: JsonObject = {}): JsonObject => {
    const before = old.find((c) => c.type === type);
    return {
      type,
      status: 'True',
      lastProbeTime: null,
      lastTransitionTime: before && before.reason === extra.reason ? (before.lastTransitionTime ?? now) : now,
      ...extra,
    };
  };
  if (changed.length === 0) {
    status.conditions = others;
    return next;
  }
  const pending = pendingReason(context, pod);
  if (pending) {
    status.conditions = [...others, condition('PodResizePending', pending)];
    return next;
  }
  next = next.map((s) => {
    const container = changed.find((c) => c.name === s.name);
    return container
      ? { ...s, allocatedResources: clone((desired(container).requests ?? {}) as JsonObject) }
      : s;
  });
  const inProgress = old.find((c) => c.type === 'PodResizeInProgress');
  const actuationMs = context.behaviour.resizeActuationMs;
  const since = Date.parse(String(inProgress?.lastTransitionTime ?? ''));
  if (actuationMs > 0 && (!inProgress || context.clock.nowMillis() - since < actuationMs)) {
    status.conditions = [...others, condition('PodResizeInProgress')];
    return next;
  }
  status.conditions = others;
  return next.map((s) => {
    const container = changed.find((c) => c.name === s.name);
    if (!container) return s;
    const want = desired(container);
    const updated: JsonObject = { ...s, resources: want };
    if (!restartsFor(container, changedResources(want, s.resources))) return updated;
    const startedAt =
      ((s.state as JsonObject | undefined)?.running as JsonObject | undefined)?.startedAt ?? now;
    return {
      ...updated,
      restartCount: (typeof s.restartCount === 'number' ? s.restartCount : 0) + 1,
      containerID: newContainerId(),
      lastState: {
        terminated: {
          exitCode: 0,
          reason: 'Completed',
          startedAt,
          finishedAt: now,
          containerID: s.containerID ?? null,
        },
      },
      state: { running: { startedAt: now } },
    };
  });
}
