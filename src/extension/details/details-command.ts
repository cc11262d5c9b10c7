import * as vscode from 'vscode';
import { contextOfItem, type RecommendationItem } from '../../core/recommend/recommendation-items.js';
import { DetailsPanel } from './details-panel.js';
import { detailsView, historyKey, MAX_DETAILS_CONTAINERS } from './details-view.js';
import type { UsageHistorySource } from './usage-history-source.js';

export const SHOW_DETAILS_COMMAND = 'krrMcp.showDetails';

export interface DetailsCommandDependencies {
  extensionUri: vscode.Uri;
  log: vscode.LogOutputChannel;
  history: UsageHistorySource;
}

/** Tree nodes carry their recommendations: a container node one, a workload node all of its containers. */
export function recommendationsOf(node: unknown, selected: unknown): RecommendationItem[] {
  const nodes = Array.isArray(selected) && selected.length > 0 ? selected : node ? [node] : [];
  const items = nodes.flatMap((n) => {
    const candidate = n as { item?: RecommendationItem; items?: readonly RecommendationItem[] };
    return candidate.item ? [candidate.item] : candidate.items ? [...candidate.items] : [];
  });
  // A workload and one of its containers both selected: each container once.
  return [...new Map(items.map((item) => [item.id, item])).values()];
}

function titleOf(items: RecommendationItem[]): string {
  const workloads = new Set(items.map((i) => `${i.namespace}/${i.name}`));
  const only = [...workloads][0];
  return workloads.size === 1 && only ? `Details: ${only}` : `Details: ${workloads.size} workloads`;
}

/** "krr-mcp: Show Recommendation Details" on the tree's container and workload rows (their context menu). */
export function registerDetailsCommand(deps: DetailsCommandDependencies): vscode.Disposable[] {
  const panel = new DetailsPanel(deps);
  // Selections can follow each other faster than Prometheus answers: only the latest one is shown.
  let latest = 0;
  const show = async (node?: unknown, selected?: unknown): Promise<void> => {
    const items = recommendationsOf(node, selected);
    if (items.length === 0) {
      void vscode.window.showInformationMessage(
        'krr-mcp: select a workload or a container in the Recommendations tree to see its details.',
      );
      return;
    }
    const request = ++latest;
    const title = titleOf(items);
    const notes: string[] = [];
    // Keys name a container within one cluster: charts come from one context's scan.
    const context = contextOfItem(items[0]!);
    const charted = items.filter((item) => contextOfItem(item) === context);
    if (charted.length < items.length)
      notes.push(`Charts are shown for ${context} only; select one context's rows to chart another's.`);
    const keys = charted.slice(0, MAX_DETAILS_CONTAINERS).map(historyKey);
    panel.show(title, { type: 'loading', what: `Reading the usage of ${keys.length} container(s)…` });
    const histories = await deps.history.history(keys, context).catch((error: unknown) => {
      deps.log.warn(`Details: usage history unavailable: ${String(error)}`);
      notes.push(
        `The usage history could not be read: ${error instanceof Error ? error.message : String(error)}`,
      );
      return [];
    });
    if (request !== latest) return;
    panel.show(title, { type: 'show', view: detailsView(items, histories, notes) });
  };
  return [vscode.commands.registerCommand(SHOW_DETAILS_COMMAND, show), panel];
}
