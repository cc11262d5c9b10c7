// A container's requests/limits as the exact strings the object holds, and what a change makes of them.

import type { ContainerChange } from './change-request.js';
import { quantityValue, sameQuantity } from './quantity-format.js';

export interface ResourceValuesText {
  cpu?: string;
  memory?: string;
}

/** Absent keys mean "not set" on the object (not "unknown"). */
export interface ContainerResourcesText {
  requests: ResourceValuesText;
  limits: ResourceValuesText;
}

export type ResourceKind = 'requests' | 'limits';
export type ResourceName = 'cpu' | 'memory';

export const RESOURCE_FIELDS: ReadonlyArray<readonly [ResourceKind, ResourceName]> = [
  ['requests', 'cpu'],
  ['requests', 'memory'],
  ['limits', 'cpu'],
  ['limits', 'memory'],
];

export interface FieldChange {
  which: ResourceKind;
  resource: ResourceName;
  /** undefined: the field was not set. */
  from?: string;
  /** undefined: the field is removed. */
  to?: string;
}

/** Reads requests/limits (cpu and memory only) from a container's `resources`. */
export function resourcesOf(resources: unknown): ContainerResourcesText {
  const pick = (values: unknown): ResourceValuesText => {
    const map = typeof values === 'object' && values !== null ? (values as Record<string, unknown>) : {};
    return {
      ...(map.cpu !== undefined ? { cpu: String(map.cpu) } : {}),
      ...(map.memory !== undefined ? { memory: String(map.memory) } : {}),
    };
  };
  const r = typeof resources === 'object' && resources !== null ? (resources as Record<string, unknown>) : {};
  return { requests: pick(r.requests), limits: pick(r.limits) };
}

/** The resources after the change: null removes, a string sets, an absent key keeps the live value. */
export function applyChange(
  current: ContainerResourcesText,
  change: ContainerChange,
): ContainerResourcesText {
  const next: ContainerResourcesText = { requests: { ...current.requests }, limits: { ...current.limits } };
  for (const [which, resource] of RESOURCE_FIELDS) {
    const value = change[which]?.[resource];
    if (value === undefined) continue;
    if (value === null) delete next[which][resource];
    else next[which][resource] = value;
  }
  return next;
}

/** Fields whose value differs (compared by amount: "1" and "1000m" are the same). */
export function changedFields(
  current: ContainerResourcesText,
  desired: ContainerResourcesText,
): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const [which, resource] of RESOURCE_FIELDS) {
    const from = current[which][resource];
    const to = desired[which][resource];
    if (sameQuantity(from, to)) continue;
    changes.push({
      which,
      resource,
      ...(from !== undefined ? { from } : {}),
      ...(to !== undefined ? { to } : {}),
    });
  }
  return changes;
}

/** Resources whose limit would be below the request (the API server would refuse them). */
export function limitsBelowRequests(
  resources: ContainerResourcesText,
): Array<{ resource: ResourceName; request: string; limit: string }> {
  const out: Array<{ resource: ResourceName; request: string; limit: string }> = [];
  for (const resource of ['cpu', 'memory'] as const) {
    const request = resources.requests[resource];
    const limit = resources.limits[resource];
    const rv = quantityValue(request);
    const lv = quantityValue(limit);
    if (request !== undefined && limit !== undefined && rv !== undefined && lv !== undefined && lv < rv)
      out.push({ resource, request, limit });
  }
  return out;
}

export function fieldName(change: Pick<FieldChange, 'which' | 'resource'>): string {
  return `${change.which}.${change.resource}`;
}
