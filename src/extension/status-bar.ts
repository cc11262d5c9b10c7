import * as vscode from 'vscode';
import type { EditorKubeContext } from './kube-context.js';

/** Shows the context krr-mcp works on; a click switches it. */
export class ContextStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 50);
  private readonly subscription: vscode.Disposable;

  constructor(private readonly kube: EditorKubeContext) {
    this.item.command = 'krrMcp.selectContext';
    this.subscription = kube.onDidChange(() => this.update());
    this.update();
  }

  private update(): void {
    const identity = this.kube.identity();
    this.item.text = identity
      ? `$(server-environment) ${identity.context}`
      : '$(server-environment) no kube context';
    this.item.tooltip = identity
      ? `krr-mcp works on ${identity.context} (${identity.server}). Click to switch.`
      : 'krr-mcp found no kubeconfig. Click to choose a context.';
    this.item.show();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
