import * as vscode from 'vscode';
import { APPROVAL_ID_META } from './panel-protocol.js';

/** The two folders the panel may load from; everything else on disk stays out of the webview's reach. */
export function approvalResourceRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')];
}

export function approvalCsp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `img-src ${cspSource}`,
    `font-src ${cspSource}`,
  ].join('; ');
}

/**
 * The page shell. It holds no request data at all: names, diffs and reasons arrive later by postMessage
 * and are rendered as text, so nothing the agent or the cluster wrote can ever be parsed as HTML here.
 * `nonce` and `approvalId` come from `randomId()` (base64url), so they need no escaping.
 */
export function approvalHtml(
  webview: vscode.Webview,
  extensionUri: vscode.Uri,
  ids: { nonce: string; approvalId: string },
): string {
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', 'approval.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'approval.css'));
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${approvalCsp(webview.cspSource, ids.nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta name="${APPROVAL_ID_META}" content="${ids.approvalId}">
<link rel="stylesheet" nonce="${ids.nonce}" href="${style.toString()}">
<title>Approve changes</title>
</head>
<body>
<main id="approval" aria-live="polite"><p class="loading">Loading the change…</p></main>
<script nonce="${ids.nonce}" src="${script.toString()}"></script>
</body>
</html>`;
}
