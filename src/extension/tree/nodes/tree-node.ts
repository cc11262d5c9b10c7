import type * as vscode from 'vscode';

/**
 * One row of the recommendations tree. Ids are built from the parent's id, so they are stable across
 * scans (VS Code keeps expansion and selection by id), and the parent pointer serves `getParent`,
 * which `TreeView.reveal` needs.
 */
export abstract class TreeNode {
  abstract readonly id: string;

  constructor(readonly parent: TreeNode | undefined) {}

  /** The kubeconfig context the row belongs to: the root row is the context, and its id is the name. */
  get context(): string {
    return this.parent ? this.parent.context : this.id;
  }

  abstract toTreeItem(): vscode.TreeItem;

  /** Called only when the node expands, so big namespaces cost nothing until opened. */
  getChildren(): TreeNode[] {
    return [];
  }

  /** The hover text, built only when VS Code asks (`resolveTreeItem`), because it is the costly part. */
  tooltip(): vscode.MarkdownString | undefined {
    return undefined;
  }
}
