import * as vscode from 'vscode';
import type { RecommendationItem } from '../../../core/recommend/recommendation-items.js';
import { workloadCountText, workloadsOf, type Workload } from '../grouping.js';
import { severityIcon, worstSeverity } from '../severity.js';
import type { WorkloadSort } from '../tree-filter.js';
import type { TreeOptions } from '../tree-options.js';
import { paged } from './show-more-node.js';
import { TreeNode } from './tree-node.js';
import { WorkloadNode } from './workload-node.js';

const byName = (a: Workload, b: Workload) => a.name.localeCompare(b.name) || a.kind.localeCompare(b.kind);

const WORKLOAD_ORDER: Record<WorkloadSort, (a: Workload, b: Workload) => number> = {
  savings: (a, b) => b.monthlySavingsUsd - a.monthlySavingsUsd || byName(a, b),
  name: byName,
};

export class NamespaceNode extends TreeNode {
  readonly id: string;

  constructor(
    parent: TreeNode,
    readonly namespace: string,
    readonly items: readonly RecommendationItem[],
    private readonly options: TreeOptions,
  ) {
    super(parent);
    this.id = `${parent.id}/${namespace}`;
  }

  toTreeItem(): vscode.TreeItem {
    const treeItem = new vscode.TreeItem(this.namespace, vscode.TreeItemCollapsibleState.Collapsed);
    treeItem.id = this.id;
    treeItem.description = workloadCountText(workloadsOf(this.items));
    treeItem.iconPath = severityIcon(worstSeverity(this.items.map((i) => i.severity)));
    treeItem.contextValue = 'krrMcp.namespace';
    return treeItem;
  }

  override getChildren(): TreeNode[] {
    const workloads = workloadsOf(this.items).sort(WORKLOAD_ORDER[this.options.sort]);
    const limit = this.options.pages.limitFor(this.id);
    return paged(this, workloads, limit, (workload) => new WorkloadNode(this, workload, this.options));
  }
}
