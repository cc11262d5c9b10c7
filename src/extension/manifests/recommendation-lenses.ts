import * as vscode from 'vscode';
import { lensTitle } from './change-wording.js';
import { APPLY_ONE_COMMAND } from './manifest-commands.js';
import type { WorkspaceManifests } from './workspace-manifests.js';

/**
 * A lens above each `resources:` the last scan would change, in open YAML documents. Clicking it runs
 * the same command as the Quick Fix. A document whose text differs from what the plan read gets no
 * lenses: the lines may have moved, and a refresh (which re-asks for lenses) is already scheduled.
 */
export class RecommendationLensProvider implements vscode.CodeLensProvider {
  readonly onDidChangeCodeLenses: vscode.Event<void>;

  constructor(private readonly manifests: WorkspaceManifests) {
    this.onDidChangeCodeLenses = manifests.onDidRefresh;
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const planned = this.manifests.current();
    if (!planned || !this.manifests.isCurrent(document)) return [];
    const here = planned.editedIn(document.uri);
    const perLine = new Map<number, number>();
    for (const c of here) perLine.set(c.range.start.line, (perLine.get(c.range.start.line) ?? 0) + 1);
    return here.map((c) => {
      const title = lensTitle(c, perLine.get(c.range.start.line)! > 1);
      return new vscode.CodeLens(new vscode.Range(c.range.start, c.range.start), {
        title,
        command: APPLY_ONE_COMMAND,
        arguments: [c.id],
      });
    });
  }
}
