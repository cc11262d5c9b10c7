import * as vscode from 'vscode';
import type { Severity } from '../../core/recommend/model.js';
import type { ManifestDiagnosticsLevel } from '../settings.js';
import { diagnosticMessage } from './change-wording.js';
import type { WorkspaceManifests } from './workspace-manifests.js';

export const DIAGNOSTIC_SOURCE = 'krr-mcp';

const LEVELS: Record<Exclude<ManifestDiagnosticsLevel, 'off'>, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

/** CRITICAL rows get the configured severity, WARNING rows one step milder (never below Hint). */
export function severityFor(
  level: Exclude<ManifestDiagnosticsLevel, 'off'>,
  row: Severity,
): vscode.DiagnosticSeverity {
  const base = LEVELS[level];
  return row === 'CRITICAL' ? base : Math.min(base + 1, vscode.DiagnosticSeverity.Hint);
}

/**
 * WARNING and CRITICAL rows the plan writes, in the Problems view at the `resources:` line that defines
 * them (also for files that are not open). Rebuilt after each refresh and when the setting changes.
 */
export class RecommendationDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection(DIAGNOSTIC_SOURCE);
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly manifests: WorkspaceManifests,
    private readonly level: () => ManifestDiagnosticsLevel,
  ) {
    this.subscription = manifests.onDidRefresh(() => this.render());
  }

  render(): void {
    this.collection.clear();
    const level = this.level();
    const planned = this.manifests.current();
    if (level === 'off' || !planned) return;
    const byFile = new Map<string, { uri: vscode.Uri; diagnostics: vscode.Diagnostic[] }>();
    for (const container of planned.edited()) {
      const { severity } = container.item;
      if ((severity !== 'CRITICAL' && severity !== 'WARNING') || !container.uri || !container.range) continue;
      const diagnostic = new vscode.Diagnostic(
        container.range,
        diagnosticMessage(container),
        severityFor(level, severity),
      );
      diagnostic.source = DIAGNOSTIC_SOURCE;
      const entry = byFile.get(container.uri.toString()) ?? { uri: container.uri, diagnostics: [] };
      entry.diagnostics.push(diagnostic);
      byFile.set(container.uri.toString(), entry);
    }
    for (const { uri, diagnostics } of byFile.values()) this.collection.set(uri, diagnostics);
  }

  dispose(): void {
    this.subscription.dispose();
    this.collection.dispose();
  }
}
