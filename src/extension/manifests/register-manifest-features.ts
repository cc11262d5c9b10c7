import * as vscode from 'vscode';
import { manifestDiagnosticsOf } from '../settings.js';
import type { TreeOptions } from '../tree/tree-options.js';
import { registerManifestCommands } from './manifest-commands.js';
import { ManifestWriter } from './manifest-writer.js';
import { RecommendationDiagnostics } from './recommendation-diagnostics.js';
import { RecommendationFixProvider } from './recommendation-fixes.js';
import { RecommendationLensProvider } from './recommendation-lenses.js';
import { WorkspaceManifests, type ScanSource } from './workspace-manifests.js';

export interface ManifestFeatureDependencies {
  log: vscode.LogOutputChannel;
  scans: ScanSource;
  /** The recommendations tree: told where workloads are defined, and refreshed when that changes. */
  tree: { options: TreeOptions; refresh(): void };
  /** Tests shorten the pause after edits; activation keeps the default. */
  debounceMs?: number;
}

const YAML: vscode.DocumentSelector = { language: 'yaml' };

/**
 * "Changes where they live": CodeLens, diagnostics and Quick Fixes on the workspace's manifests, the
 * command that writes a selection of the scan into them, and the tree's "in workspace" marks.
 */
export function registerManifestFeatures(deps: ManifestFeatureDependencies): vscode.Disposable[] {
  const manifests = new WorkspaceManifests({
    scans: deps.scans,
    log: deps.log,
    ...(deps.debounceMs !== undefined ? { debounceMs: deps.debounceMs } : {}),
  });
  let reportedSetting: string | undefined;
  const diagnostics = new RecommendationDiagnostics(manifests, () => {
    const { level, error } = manifestDiagnosticsOf(vscode.workspace.getConfiguration('krrMcp'));
    if (error && error !== reportedSetting) deps.log.warn(`${error}; using "warning"`);
    reportedSetting = error;
    return level;
  });
  deps.tree.options.sources = manifests;
  return [
    manifests,
    diagnostics,
    manifests.onDidRefresh(() => deps.tree.refresh()),
    vscode.languages.registerCodeLensProvider(YAML, new RecommendationLensProvider(manifests)),
    vscode.languages.registerCodeActionsProvider(
      YAML,
      new RecommendationFixProvider(manifests),
      RecommendationFixProvider.metadata,
    ),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('krrMcp.manifestDiagnostics')) diagnostics.render();
    }),
    ...registerManifestCommands({
      log: deps.log,
      scans: deps.scans,
      manifests,
      writer: new ManifestWriter(manifests, deps.log),
    }),
    { dispose: () => (deps.tree.options.sources = undefined) },
  ];
}
