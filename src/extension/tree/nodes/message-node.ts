import * as vscode from 'vscode';
import { TreeNode } from './tree-node.js';

export interface MessageOptions {
  icon?: string;
  /** Clicking the row runs this (e.g. scan again). */
  command?: vscode.Command;
}

/** A row that only says something: a scan running, failed or cancelled under its context. */
export class MessageNode extends TreeNode {
  readonly id: string;

  constructor(
    parent: TreeNode,
    /** Tells the parent's message rows apart; "#" never occurs in Kubernetes names. */
    kind: string,
    readonly text: string,
    private readonly options: MessageOptions = {},
  ) {
    super(parent);
    this.id = `${parent.id}#${kind}`;
  }

  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.text, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.contextValue = 'krrMcp.message';
    // As text: a problem can quote the cluster, and a label is never rendered as Markdown or icons.
    if (this.options.icon) item.iconPath = new vscode.ThemeIcon(this.options.icon);
    if (this.options.command) item.command = this.options.command;
    return item;
  }
}
