import * as vscode from 'vscode';
import type { Severity } from '../../core/recommend/model.js';

/** Lower is worse, matching krr's ordering (and `byImpact`). */
const RANK: Record<Severity, number> = { CRITICAL: 0, WARNING: 1, OK: 2, GOOD: 3, UNKNOWN: 4 };

export const SEVERITIES: readonly Severity[] = ['CRITICAL', 'WARNING', 'OK', 'GOOD', 'UNKNOWN'];

export function worstSeverity(severities: Iterable<Severity>): Severity {
  let worst: Severity = 'UNKNOWN';
  for (const s of severities) if (RANK[s] < RANK[worst]) worst = s;
  return worst;
}

/** "Severity at least WARNING" keeps WARNING and CRITICAL; UNKNOWN is the weakest. */
export function isAtLeast(severity: Severity, minimum: Severity): boolean {
  return RANK[severity] <= RANK[minimum];
}

const ICONS: Record<Severity, { icon: string; color: string }> = {
  CRITICAL: { icon: 'error', color: 'charts.red' },
  WARNING: { icon: 'warning', color: 'charts.yellow' },
  OK: { icon: 'info', color: 'charts.blue' },
  GOOD: { icon: 'pass', color: 'charts.green' },
  UNKNOWN: { icon: 'question', color: 'disabledForeground' },
};

export function severityIcon(severity: Severity): vscode.ThemeIcon {
  const { icon, color } = ICONS[severity];
  return new vscode.ThemeIcon(icon, new vscode.ThemeColor(color));
}
