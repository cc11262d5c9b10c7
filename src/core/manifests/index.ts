// The manifests engine: where workspace files define each container's resources (plain manifests,
// Kustomize, Helm values) and the minimal, byte-preserving edits that write a change request into them.

export {
  collectManifestFiles,
  DEFAULT_MAX_FILE_BYTES,
  DEFAULT_MAX_FILES,
  isManifestFileName,
} from './collect-files.js';
export type { CollectedFiles, CollectOptions } from './collect-files.js';
export { indexManifests } from './manifest-index.js';
export { ManifestOptionsError } from './manifest-options.js';
export { planManifestChanges } from './plan-changes.js';
export { planRecommendationEdits } from './recommendation-edits.js';
export type { RecommendationEditOptions, RecommendationEditPlan } from './recommendation-edits.js';
export { applyChanges } from './text-changes.js';
export { unifiedDiff } from './unified-diff.js';
export type {
  ClusterWorkloadMetadata,
  ContainerDefinition,
  ContainerOutcome,
  ContainerStatus,
  FieldPlacement,
  FileError,
  ManifestEdit,
  ManifestFile,
  ManifestIndex,
  ManifestOptions,
  ManifestPlan,
  ManifestSource,
  SourceLocation,
  TextChange,
} from './model.js';
