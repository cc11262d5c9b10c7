import * as vscode from 'vscode';

// The engine is given each file's URI path (absolute, so that Kustomize's `../../base` resolves across
// folders). People read workspace-relative paths: in messages, the log and the tree. The engine's
// reasons and notes embed paths in prose, so relative paths are made by removing each folder's prefix
// (in a multi-root workspace, replacing it with the folder's name, as VS Code's own labels do).

export function displayText(text: string): string {
  const folders = vscode.workspace.workspaceFolders ?? [];
  let out = text;
  for (const folder of folders) {
    const prefix = `${folder.uri.path.replace(/\/$/, '')}/`;
    out = out.split(prefix).join(folders.length > 1 ? `${folder.name}/` : '');
  }
  return out;
}

export function displayPath(path: string): string {
  return displayText(path);
}
