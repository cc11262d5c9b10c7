import * as vscode from 'vscode';
import { ContextNode } from './nodes/context-node.js';
import { ContextStatusNode } from './nodes/context-status-node.js';
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

  /**
   * One root per kubeconfig context, once any has results; until then none, so that the welcome content
   * for the editor's context's `krrMcp.state` shows instead.
   */
  private roots(): TreeNode[] {
    const entries = this.source.contexts();
    if (!entries.some((e) => (e.snapshot?.items.length ?? 0) > 0)) return [];
    const several = entries.length > 1;
    return entries.map((entry) => {
      if (!entry.snapshot) return new ContextStatusNode(entry, several, (c) => this.source.scanContext(c));
      const items = entry.snapshot.items.filter((item) => matchesFilter(item, this.options.filter));
      return new ContextNode(entry.snapshot, items, this.options, { current: entry.current, several });
    });
  }
}
