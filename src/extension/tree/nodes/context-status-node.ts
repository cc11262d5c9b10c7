import * as vscode from 'vscode';
import type { ContextRecommendations } from '../recommendation-source.js';
import { CONTEXT_CONTEXT_VALUE } from './context-node.js';
import { MessageNode } from './message-node.js';
import { TreeNode } from './tree-node.js';

export const SCAN_CONTEXT_COMMAND = 'krrMcp.scanContext';

/**
 * A kubeconfig context without results: never scanned, scanning (nothing read yet), failed, cancelled or
 * without Prometheus. Expanding one that was never scanned scans it: contexts are scanned on demand.
 */
export class ContextStatusNode extends TreeNode {
  readonly id: string;

  constructor(
    private readonly entry: ContextRecommendations,
    private readonly several: boolean,
    private readonly scan: (context: string) => void,
  ) {
    super(undefined);
    this.id = entry.context;
  }

  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.entry.context, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.description = [
      ...(this.entry.current && this.several ? ['current'] : []),
      statusText(this.entry),
    ].join(' · ');
    item.iconPath = new vscode.ThemeIcon(
      this.entry.state === 'scanning' ? 'sync~spin' : this.entry.problem ? 'warning' : 'cloud',
    );
    item.contextValue = CONTEXT_CONTEXT_VALUE;
    return item;
  }

  override getChildren(): TreeNode[] {
    const { state, attempted, problem, context } = this.entry;
    if (state === 'scanning') return [new MessageNode(this, 'scanning', 'Scanning…', { icon: 'sync~spin' })];
    // Only a context never scanned starts by itself: a failed or cancelled one waits for a click, so that
    // a row VS Code keeps expanded never loops on a failing scan.
    if (!attempted) {
      this.scan(context);
      return [new MessageNode(this, 'scanning', 'Scanning…', { icon: 'sync~spin' })];
    }
    const command = { command: SCAN_CONTEXT_COMMAND, title: 'Scan', arguments: [context] };
    return [
      new MessageNode(this, 'problem', problem ?? statusText(this.entry), { icon: 'warning' }),
      new MessageNode(this, 'retry', 'Scan again', { icon: 'refresh', command }),
    ];
  }
}

function statusText(entry: ContextRecommendations): string {
  if (entry.state === 'scanning') return 'scanning…';
  if (!entry.attempted) return 'not scanned: expand to scan';
  switch (entry.state) {
    case 'no-prometheus':
      return 'no Prometheus';
    case 'error':
    case 'no-kubeconfig':
      return 'scan failed';
    case 'empty':
      return entry.problem ? 'scan cancelled' : 'no workloads to scan';
    default:
      return '';
  }
}
