import type * as vscode from 'vscode';
import { shellHost } from './panel-assets.js';
import { APPROVAL_ID_META } from './panel-protocol.js';
import { panelHtml } from './webview-shell.js';

export { panelResourceRoots as approvalResourceRoots } from './panel-assets.js';

/** The approval page's shell: no request data, only its random panel id (see webview-shell.ts). */
export function approvalHtml(
  webview: vscode.Webview,
  extensionUri: vscode.Uri,
  ids: { nonce: string; approvalId: string },
): string {
  return panelHtml(shellHost(webview, extensionUri), {
    page: 'approval',
    title: 'Approve changes',
    idMeta: { name: APPROVAL_ID_META, value: ids.approvalId },
    mainId: 'approval',
    loading: 'Loading the change…',
    nonce: ids.nonce,
  });
}
