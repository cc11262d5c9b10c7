// Every planned edit is checked by reading the edited files again: each edited container must get exactly
// the values the live patch would write, the edited files must still parse, and no other container may
// change. A container whose edit fails any check is dropped (fail closed), never written approximately.

import type { ContainerResourcesText } from '../changes/container-resources.js';
import { sameQuantity } from '../changes/quantity-format.js';
import { effectiveOf, type ContainerCandidate } from './container-candidate.js';
import { matchContainer, type ContainerTarget } from './container-matching.js';
import type { Synthesis } from './edit-synthesis.js';
import { helmIndexCandidates } from './helm/helm-candidates.js';
import { buildModel, type ManifestModel } from './manifest-model.js';
import type { ClusterWorkloadMetadata, ManifestFile, ManifestOptions } from './model.js';
import { FIELD_KEYS, fieldOf } from './resource-fields.js';

export interface VerifiedContainer {
  id: number;
  target: ContainerTarget;
  metadata?: ClusterWorkloadMetadata;
  desired: ContainerResourcesText;
  candidate: ContainerCandidate;
}

/** The same container of the same files (a Helm one by chart and template, since its name is the release's). */
function sameDefinition(a: ContainerCandidate, b: ContainerCandidate): boolean {
  return (
    a.source === b.source &&
    a.origin === b.origin &&
    a.kind === b.kind &&
    a.container === b.container &&
    (a.source === 'helm' || (a.name === b.name && a.namespace === b.namespace))
  );
}

function filesAfter(before: ManifestModel, synthesis: Synthesis): ManifestFile[] {
  const after = new Map(synthesis.edits.map((edit) => [edit.key, edit]));
  const files = before.workspace.keys().map((key) => {
    const edit = after.get(key);
    return edit ? { path: edit.path, text: edit.after } : before.workspace.file(key)!;
  });
  return [
    ...files,
    ...synthesis.edits.filter((e) => e.created).map((e) => ({ path: e.path, text: e.after })),
  ];
}

function describeValue(value: string | undefined): string {
  return value === undefined ? 'nothing' : value;
}

/** Container ids whose edits failed a check, with the reason. */
export function verifyEdits(
  before: ManifestModel,
  synthesis: Synthesis,
  containers: readonly VerifiedContainer[],
  options: ManifestOptions,
): Map<number, string> {
  const failures = new Map<number, string>();
  const after = buildModel(filesAfter(before, synthesis));
  const blame = (keys: Iterable<string>, reason: string) => {
    const wanted = new Set(keys);
    let blamed = false;
    for (const [id, touched] of synthesis.touched)
      if ([...touched].some((key) => wanted.has(key))) {
        if (!failures.has(id)) failures.set(id, reason);
        blamed = true;
      }
    if (!blamed) for (const c of containers) if (!failures.has(c.id)) failures.set(c.id, reason);
  };

  for (const edit of synthesis.edits) {
    after.workspace.yaml(edit.key);
    const error = after.workspace.fileErrors().find((e) => e.path === edit.path);
    if (error) blame([edit.key], `the edited ${edit.path} would not be valid: ${error.message}`);
  }
  for (const c of containers) {
    const match = matchContainer(after, c.target, c.metadata, options);
    if (match.status !== 'found' || !sameDefinition(match.candidate, c.candidate)) {
      failures.set(
        c.id,
        `the edited files would no longer define this container unambiguously (${match.status === 'found' ? 'another definition' : match.reason})`,
      );
      continue;
    }
    const got = effectiveOf(match.candidate);
    const wrong = FIELD_KEYS.find((field) => !sameQuantity(fieldOf(got, field), fieldOf(c.desired, field)));
    if (wrong)
      failures.set(
        c.id,
        `the edited files would give ${wrong} = ${describeValue(fieldOf(got, wrong))}, not ${describeValue(fieldOf(c.desired, wrong))}`,
      );
  }

  const everything = (model: ManifestModel) => [
    ...model.candidates,
    ...helmIndexCandidates(model.workspace, model.charts, options),
  ];
  const afterAll = everything(after);
  for (const other of everything(before)) {
    if (containers.some((c) => sameDefinition(c.candidate, other))) continue;
    const now = afterAll.find(
      (candidate) => sameDefinition(candidate, other) && candidate.name === other.name,
    );
    const keys = other.layers.map((layer) => layer.fileKey);
    if (!now) blame(keys, `the edit would make ${other.kind} ${other.name} (${other.origin}) unreadable`);
    else if (JSON.stringify(effectiveOf(now)) !== JSON.stringify(effectiveOf(other)))
      blame(
        keys,
        `the edit would also change ${other.kind} ${other.name} container ${other.container} (${other.origin})`,
      );
  }
  return failures;
}
