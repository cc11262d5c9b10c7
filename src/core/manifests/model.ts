// What the manifests engine takes and gives: workspace files in, container definitions and text edits out.
// Plain TypeScript types (no zod) so that the extension, the CLI and the MCP server can share them.

import type { ContainerResourcesText, FieldChange } from '../changes/container-resources.js';
import type { WorkloadKind } from '../recommend/model.js';

/** A workspace file; `path` is kept as given (POSIX-style, relative or absolute). */
export interface ManifestFile {
  path: string;
  text: string;
}

export interface FileError {
  path: string;
  message: string;
}

/** 1-based line and column, as editors show them. */
export interface SourceLocation {
  path: string;
  line: number;
  column: number;
}

export type ManifestSource = 'plain' | 'kustomize' | 'helm';

/** Labels and annotations of a live workload, which tell which Helm chart and release rendered it. */
export interface ClusterWorkloadMetadata {
  kind: WorkloadKind;
  namespace: string;
  name: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface ManifestOptions {
  helm?: {
    /** The Helm release the workloads belong to (else read from the workload's metadata). */
    release?: string;
    /** A values file passed to `helm upgrade -f`: read over the chart's values.yaml, and written to. */
    valuesFile?: string;
  };
  workloadMetadata?: ClusterWorkloadMetadata[];
}

/** One container of one workload as the files define it. */
export interface ContainerDefinition {
  kind: WorkloadKind;
  /** Absent when neither the document nor a kustomization sets one (applied with `-n`). */
  namespace?: string;
  name: string;
  container: string;
  source: ManifestSource;
  /** The resources the cluster would get from these files. */
  resources: ContainerResourcesText;
  /** The `resources:` key that decides the values, else the container's `- name:`. */
  location: SourceLocation;
  /** The file or kustomization that defines the workload, or the chart that renders it. */
  origin: string;
  /** Why a change to this container cannot be written to the files. */
  unsupported?: string;
}

export interface ManifestIndex {
  containers: ContainerDefinition[];
  fileErrors: FileError[];
}

/** Replace `length` characters at `offset` of the original text with `text`. */
export interface TextChange {
  offset: number;
  length: number;
  text: string;
}

export interface ManifestEdit {
  path: string;
  before: string;
  after: string;
  /** Sorted by offset, non-overlapping, offsets in `before`. */
  changes: TextChange[];
  /** A new file (before is empty); e.g. a Kustomize patch for one overlay. */
  created: boolean;
}

/**
 * - edited: the plan's edits write the requested values for this container.
 * - unchanged: the files already hold the requested values (compared by amount).
 * - not-found: no file defines this container.
 * - ambiguous: several definitions could be the live one; nothing is edited.
 * - unsupported: found, but the values cannot be written safely (see `reason`); nothing is edited.
 */
export type ContainerStatus = 'edited' | 'unchanged' | 'not-found' | 'ambiguous' | 'unsupported';

/** Where one field of a container is written. */
export interface FieldPlacement {
  /** e.g. "requests.cpu" */
  field: string;
  path: string;
  line: number;
  layer: string;
}

export interface ContainerOutcome {
  kind: WorkloadKind;
  namespace: string;
  name: string;
  container: string;
  status: ContainerStatus;
  source?: ManifestSource;
  /** Where the container's resources are defined (before the edit). */
  location?: SourceLocation & { layer: string };
  /** The fields that change (all of them for 'edited', those that would for 'unsupported'). */
  changes: FieldChange[];
  placements: FieldPlacement[];
  /** For 'ambiguous': every definition that could be the live one. */
  candidates: Array<SourceLocation & { description: string }>;
  reason?: string;
}

export interface ManifestPlan {
  edits: ManifestEdit[];
  containers: ContainerOutcome[];
  notes: string[];
  /** Files that could not be read as YAML (or as what they claim to be); none of them is edited. */
  fileErrors: FileError[];
}
