import * as vscode from 'vscode';

export type CurrentText = { text: string } | { missing: true } | { error: string };

const decoder = new TextDecoder('utf-8');

function sizeLabel(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${bytes} bytes`;
}

/**
 * A file's text as the person sees it now: the open document's (unsaved edits count, and that is the
 * text a WorkspaceEdit will be applied to), else the file on disk. The UTF-8 decoder drops a byte order
 * mark, as VS Code's documents do, so offsets agree with the editor's.
 */
export async function readCurrentText(uri: vscode.Uri, maxBytes: number): Promise<CurrentText> {
  const open = vscode.workspace.textDocuments.find((d) => !d.isClosed && d.uri.toString() === uri.toString());
  if (open) return { text: open.getText() };
  try {
    const info = await vscode.workspace.fs.stat(uri);
    if (info.size > maxBytes) return { error: `larger than ${sizeLabel(maxBytes)}; not read` };
    return { text: decoder.decode(await vscode.workspace.fs.readFile(uri)) };
  } catch (error) {
    const code = (error as { code?: unknown })?.code;
    if (code === 'FileNotFound' || code === 'ENOENT') return { missing: true };
    return { error: error instanceof Error ? error.message : String(error) };
  }
}
