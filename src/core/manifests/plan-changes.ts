// Planning a change request against workspace files: find each container's definition, compute the values
// the live patch would write (applyChange), place each changed field in a layer, turn the placements into
// byte-preserving edits, and keep only the edits that re-read to exactly those values.

import {
  parseManifestChangeRequest,
  type ContainerChange,
  type ManifestChangeRequest,
} from '../changes/change-request.js';
import { applyChange, changedFields } from '../changes/container-resources.js';
import {
  candidateIdentity,
  definitionLocation,
  effectiveOf,
  type ContainerCandidate,
} from './container-candidate.js';
import { describeTarget, matchContainer, type ContainerTarget } from './container-matching.js';
import { synthesize, type ContainerIntent, type Synthesis } from './edit-synthesis.js';
import { verifyEdits, type VerifiedContainer } from './edit-verification.js';
import { placeFields } from './field-placement.js';
import { buildModel, type ManifestModel } from './manifest-model.js';
import { parseManifestOptions } from './manifest-options.js';
import type {
  ClusterWorkloadMetadata,
  ContainerOutcome,
  ManifestFile,
  ManifestOptions,
  ManifestPlan,
} from './model.js';
import { placementNotes, placementsOf } from './placement-report.js';

function candidateLocations(candidates: readonly ContainerCandidate[]): ContainerOutcome['candidates'] {
  return candidates.map((c) => ({
    ...definitionLocation(c).location,
    description: `${c.source} ${c.origin}: ${c.kind} ${c.namespace ?? '(no namespace)'}/${c.name}`,
  }));
}

interface ContainerPlan {
  outcome: ContainerOutcome;
  /** Set when there is something to write. */
  edit?: { placements: ContainerIntent['placements']; verified: Omit<VerifiedContainer, 'id'> };
}

/** One requested container: its definition, the fields that change, and where each goes. */
function planContainer(
  model: ManifestModel,
  target: ContainerTarget,
  change: ContainerChange,
  metadata: ClusterWorkloadMetadata | undefined,
  options: ManifestOptions,
  alreadyChanged: Map<string, string>,
): ContainerPlan {
  const outcome: ContainerOutcome = {
    ...target,
    status: 'not-found',
    changes: [],
    placements: [],
    candidates: [],
  };
  const match = matchContainer(model, target, metadata, options);
  if (match.status === 'not-found') return { outcome: { ...outcome, reason: match.reason } };
  if (match.status === 'ambiguous')
    return {
      outcome: {
        ...outcome,
        status: 'ambiguous',
        reason: match.reason,
        candidates: candidateLocations(match.candidates),
      },
    };
  const candidate = match.candidate;
  const effective = effectiveOf(candidate);
  // The one rule: the files get exactly what the live patch would write.
  const desired = applyChange(effective, change);
  const defined = definitionLocation(candidate);
  outcome.source = candidate.source;
  outcome.location = { ...defined.location, layer: defined.label };
  outcome.changes = changedFields(effective, desired);
  const identity = candidateIdentity(candidate);
  const earlier = alreadyChanged.get(identity);
  if (candidate.problem) return { outcome: { ...outcome, status: 'unsupported', reason: candidate.problem } };
  if (outcome.changes.length === 0) return { outcome: { ...outcome, status: 'unchanged' } };
  if (earlier)
    return {
      outcome: {
        ...outcome,
        status: 'ambiguous',
        reason: `the same definition is already changed for ${earlier}; change one at a time`,
        candidates: candidateLocations([candidate]),
      },
    };
  alreadyChanged.set(identity, describeTarget(target));
  const placed = placeFields(candidate, outcome.changes);
  if ('unsupported' in placed)
    return { outcome: { ...outcome, status: 'unsupported', reason: placed.unsupported } };
  return {
    outcome: { ...outcome, status: 'edited' },
    edit: {
      placements: placed.placements,
      verified: { target, ...(metadata ? { metadata } : {}), desired, candidate },
    },
  };
}

/**
 * Writes and verifies; a container whose edit cannot be made or does not verify is dropped (reported as
 * unsupported) and the rest is planned again. Each round drops at least one, so this ends.
 */
function settle(
  model: ManifestModel,
  intents: readonly ContainerIntent[],
  verified: readonly VerifiedContainer[],
  outcomes: ContainerOutcome[],
  options: ManifestOptions,
): { synthesis: Synthesis; active: ContainerIntent[] } {
  let active = [...intents];
  let synthesis = synthesize(model.workspace, active);
  while (active.length > 0) {
    const failures =
      synthesis.failed.size > 0
        ? new Map([...synthesis.failed].map(([id, why]) => [id, `the files cannot be edited safely: ${why}`]))
        : verifyEdits(
            model,
            synthesis,
            verified.filter((v) => active.some((i) => i.id === v.id)),
            options,
          );
    if (failures.size === 0) break;
    for (const [id, reason] of failures) Object.assign(outcomes[id]!, { status: 'unsupported', reason });
    active = active.filter((intent) => !failures.has(intent.id));
    synthesis = synthesize(model.workspace, active);
  }
  return { synthesis, active };
}

export function planManifestChanges(
  files: readonly ManifestFile[],
  request: ManifestChangeRequest,
  options: ManifestOptions = {},
): ManifestPlan {
  const checked = parseManifestChangeRequest(request);
  const opts = parseManifestOptions(options);
  const model = buildModel(files);
  const outcomes: ContainerOutcome[] = [];
  const intents: ContainerIntent[] = [];
  const verified: VerifiedContainer[] = [];
  const alreadyChanged = new Map<string, string>();

  for (const workload of checked.workloads) {
    const metadata = opts.workloadMetadata?.find(
      (m) => m.kind === workload.kind && m.namespace === workload.namespace && m.name === workload.name,
    );
    for (const change of workload.containers) {
      const { kind, namespace, name } = workload;
      const target: ContainerTarget = { kind, namespace, name, container: change.container };
      const planned = planContainer(model, target, change, metadata, opts, alreadyChanged);
      const id = outcomes.push(planned.outcome) - 1;
      if (planned.edit) {
        intents.push({ id, container: change.container, placements: planned.edit.placements });
        verified.push({ id, ...planned.edit.verified });
      }
    }
  }

  const { synthesis, active } = settle(model, intents, verified, outcomes, opts);
  const notes = [...model.notes];
  for (const intent of active) {
    const outcome = outcomes[intent.id]!;
    outcome.placements = placementsOf(intent, synthesis);
    const candidate = verified.find((v) => v.id === intent.id)!.candidate;
    notes.push(...placementNotes(outcome, intent, synthesis, candidate));
  }
  const fileErrors = model.workspace.fileErrors();
  if (fileErrors.length > 0)
    for (const outcome of outcomes)
      if (outcome.status === 'not-found')
        outcome.reason = `${outcome.reason} (${fileErrors.length} file(s) could not be read; see the file errors)`;
  return {
    edits: synthesis.edits.map(({ path, before, after, changes, created }) => ({
      path,
      before,
      after,
      changes,
      created,
    })),
    containers: outcomes,
    notes,
    fileErrors,
  };
}
