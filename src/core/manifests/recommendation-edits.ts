// Recommendations (krr's scan rows) written into workspace files: the same conversion as a live change
// (changeRequestFromRecommendations), and the Helm metadata the scan read from the cluster, so that each
// chart's values are found for the workloads it rendered.

import { changeRequestFromRecommendations, type SkippedRecommendation } from '../changes/recommendations.js';
import type { ResourceScan } from '../recommend/model.js';
import { planManifestChanges } from './plan-changes.js';
import type { ClusterWorkloadMetadata, ManifestFile, ManifestOptions, ManifestPlan } from './model.js';

export interface RecommendationEditOptions {
  /** Which rows to write (by id); undefined: every row. */
  ids?: readonly string[];
  /** The id of a row, as the caller names them (the MCP server and the tree: context/namespace/kind/name/container). */
  idOf: (scan: ResourceScan) => string;
  helm?: ManifestOptions['helm'];
}

export interface RecommendationEditPlan {
  /** null when no row had a value to write. */
  plan: ManifestPlan | null;
  /** Rows (or fields) left out, with why: "?" values, unknown ids. */
  skipped: SkippedRecommendation[];
}

export function planRecommendationEdits(
  files: readonly ManifestFile[],
  scans: readonly ResourceScan[],
  options: RecommendationEditOptions,
): RecommendationEditPlan {
  const ids = options.ids ?? scans.map(options.idOf);
  const { request, skipped } = changeRequestFromRecommendations([...scans], [...ids], options.idOf);
  if (!request) return { plan: null, skipped };
  const workloadMetadata: ClusterWorkloadMetadata[] = [];
  const seen = new Set<string>();
  for (const { object } of scans) {
    const key = `${object.kind}/${object.namespace}/${object.name}`;
    if (seen.has(key) || (!object.labels && !object.annotations)) continue;
    seen.add(key);
    workloadMetadata.push({
      kind: object.kind,
      namespace: object.namespace,
      name: object.name,
      ...(object.labels ? { labels: object.labels } : {}),
      ...(object.annotations ? { annotations: object.annotations } : {}),
    });
  }
  const plan = planManifestChanges(files, request, {
    ...(options.helm ? { helm: options.helm } : {}),
    ...(workloadMetadata.length > 0 ? { workloadMetadata } : {}),
  });
  return { plan, skipped };
}
