// Which layer each changed field is written to. The layer that sets the effective value is edited, unless
// others use it too (a base shared by several overlays, values.yaml when a release's values file is
// given): then the field goes into the topmost layer of this workload only, or a new Kustomize patch.

import type { FieldChange } from '../changes/container-resources.js';
import type { ContainerCandidate, NewPatchHome, ResourcesLayer } from './container-candidate.js';
import type { FieldWrite } from './edit/write-tree.js';
import { effectiveValues, type FieldKey } from './resource-fields.js';

export type FieldPlacementPlan =
  | { type: 'layer'; field: FieldKey; write: FieldWrite; layer: ResourcesLayer; because?: string }
  | { type: 'new-patch'; field: FieldKey; write: FieldWrite; home: NewPatchHome; because?: string };

function writable(layer: ResourcesLayer, field: FieldKey): boolean {
  return layer.source !== undefined && layer.readOnly === undefined && layer.fieldPath(field) !== undefined;
}

function whyNotWritable(layer: ResourcesLayer, field: FieldKey): string {
  return (
    layer.readOnly ??
    (layer.fieldPath(field) === undefined
      ? `${layer.label} has no place for ${field}`
      : `${layer.label} cannot be edited`)
  );
}

/**
 * A layer above `index` that only this workload uses and that can hold the field: the topmost one that
 * already has resources for the container (fields stay together), else the topmost one. Nothing above
 * `index` sets the field, so any of them gives the same result.
 */
function overlayLayer(
  layers: readonly ResourcesLayer[],
  index: number,
  field: FieldKey,
): ResourcesLayer | undefined {
  const usable = layers
    .slice(index + 1)
    .filter((layer) => layer.sharedBy === undefined && writable(layer, field))
    .reverse();
  return usable.find((layer) => layer.definesResources) ?? usable[0];
}

export function placeFields(
  candidate: ContainerCandidate,
  changes: readonly FieldChange[],
): { placements: FieldPlacementPlan[] } | { unsupported: string } {
  const placements: FieldPlacementPlan[] = [];
  const layers = candidate.layers;
  for (const change of changes) {
    const field = `${change.which}.${change.resource}` as FieldKey;
    const remove = change.to === undefined;
    const problem = candidate.fieldProblems?.[field];
    if (problem?.change) return { unsupported: problem.change };
    if (remove && problem?.remove) return { unsupported: problem.remove };
    const setterIndex = layers.findLastIndex((layer) => layer.values[field] !== undefined);
    const setter = layers[setterIndex];

    if (setter && setter.sharedBy === undefined) {
      if (!writable(setter, field)) return { unsupported: whyNotWritable(setter, field) };
      // Removing the value here would bring back the one of a layer below: write null instead.
      const below = effectiveValues(layers.slice(0, setterIndex).map((layer) => layer.values))[field];
      const write: FieldWrite = !remove
        ? { op: 'set', text: change.to! }
        : below !== undefined
          ? { op: 'null' }
          : { op: 'delete' };
      placements.push({ type: 'layer', field, write, layer: setter });
      continue;
    }
    const write: FieldWrite = remove ? { op: 'null' } : { op: 'set', text: change.to! };
    const shared = setter ?? layers.find((layer) => layer.sharedBy !== undefined);
    const because = shared ? `${shared.label} is shared by ${shared.sharedBy}` : undefined;
    const target = overlayLayer(layers, setterIndex, field);
    if (target)
      placements.push({ type: 'layer', field, write, layer: target, ...(because ? { because } : {}) });
    else if (candidate.newPatch)
      placements.push({
        type: 'new-patch',
        field,
        write,
        home: candidate.newPatch,
        ...(because ? { because } : {}),
      });
    else
      return {
        unsupported: setter
          ? `${field} comes from ${setter.label}, which is shared by ${setter.sharedBy}, and nothing of this workload alone can hold it`
          : `no file of this workload can hold ${field}`,
      };
  }
  return { placements };
}
