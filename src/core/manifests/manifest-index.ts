// Every container definition the files hold, for CodeLens and diagnostics: where its resources are and
// what the cluster would get from them.

import { definitionLocation, effectiveOf, type ContainerCandidate } from './container-candidate.js';
import { helmIndexCandidates } from './helm/helm-candidates.js';
import { parseManifestOptions } from './manifest-options.js';
import { buildModel } from './manifest-model.js';
import type { ContainerDefinition, ManifestFile, ManifestIndex, ManifestOptions } from './model.js';

function definition(candidate: ContainerCandidate): ContainerDefinition {
  return {
    kind: candidate.kind,
    ...(candidate.namespace !== undefined ? { namespace: candidate.namespace } : {}),
    name: candidate.name,
    container: candidate.container,
    source: candidate.source,
    resources: effectiveOf(candidate),
    location: definitionLocation(candidate).location,
    origin: candidate.origin,
    ...(candidate.problem !== undefined ? { unsupported: candidate.problem } : {}),
  };
}

export function indexManifests(files: readonly ManifestFile[], options: ManifestOptions = {}): ManifestIndex {
  const opts = parseManifestOptions(options);
  const model = buildModel(files);
  const helm = helmIndexCandidates(model.workspace, model.charts, opts);
  return {
    containers: [...model.candidates, ...helm].map(definition),
    fileErrors: model.workspace.fileErrors(),
  };
}
