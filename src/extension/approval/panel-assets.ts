import * as vscode from 'vscode';
import type { ShellHost } from './webview-shell.js';

/** The two folders a panel may load from; everything else on disk stays out of the webview's reach. */
export function panelResourceRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')];
}

/** The webview's side of the shell: its CSP source, and webview URIs of the extension's files. */
export function shellHost(webview: vscode.Webview, extensionUri: vscode.Uri): ShellHost {
  return {
    cspSource: webview.cspSource,
    asset: (...path) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...path)).toString(),
  };
}
