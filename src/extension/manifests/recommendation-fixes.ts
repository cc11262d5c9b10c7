import * as vscode from 'vscode';
import { diagnosticMessage, fixTitle } from './change-wording.js';
import { APPLY_ONE_COMMAND } from './manifest-commands.js';
import { DIAGNOSTIC_SOURCE } from './recommendation-diagnostics.js';
import type { WorkspaceManifests } from './workspace-manifests.js';

/**
 * "Apply krr recommendation to <container>" wherever a lens is (on the `resources:` line), linked to the
 * diagnostic there when there is one. The action carries a command, not an edit: the edit is computed
 * when it is chosen, from the text at that moment, instead of at every cursor move.
 */
export class RecommendationFixProvider implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix],
  };

  constructor(private readonly manifests: WorkspaceManifests) {}

  provideCodeActions(
    document: vscode.TextDocument,
    range: vscode.Range | vscode.Selection,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    if (context.only && !context.only.contains(vscode.CodeActionKind.QuickFix)) return [];
    const planned = this.manifests.current();
    if (!planned || !this.manifests.isCurrent(document)) return [];
    const here = planned
      .editedIn(document.uri)
      .filter((c) => c.range.start.line >= range.start.line && c.range.start.line <= range.end.line);
    return here.map((container) => {
      const sharesLine = here.some(
        (o) => o !== container && o.range.start.line === container.range.start.line,
      );
      const action = new vscode.CodeAction(fixTitle(container, sharesLine), vscode.CodeActionKind.QuickFix);
      const message = diagnosticMessage(container);
      const linked = context.diagnostics.filter(
        (d) => d.source === DIAGNOSTIC_SOURCE && d.message === message,
      );
      if (linked.length > 0) {
        action.diagnostics = linked;
        action.isPreferred = true;
      }
      action.command = { command: APPLY_ONE_COMMAND, title: action.title, arguments: [container.id] };
      return action;
    });
  }
}
