import * as vscode from 'vscode';
import type { RecommendationItem } from '../../../core/recommend/recommendation-items.js';
import { groupBy, workloadCountText, workloadsOf } from '../grouping.js';
import type { RecommendationSnapshot } from '../recommendation-source.js';
import { severityIcon, worstSeverity } from '../severity.js';
import { contextTooltip } from '../tooltips.js';
import type { TreeOptions } from '../tree-options.js';
import { MessageNode } from './message-node.js';
import { NamespaceNode } from './namespace-node.js';
import { paged } from './show-more-node.js';
import { TreeNode } from './tree-node.js';

export const CONTEXT_CONTEXT_VALUE = 'krrMcp.context';

/** How a context root says which one is the editor's, when there are several. */
export interface ContextMarks {
  current: boolean;
  /** More than one context in the tree: "current" tells them apart. */
  several: boolean;
}

/** A kubeconfig context with scan results (a scan's rows so far, while the first scan runs): a root. */
export class ContextNode extends TreeNode {
  readonly id: string;

  constructor(
    private readonly snapshot: RecommendationSnapshot,
    /** The snapshot's items after the person's filter. */
    readonly items: readonly RecommendationItem[],
    private readonly options: TreeOptions,
    private readonly marks: ContextMarks = { current: true, several: false },
  ) {
    super(undefined);
    this.id = snapshot.context;
  }

  toTreeItem(): vscode.TreeItem {
    // The editor's context opens by itself; another one opens when the person expands it.
    const state = this.marks.current
      ? vscode.TreeItemCollapsibleState.Expanded
      : vscode.TreeItemCollapsibleState.Collapsed;
    const treeItem = new vscode.TreeItem(this.snapshot.context, state);
    treeItem.id = this.id;
    treeItem.description = [
      ...(this.marks.current && this.marks.several ? ['current'] : []),
      ...(this.snapshot.progress ? [progressText(this.snapshot)] : []),
      workloadCountText(workloadsOf(this.items)),
    ].join(' · ');
    treeItem.iconPath = this.snapshot.progress
      ? new vscode.ThemeIcon('sync~spin')
      : severityIcon(worstSeverity(this.items.map((i) => i.severity)));
    treeItem.contextValue = CONTEXT_CONTEXT_VALUE;
    return treeItem;
  }

  override getChildren(): TreeNode[] {
    const namespaces = [...groupBy(this.items, (i) => i.namespace)].sort(([a], [b]) => a.localeCompare(b));
    const limit = this.options.pages.limitFor(this.id);
    const rows = paged(
      this,
      namespaces,
      limit,
      ([ns, items]) => new NamespaceNode(this, ns, items, this.options),
    );
    // While the first scan runs, a last row says more is coming.
    return this.snapshot.progress && this.snapshot.items.length > 0
      ? [...rows, new MessageNode(this, 'scanning', progressText(this.snapshot), { icon: 'sync~spin' })]
      : rows;
  }

  override tooltip(): vscode.MarkdownString {
    return contextTooltip(this.snapshot);
  }
}

/** "scanning: loading 120/400", from the scan's own progress. */
export function progressText(snapshot: RecommendationSnapshot): string {
  const p = snapshot.progress;
  return p ? `scanning: ${p.phase} ${p.done}/${p.total}` : '';
}
