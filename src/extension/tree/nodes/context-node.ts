import * as vscode from 'vscode';
import type { RecommendationItem } from '../../../core/recommend/recommendation-items.js';
import { groupBy, workloadCountText, workloadsOf } from '../grouping.js';
import type { RecommendationSnapshot } from '../recommendation-source.js';
import { severityIcon, worstSeverity } from '../severity.js';
import { contextTooltip } from '../tooltips.js';
import type { TreeOptions } from '../tree-options.js';
import { NamespaceNode } from './namespace-node.js';
import { paged } from './show-more-node.js';
import { TreeNode } from './tree-node.js';

/** The kubeconfig context that was scanned: the root, expanded from the start. */
export class ContextNode extends TreeNode {
  readonly id: string;

  constructor(
    private readonly snapshot: RecommendationSnapshot,
    /** The snapshot's items after the person's filter. */
    readonly items: readonly RecommendationItem[],
    private readonly options: TreeOptions,
  ) {
    super(undefined);
    this.id = snapshot.context;
  }

  toTreeItem(): vscode.TreeItem {
    const treeItem = new vscode.TreeItem(this.snapshot.context, vscode.TreeItemCollapsibleState.Expanded);
    treeItem.id = this.id;
    treeItem.description = workloadCountText(workloadsOf(this.items));
    treeItem.iconPath = severityIcon(worstSeverity(this.items.map((i) => i.severity)));
    treeItem.contextValue = 'krrMcp.context';
    return treeItem;
  }

  override getChildren(): TreeNode[] {
    const namespaces = [...groupBy(this.items, (i) => i.namespace)].sort(([a], [b]) => a.localeCompare(b));
    const limit = this.options.pages.limitFor(this.id);
    return paged(this, namespaces, limit, ([ns, items]) => new NamespaceNode(this, ns, items, this.options));
  }

  override tooltip(): vscode.MarkdownString {
    return contextTooltip(this.snapshot);
  }
}
