// One container of one workload as some files produce it (a plain manifest, a Kustomize root, a Helm
// chart), with the layers that set its resources from the bottom (base, values.yaml) to the top (last
// patch, values file). Requests are matched against these; fields are written into one of the layers.

import type { WorkloadKind } from '../recommend/model.js';
import type { PathStep } from './edit/write-tree.js';
import type { Layout } from './edit/yaml-layout.js';
import type { ManifestSource, SourceLocation } from './model.js';
import { effectiveValues, toResourcesText, type FieldKey, type FieldValues } from './resource-fields.js';
import type { YamlSource } from './yaml-source.js';

export interface ResourcesLayer {
  /** The workspace file the layer is in (for inline patches: the kustomization). */
  fileKey: string;
  /** Where writes go; undefined when the layer can be read but not edited (then `readOnly` says why). */
  source?: YamlSource;
  doc: number;
  readOnly?: string;
  /** From the document's root to a field; undefined when this layer has no place for it. */
  fieldPath: (field: FieldKey) => PathStep[] | undefined;
  values: FieldValues;
  /** Also used by other roots or workloads: never edited to change one of them. */
  sharedBy?: string;
  /** For people: "patch overlays/prod/web-resources.yaml". */
  label: string;
  location: SourceLocation;
  /** Whether this layer has a `resources:` key for the container (it decides the location). */
  definesResources: boolean;
}

/** Where a new Kustomize patch would go for a root that has none for this workload. */
export interface NewPatchHome {
  kustomizationKey: string;
  kustomizationSource: YamlSource;
  kustomizationPath: string;
  dir: string;
  kind: WorkloadKind;
  apiVersion: string;
  /** The name the root's patches see (before the root's prefix and suffix). */
  name: string;
  containersPath: string[];
  /** The base's layout, so that the new file looks like it. */
  layout: Layout;
}

export interface ContainerCandidate {
  kind: WorkloadKind;
  namespace?: string;
  name: string;
  container: string;
  source: ManifestSource;
  /** The file, kustomization or chart it comes from. */
  origin: string;
  layers: ResourcesLayer[];
  newPatch?: NewPatchHome;
  /** Why nothing may be written for this container. */
  problem?: string;
  /** Where to point when no layer can be read (a Helm template too dynamic to follow). */
  fallbackLocation?: { location: SourceLocation; label: string };
  /** Why a field cannot be changed or removed (a Helm template that writes it literally, or always). */
  fieldProblems?: Partial<Record<FieldKey, { change?: string; remove?: string }>>;
}

export function effectiveOf(candidate: ContainerCandidate) {
  return toResourcesText(effectiveValues(candidate.layers.map((layer) => layer.values)));
}

/** The layer whose `resources:` decides the values (the topmost that has one), else the bottom one. */
function definingLayer(candidate: ContainerCandidate): ResourcesLayer | undefined {
  return [...candidate.layers].reverse().find((layer) => layer.definesResources) ?? candidate.layers[0];
}

/** Where the container's resources are defined, for people and editors. */
export function definitionLocation(candidate: ContainerCandidate): {
  location: SourceLocation;
  label: string;
} {
  const layer = definingLayer(candidate);
  if (layer) return { location: layer.location, label: layer.label };
  return (
    candidate.fallbackLocation ?? {
      location: { path: candidate.origin, line: 1, column: 1 },
      label: candidate.origin,
    }
  );
}

export function candidateIdentity(candidate: ContainerCandidate): string {
  return `${candidate.source}|${candidate.origin}|${candidate.kind}|${candidate.namespace ?? ''}|${candidate.name}|${candidate.container}`;
}
