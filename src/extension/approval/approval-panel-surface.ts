import * as vscode from 'vscode';
import type { ApprovalRequest, Decision, DecisionSurface } from '../../core/approval/approval-request.js';
import { approvalResourceRoots } from './approval-html.js';
import { ApprovalPanelSession } from './approval-panel-session.js';
import { approvalTitle } from './approval-view.js';

export interface ApprovalPanelDependencies {
  extensionUri: vscode.Uri;
  log: vscode.LogOutputChannel;
}

/** Where a person decides inside VS Code: one webview panel per request, in front, with focus. */
export class ApprovalPanelSurface implements DecisionSurface {
  static readonly viewType = 'krrMcp.approval';

  constructor(private readonly deps: ApprovalPanelDependencies) {}

  decide(request: ApprovalRequest, signal: AbortSignal): Promise<Decision> {
    if (signal.aborted) return Promise.resolve('rejected');
    const panel = vscode.window.createWebviewPanel(
      ApprovalPanelSurface.viewType,
      approvalTitle(request),
      { viewColumn: vscode.ViewColumn.Active, preserveFocus: false },
      {
        enableScripts: true,
        // Forms could submit somewhere; the page needs none. Command URIs and retained hidden
        // contexts stay at their safe defaults (off).
        enableForms: false,
        localResourceRoots: approvalResourceRoots(this.deps.extensionUri),
      },
    );
    return new ApprovalPanelSession(panel, request, signal, this.deps).decision;
  }
}
