import * as vscode from 'vscode';
import type { ApprovalRequest } from '../../core/approval/approval-request.js';
import { resizeCounts, workloadCount } from './approval-view.js';

const APPLY = 'Apply';

/**
 * The native modal asked after Approve (or "Approve and resize running pods") on a high or critical risk
 * plan. A webview panel is never modal; this dialog is, and its text and detail are plain text, so the
 * names in them stay names. With `resizeRunningPods` it says so: the person confirms what they clicked.
 */
export async function confirmHighRisk(request: ApprovalRequest, resizeRunningPods = false): Promise<boolean> {
  const risk = request.details?.risk ?? { level: request.risk, reasons: [] };
  const detail = [
    `Risk ${risk.level}.`,
    ...risk.reasons.map((reason) => `• ${reason}`),
    ...(resizeRunningPods ? [runningPodsLine(request)] : []),
    `Cluster: ${request.cluster.context} (${request.cluster.server})`,
  ].join('\n');
  const question = `Apply changes to ${workloadCount(request)} workload(s) on ${request.cluster.context}`;
  const answer = await vscode.window.showWarningMessage(
    resizeRunningPods ? `${question} and resize their running pods in place?` : `${question}?`,
    { modal: true, detail },
    APPLY,
  );
  return answer === APPLY;
}

function runningPodsLine(request: ApprovalRequest): string {
  const { inPlace, restarting, rollingOut } = resizeCounts(request);
  const rollout =
    rollingOut > 0 ? ` ${rollingOut} workload(s) cannot be resized in place: their pods are replaced.` : '';
  return `Running pods: ${inPlace} resized in place without a restart, ${restarting} with a container restart (resizePolicy RestartContainer).${rollout}`;
}
