import type * as vscode from 'vscode';
import type { RecommendationItem } from '../../core/recommend/recommendation-items.js';

/** Where a workspace file defines a workload's resources (1-based line and column, as editors show them). */
export interface WorkloadSource {
  uri: vscode.Uri;
  /** The workspace-relative path, for people. */
  label: string;
  line: number;
  column: number;
}

/**
 * What the tree asks the manifests feature, and no more: the tree stays testable without it, and
 * without a workspace the answer is simply "not found".
 */
export interface WorkloadSources {
  sourceOf(items: readonly RecommendationItem[]): WorkloadSource | undefined;
}
