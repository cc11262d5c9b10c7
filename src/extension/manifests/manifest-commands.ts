import * as vscode from 'vscode';
import { contextOfItem, type RecommendationItem } from '../../core/recommend/recommendation-items.js';
import type { ManifestWriter } from './manifest-writer.js';
import type { ScanSource, WorkspaceManifests } from './workspace-manifests.js';
import { logWriteDetails, writeSummary } from './write-report.js';

export const APPLY_TO_MANIFESTS_COMMAND = 'krrMcp.applyToManifests';
/** What a CodeLens and a Quick Fix run, with the row's id: hidden from the palette. */
export const APPLY_ONE_COMMAND = 'krrMcp.applyRecommendationToManifest';

const SHOW_DETAILS = 'Show Details';

export interface ManifestCommandDependencies {
  log: vscode.LogOutputChannel;
  scans: ScanSource;
  manifests: WorkspaceManifests;
  writer: ManifestWriter;
}

/** The manifests feature's commands, registered in one place. */
export function registerManifestCommands(deps: ManifestCommandDependencies): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(APPLY_TO_MANIFESTS_COMMAND, (node?: unknown, selected?: unknown) =>
      applyToManifests(deps, node, selected),
    ),
    vscode.commands.registerCommand(APPLY_ONE_COMMAND, (id?: unknown) => applyOne(deps, id)),
  ];
}

const isFlagged = (item: RecommendationItem) => item.severity === 'CRITICAL' || item.severity === 'WARNING';

/**
 * The rows of the selected tree nodes (VS Code passes the clicked node, then every selected node). A
 * container or a workload the person picked: all its rows. A namespace or the context: the rows krr
 * flags (CRITICAL, WARNING), as the palette does. undefined when there is no node (the palette).
 */
export function rowsOfSelection(node: unknown, selected: unknown): RecommendationItem[] | undefined {
  const nodes = Array.isArray(selected) && selected.length > 0 ? selected : node ? [node] : [];
  if (nodes.length === 0) return undefined;
  const rows = nodes.flatMap((n) => {
    const candidate = n as {
      item?: RecommendationItem;
      items?: readonly RecommendationItem[];
      workload?: unknown;
    };
    if (candidate.item) return [candidate.item];
    if (candidate.workload && candidate.items) return [...candidate.items];
    return (candidate.items ?? []).filter(isFlagged);
  });
  return [...new Map(rows.map((row) => [row.id, row])).values()];
}

/** From the palette: the last scan's flagged rows, in the namespaces the person keeps ticked. */
async function pickRows(scans: ScanSource): Promise<RecommendationItem[]> {
  const flagged = (scans.snapshot()?.items ?? []).filter(isFlagged);
  if (flagged.length === 0) {
    void vscode.window.showInformationMessage(
      'krr-mcp: no CRITICAL or WARNING recommendation to write. Scan the cluster first ("krr-mcp: Scan Cluster").',
    );
    return [];
  }
  const namespaces = [...new Set(flagged.map((i) => i.namespace))].sort();
  const picked = await vscode.window.showQuickPick(
    namespaces.map((namespace) => {
      const count = flagged.filter((i) => i.namespace === namespace).length;
      return {
        label: namespace,
        description: `${count} recommendation${count === 1 ? '' : 's'}`,
        picked: true,
      };
    }),
    {
      canPickMany: true,
      placeHolder: 'Namespaces whose CRITICAL and WARNING recommendations to write into workspace manifests',
    },
  );
  if (!picked || picked.length === 0) return [];
  const chosen = new Set(picked.map((p) => p.label));
  return flagged.filter((i) => chosen.has(i.namespace));
}

/** One WorkspaceEdit through VS Code's refactor preview, then what was and was not written. */
async function applyToManifests(
  deps: ManifestCommandDependencies,
  node: unknown,
  selected: unknown,
): Promise<void> {
  const rows = rowsOfSelection(node, selected) ?? (await pickRows(deps.scans));
  if (rows.length === 0) return;
  // The workspace's manifests, CodeLenses and diagnostics follow the editor's context's scan.
  const current = deps.scans.snapshot()?.context;
  const other = rows.map(contextOfItem).find((context) => context !== current);
  if (other !== undefined) {
    void vscode.window.showInformationMessage(
      `krr-mcp: workspace manifests follow the editor's context${current ? ` (${current})` : ''}. Select ${other} ("krr-mcp: Select Context") to write its recommendations.`,
    );
    return;
  }
  const result = await deps.writer.write(
    rows.map((row) => row.id),
    { preview: true },
  );
  await report(deps, result);
}

/** The CodeLens and the Quick Fix: applied at once (undo reverts it); a notification only when it did not. */
async function applyOne(deps: ManifestCommandDependencies, id: unknown): Promise<void> {
  if (typeof id !== 'string') return;
  const result = await deps.writer.write([id], { preview: false });
  if (result.status === 'written') {
    deps.log.info(`Workspace manifests: wrote ${id} (not saved)`);
    return;
  }
  await report(deps, result);
}

async function report(
  deps: ManifestCommandDependencies,
  result: Awaited<ReturnType<ManifestWriter['write']>>,
): Promise<void> {
  logWriteDetails(result, deps.manifests.readErrors(), deps.log);
  const { text, warning } = writeSummary(result);
  const show = warning ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  if ((await show(text, SHOW_DETAILS)) === SHOW_DETAILS) deps.log.show(true);
}
