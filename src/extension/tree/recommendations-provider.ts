import * as vscode from 'vscode';
import { ContextNode } from './nodes/context-node.js';
import type { TreeNode } from './nodes/tree-node.js';
import type { RecommendationSource } from './recommendation-source.js';
import { matchesFilter } from './tree-filter.js';
import { TreeOptions } from './tree-options.js';

export class RecommendationsProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  readonly options = new TreeOptions();
  /**
   * The nodes VS Code holds, by id. VS Code matches a partial refresh by object identity, so
   * "Show N more…" must fire the very parent object it was given.
   */
  private readonly shown = new Map<string, TreeNode>();
  private readonly subscription: vscode.Disposable;

  constructor(private readonly source: RecommendationSource) {
    this.subscription = source.onDidChange(() => this.refresh());
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return node.toTreeItem();
  }

  getChildren(node?: TreeNode): TreeNode[] {
    const children = node ? node.getChildren() : this.roots();
    for (const child of children) this.shown.set(child.id, child);
    return children;
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return node.parent;
  }

  resolveTreeItem(item: vscode.TreeItem, node: TreeNode): vscode.TreeItem {
    item.tooltip ??= node.tooltip();
    return item;
  }

  /** Rebuilds the whole tree; ids stay the same, so VS Code keeps what was expanded and selected. */
  refresh(): void {
    this.shown.clear();
    this.changed.fire(undefined);
  }

  /** The `krrMcp.showMore` command: one more page under the parent, refreshing only that parent. */
  showMore(parentId: string): void {
    this.options.pages.grow(parentId);
    this.changed.fire(this.shown.get(parentId));
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }

  private roots(): TreeNode[] {
    const snapshot = this.source.snapshot();
    // No rows without results, so the welcome content for the current `krrMcp.state` shows instead.
    if (!snapshot || snapshot.items.length === 0) return [];
    const items = snapshot.items.filter((item) => matchesFilter(item, this.options.filter));
    return [new ContextNode(snapshot, items, this.options)];
  }
}
