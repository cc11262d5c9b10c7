import * as vscode from 'vscode';
import { TreeNode } from './tree-node.js';

export const SHOW_MORE_COMMAND = 'krrMcp.showMore';

/** The last row of a capped list; clicking it shows the next page of the parent's children. */
export class ShowMoreNode extends TreeNode {
  readonly id: string;

  constructor(
    parent: TreeNode,
    readonly hidden: number,
  ) {
    super(parent);
    // "#" never occurs in Kubernetes names, so this cannot collide with a real child's id.
    this.id = `${parent.id}#show-more`;
  }

  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(`Show ${this.hidden} more…`, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.contextValue = 'krrMcp.showMore';
    item.iconPath = new vscode.ThemeIcon('ellipsis');
    item.command = { command: SHOW_MORE_COMMAND, title: 'Show more', arguments: [this.parent?.id] };
    return item;
  }
}

/** The children a parent shows now: its page, then a "Show N more…" row if some are left. */
export function paged<T>(
  parent: TreeNode,
  all: readonly T[],
  limit: number,
  toNode: (value: T) => TreeNode,
): TreeNode[] {
  const shown = all.slice(0, limit).map(toNode);
  return all.length > limit ? [...shown, new ShowMoreNode(parent, all.length - limit)] : shown;
}
