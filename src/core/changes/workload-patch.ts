// The patch that changes only the named containers' requests/limits, with the live resourceVersion as a
// precondition so that a concurrent change makes the write fail (409) instead of being overwritten.

import type { WorkloadKind } from '../recommend/model.js';
import {
  changedFields,
  type ContainerResourcesText,
  type ResourceKind,
  type ResourceName,
} from './container-resources.js';
import { podSpecPath } from './workload-object.js';

export interface JsonPatchOperation {
  op: 'add' | 'remove' | 'replace' | 'test';
  path: string;
  value?: unknown;
}

export type WorkloadPatch =
  | { type: 'strategic-merge'; body: Record<string, unknown> }
  | { type: 'json-patch'; body: JsonPatchOperation[] };

export interface ContainerEdit {
  index: number;
  name: string;
  current: ContainerResourcesText;
  desired: ContainerResourcesText;
  rawResources: unknown;
}

/**
 * Built-in kinds get a strategic merge patch (containers are merged by name, so only the named ones are
 * touched). Rollouts are a CRD, which only takes merge or JSON patches; a merge patch would replace the
 * whole containers list, so they get a JSON patch that first tests each container's name at its index.
 */
export function buildWorkloadPatch(
  kind: WorkloadKind,
  resourceVersion: string,
  edits: ContainerEdit[],
): WorkloadPatch {
  return kind === 'Rollout'
    ? { type: 'json-patch', body: jsonPatch(resourceVersion, edits) }
    : { type: 'strategic-merge', body: strategicMergePatch(kind, resourceVersion, edits) };
}

function strategicMergePatch(
  kind: WorkloadKind,
  resourceVersion: string,
  edits: ContainerEdit[],
): Record<string, unknown> {
  const containers = edits
    .map((edit) => {
      const resources: Partial<Record<ResourceKind, Partial<Record<ResourceName, string | null>>>> = {};
      for (const change of changedFields(edit.current, edit.desired)) {
        (resources[change.which] ??= {})[change.resource] = change.to ?? null;
      }
      return Object.keys(resources).length > 0 ? { name: edit.name, resources } : undefined;
    })
    .filter((c) => c !== undefined);
  let nested: Record<string, unknown> = { containers };
  for (const key of [...podSpecPath(kind)].reverse()) nested = { [key]: nested };
  return { metadata: { resourceVersion }, ...nested };
}

function hasObject(value: unknown, key: string): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const child = (value as Record<string, unknown>)[key];
  return typeof child === 'object' && child !== null;
}

function jsonPatch(resourceVersion: string, edits: ContainerEdit[]): JsonPatchOperation[] {
  // Writing the resourceVersion we read makes the server check it against the stored one (409 if it moved).
  const ops: JsonPatchOperation[] = [
    { op: 'replace', path: '/metadata/resourceVersion', value: resourceVersion },
  ];
  for (const edit of edits) {
    const changes = changedFields(edit.current, edit.desired);
    if (changes.length === 0) continue;
    const base = `/spec/template/spec/containers/${edit.index}`;
    ops.push({ op: 'test', path: `${base}/name`, value: edit.name });
    const hasResources = typeof edit.rawResources === 'object' && edit.rawResources !== null;
    if (!hasResources && changes.some((c) => c.to !== undefined))
      ops.push({ op: 'add', path: `${base}/resources`, value: {} });
    for (const which of ['requests', 'limits'] as const) {
      const mine = changes.filter((c) => c.which === which);
      if (mine.length === 0) continue;
      if (!hasObject(edit.rawResources, which) && mine.some((c) => c.to !== undefined))
        ops.push({ op: 'add', path: `${base}/resources/${which}`, value: {} });
      for (const change of mine) {
        const path = `${base}/resources/${which}/${change.resource}`;
        if (change.to === undefined) ops.push({ op: 'remove', path });
        else ops.push({ op: change.from === undefined ? 'add' : 'replace', path, value: change.to });
      }
    }
  }
  return ops;
}
