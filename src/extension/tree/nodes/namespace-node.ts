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
  /**
   * Grouped once, sorted once per order: "Show N more…" refreshes this very node, and regrouping and
   * re-sorting a 10,000-workload namespace on every click is what made it slow.
   */
  private workloads: Workload[] | undefined;
  private sorted: { sort: WorkloadSort; workloads: Workload[] } | undefined;

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
    treeItem.description = workloadCountText(this.grouped());
    treeItem.iconPath = severityIcon(worstSeverity(this.items.map((i) => i.severity)));
    treeItem.contextValue = 'krrMcp.namespace';
    return treeItem;
  }

  override getChildren(): TreeNode[] {
    const sort = this.options.sort;
    if (this.sorted?.sort !== sort)
      this.sorted = { sort, workloads: [...this.grouped()].sort(WORKLOAD_ORDER[sort]) };
    const limit = this.options.pages.limitFor(this.id);
    return paged(
      this,
      this.sorted.workloads,
      limit,
      (workload) => new WorkloadNode(this, workload, this.options),
    );
  }

  private grouped(): Workload[] {
    this.workloads ??= workloadsOf(this.items);
    return this.workloads;
  }
}
