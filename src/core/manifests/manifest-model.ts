// Everything the files define, read once per run: plain manifests (files no kustomization or chart
// owns), the workloads each root kustomization builds, and the Helm charts (looked into per request).

import type { ContainerCandidate } from './container-candidate.js';
import { chartOwned, helmCharts, type HelmChart } from './helm/helm-chart.js';
import { kustomizeCandidates } from './kustomize/kustomize-build.js';
import { kustomizeGraph } from './kustomize/kustomize-graph.js';
import type { ManifestFile } from './model.js';
import { plainCandidates } from './workloads/plain-candidates.js';
import { Workspace } from './workspace.js';

export interface ManifestModel {
  workspace: Workspace;
  charts: HelmChart[];
  /** Plain and Kustomize containers (Helm ones depend on the release and are looked up per request). */
  candidates: ContainerCandidate[];
  notes: string[];
}

/** Templates of a chart whose Chart.yaml was not read are still not YAML. */
function looksLikeTemplate(key: string, text: string): boolean {
  return /(^|\/)templates\//.test(key) && text.includes('{{');
}

export function buildModel(files: readonly ManifestFile[]): ManifestModel {
  const workspace = new Workspace(files);
  const charts = helmCharts(workspace);
  const inChart = chartOwned(charts);
  const graph = kustomizeGraph(workspace);
  const plainKeys = workspace
    .keys()
    .filter(
      (key) =>
        !graph.owned(key) &&
        !inChart(key) &&
        /\.ya?ml$/i.test(key) &&
        !looksLikeTemplate(key, workspace.file(key)!.text),
    );
  const candidates = [...plainCandidates(workspace, plainKeys), ...kustomizeCandidates(workspace, graph)];
  return { workspace, charts, candidates, notes: graph.notes };
}
