// What the scheduler, the kubelet and the resize validation read from a pod's containers: requests in
// millicores and bytes, and the QoS class (pkg/apis/core/helper/qos), computed here independently of the
// product's own QoS code so that the two check each other.

import { parseQuantity } from './quantity.js';
import { isObject, type JsonObject, type KubeObject } from './types.js';

export type QosClass = 'Guaranteed' | 'Burstable' | 'BestEffort';
export type ComputeResource = 'cpu' | 'memory';

export interface ResourceAmounts {
  /** Millicores. */
  cpu: number;
  /** Bytes. */
  memory: number;
}

export function podSpec(pod: KubeObject): JsonObject {
  return isObject((pod.spec ?? null) as JsonObject) ? (pod.spec as JsonObject) : {};
}

export function containersOf(
  pod: KubeObject,
  list: 'containers' | 'initContainers' = 'containers',
): JsonObject[] {
  const items = podSpec(pod)[list];
  return Array.isArray(items) ? items.filter(isObject) : [];
}

export function resourceMap(container: JsonObject, which: 'requests' | 'limits'): JsonObject {
  const resources = container.resources;
  if (!isObject(resources ?? null)) return {};
  const map = (resources as JsonObject)[which];
  return isObject(map ?? null) ? (map as JsonObject) : {};
}

/** cpu in millicores (rounded up, as MilliValue does), memory in bytes; undefined when unset or unparsable. */
export function amount(value: unknown, resource: ComputeResource): number | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const q = parseQuantity(value);
  if (!q) return undefined;
  const nanos = resource === 'cpu' ? q.nanos * 1000n : q.nanos;
  const whole = nanos / 1_000_000_000n;
  return Number(nanos % 1_000_000_000n === 0n || nanos < 0n ? whole : whole + 1n);
}

/** A container's effective request: the request, else the limit (the API server defaults one to the other). */
function containerRequest(container: JsonObject, resource: ComputeResource): number {
  return (
    amount(resourceMap(container, 'requests')[resource], resource) ??
    amount(resourceMap(container, 'limits')[resource], resource) ??
    0
  );
}

/** The pod's request as the scheduler sums it: containers added up, the largest init container if bigger. */
export function podRequests(pod: KubeObject): ResourceAmounts {
  const total: ResourceAmounts = { cpu: 0, memory: 0 };
  for (const resource of ['cpu', 'memory'] as const) {
    const regular = containersOf(pod).reduce((sum, c) => sum + containerRequest(c, resource), 0);
    const init = containersOf(pod, 'initContainers').reduce(
      (max, c) => Math.max(max, containerRequest(c, resource)),
      0,
    );
    total[resource] = Math.max(regular, init);
  }
  return total;
}

/**
 * ComputePodQOS: sums of the non-zero requests and limits over all containers; Guaranteed when every container
 * has cpu and memory limits and the summed requests equal the summed limits. A request left out is the limit
 * (the API server defaults it so when the pod is created).
 */
export function qosClass(pod: KubeObject): QosClass {
  const requests: Partial<ResourceAmounts> = {};
  const limits: Partial<ResourceAmounts> = {};
  let guaranteed = true;
  for (const container of [...containersOf(pod), ...containersOf(pod, 'initContainers')]) {
    const found = new Set<ComputeResource>();
    for (const resource of ['cpu', 'memory'] as const) {
      const limit = amount(resourceMap(container, 'limits')[resource], resource);
      const request = amount(resourceMap(container, 'requests')[resource], resource) ?? limit;
      if (request !== undefined && request > 0) requests[resource] = (requests[resource] ?? 0) + request;
      if (limit !== undefined && limit > 0) {
        found.add(resource);
        limits[resource] = (limits[resource] ?? 0) + limit;
      }
    }
    if (!found.has('cpu') || !found.has('memory')) guaranteed = false;
  }
  const requested = Object.keys(requests) as ComputeResource[];
  if (requested.length === 0 && Object.keys(limits).length === 0) return 'BestEffort';
  if (guaranteed && requested.some((r) => limits[r] !== requests[r])) guaranteed = false;
  return guaranteed && requested.length === Object.keys(limits).length ? 'Guaranteed' : 'Burstable';
}

export function containerStatuses(pod: KubeObject): JsonObject[] {
  const status = isObject((pod.status ?? null) as JsonObject) ? (pod.status as JsonObject) : {};
  return Array.isArray(status.containerStatuses) ? status.containerStatuses.filter(isObject) : [];
}
