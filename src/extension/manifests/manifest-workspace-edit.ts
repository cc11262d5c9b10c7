import * as vscode from 'vscode';
import type { ManifestEdit } from '../../core/manifests/index.js';
import { TextPositions } from './text-positions.js';

/**
 * The engine's edits as one WorkspaceEdit: new files first (created empty, their text inserted as an
 * unsaved edit, so that nothing but an empty file reaches the disk before the person saves), then each
 * file's changes as ranges of the text the plan was computed from. The caller must have checked that
 * every file still holds that text. From `applyEdit` on, VS Code guards the rest: it records each open
 * document's version and refuses the edit if the document changes before it is applied (also while the
 * refactor preview is open).
 */
export function manifestWorkspaceEdit(
  edits: readonly ManifestEdit[],
  uriFor: (path: string) => vscode.Uri | undefined,
  metadataOf?: (edit: ManifestEdit) => vscode.WorkspaceEditEntryMetadata,
): vscode.WorkspaceEdit {
  const workspaceEdit = new vscode.WorkspaceEdit();
  const ordered = [...edits.filter((e) => e.created), ...edits.filter((e) => !e.created)];
  for (const edit of ordered) {
    const uri = uriFor(edit.path);
    if (!uri) throw new Error(`${edit.path} is not a workspace file`);
    const metadata = metadataOf?.(edit);
    if (edit.created) workspaceEdit.createFile(uri, { overwrite: false, ignoreIfExists: false }, metadata);
    const positions = new TextPositions(edit.before);
    for (const change of edit.changes) {
      const range = positions.rangeOf(change);
      if (range.isEmpty) workspaceEdit.insert(uri, range.start, change.text, metadata);
      else workspaceEdit.replace(uri, range, change.text, metadata);
    }
  }
  return workspaceEdit;
}
