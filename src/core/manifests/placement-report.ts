// Telling a person where each field went, and why when it is not the obvious place: a shared base left
// alone, a new patch file, a `null` that removes a value a lower layer sets.

import type { ContainerCandidate } from './container-candidate.js';
import { describeTarget } from './container-matching.js';
import type { ContainerIntent, Synthesis } from './edit-synthesis.js';
import type { ContainerOutcome, FieldPlacement } from './model.js';

export function placementsOf(intent: ContainerIntent, synthesis: Synthesis): FieldPlacement[] {
  return intent.placements.map((placement) => {
    if (placement.type === 'layer') {
      const { location, label } = placement.layer;
      return { field: placement.field, path: location.path, line: location.line, layer: label };
    }
    const created = synthesis.created.get(placement.home);
    const path = created?.path ?? placement.home.dir;
    return {
      field: placement.field,
      path,
      line: created?.lines.get(intent.container) ?? 1,
      layer: `new patch ${path}`,
    };
  });
}

export function placementNotes(
  outcome: ContainerOutcome,
  intent: ContainerIntent,
  synthesis: Synthesis,
  candidate: ContainerCandidate,
): string[] {
  // One note per place written for a reason; a new patch file is one place, whatever the reasons.
  const groups = new Map<
    string,
    { label: string; fields: string[]; nulls: string[]; because: string[]; created?: string }
  >();
  for (const placement of intent.placements) {
    const created = placement.type === 'new-patch' ? synthesis.created.get(placement.home) : undefined;
    const label = placement.type === 'layer' ? placement.layer.label : `new patch ${created?.path ?? ''}`;
    const key = created ? label : `${label}|${placement.because ?? ''}`;
    const group = groups.get(key) ?? { label, fields: [], nulls: [], because: [] };
    groups.set(key, group);
    group.fields.push(placement.field);
    if (placement.write.op === 'null') group.nulls.push(placement.field);
    if (placement.because && !group.because.includes(placement.because))
      group.because.push(placement.because);
    if (created)
      group.created = `created ${created.path} and listed it in the patches of ${created.kustomizationPath}`;
  }
  const notes: string[] = [];
  for (const group of groups.values()) {
    if (group.because.length === 0 && !group.created && group.nulls.length === 0) continue;
    const where = group.created
      ? `${group.created}; it holds ${group.fields.join(', ')}`
      : `wrote ${group.fields.join(', ')} into ${group.label}`;
    const why =
      candidate.source === 'helm'
        ? "in a release's values, null removes the chart's default"
        : 'in a patch, null removes the value a lower layer sets';
    const nulls = group.nulls.length > 0 ? ` (${group.nulls.join(', ')} as null: ${why})` : '';
    notes.push(
      `${candidate.origin}: ${describeTarget(outcome)}: ${group.because.map((b) => `${b}; `).join('')}${where}${nulls}`,
    );
  }
  return notes;
}
