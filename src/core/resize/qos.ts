// A pod's QoS class by Kubernetes' rules (ComputePodQOS), from its containers' requests and limits: an
// in-place resize must leave it unchanged, so the plan computes it before and after the change.

import type { ContainerResourcesText } from '../changes/container-resources.js';
import { quantityValue } from '../changes/quantity-format.js';

export type QosClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

type Resource = 'cpu' | 'memory';

/** Whole millicores and bytes, so that sums compare exactly ("0.1" + "0.2" is "300m"). */
function units(text: string | undefined, resource: Resource): number | undefined {
  const value = quantityValue(text);
  if (value === undefined) return undefined;
  return resource === 'cpu' ? Math.ceil(value * 1000 - 1e-9) : Math.ceil(value - 1e-9);
}

/**
 * All containers of the pod, init containers included. Only cpu and memory count, zero values are ignored,
 * and a request left out counts as the limit (the API server defaults it so on a pod). Guaranteed: every
 * container has cpu and memory limits, and the summed requests equal the summed limits; BestEffort: nothing
 * set anywhere; otherwise Burstable.
 */
export function computeQosClass(containers: readonly ContainerResourcesText[]): QosClass {
  const requests: Partial<Record<Resource, number>> = {};
  const limits: Partial<Record<Resource, number>> = {};
  let guaranteed = true;
  for (const container of containers) {
    let limitsFound = 0;
    for (const resource of ['cpu', 'memory'] as const) {
      const limit = units(container.limits[resource], resource);
      const request = units(container.requests[resource], resource) ?? limit;
      if (request !== undefined && request > 0) requests[resource] = (requests[resource] ?? 0) + request;
      if (limit !== undefined && limit > 0) {
        limitsFound += 1;
        limits[resource] = (limits[resource] ?? 0) + limit;
      }
    }
    if (limitsFound < 2) guaranteed = false;
  }
  const requested = Object.keys(requests) as Resource[];
  if (requested.length === 0 && Object.keys(limits).length === 0) return 'BestEffort';
  if (requested.some((r) => limits[r] !== requests[r])) guaranteed = false;
  return guaranteed && requested.length === Object.keys(limits).length ? 'Guaranteed' : 'Burstable';
}

/** The resources a new pod gets from these template values: a missing request becomes the limit. */
export function withDefaultedRequests(resources: ContainerResourcesText): ContainerResourcesText {
  const requests = { ...resources.requests };
  for (const resource of ['cpu', 'memory'] as const) {
    const limit = resources.limits[resource];
    if (requests[resource] === undefined && limit !== undefined) requests[resource] = limit;
  }
  return { requests, limits: { ...resources.limits } };
}
