import * as vscode from 'vscode';
import type { ApprovalRequest } from '../../core/approval/approval-request.js';
import { workloadCount } from './approval-view.js';

const APPLY = 'Apply';

/**
 * The native modal asked after Approve on a high or critical risk plan. A webview panel is never modal;
 * this dialog is, and its text and detail are plain text, so the names in them stay names.
 */
export async function confirmHighRisk(request: ApprovalRequest): Promise<boolean> {
  const risk = request.details?.risk ?? { level: request.risk, reasons: [] };
  const detail = [
    `Risk ${risk.level}.`,
    ...risk.reasons.map((reason) => `• ${reason}`),
    `Cluster: ${request.cluster.context} (${request.cluster.server})`,
  ].join('\n');
  const answer = await vscode.window.showWarningMessage(
    `Apply changes to ${workloadCount(request)} workload(s) on ${request.cluster.context}?`,
    { modal: true, detail },
    APPLY,
  );
  return answer === APPLY;
}
