// Requests and helpers shared by the approval panel tests. Names carry HTML on purpose: the panel must
// show them as text and the shell must never contain them.
import type { ApprovalRequest } from '../../../../src/core/approval/approval-request.js';
import { ApprovalPanelSurface } from '../../../../src/extension/approval/approval-panel-surface.js';
import { double, Uri, window, type WebviewPanelDouble } from '../../../support/vscode-double/vscode.js';

export const SCRIPT_NAME = '<script>alert(1)</script>';
export const ATTRIBUTE_BREAKOUT = '"><img src=x onerror=alert(1)>';

export function hostileRequest(overrides: Partial<ApprovalRequest> = {}): ApprovalRequest {
  return {
    planId: 'plan-1',
    planHash: 'hash-1',
    summary: `Change 1 workload(s) on ${SCRIPT_NAME}`,
    cluster: { context: `ctx-${SCRIPT_NAME}`, server: `https://api.example${ATTRIBUTE_BREAKOUT}` },
    objects: [],
    risk: 'LOW',
    expiresAt: new Date(Date.now() + 5 * 60_000).toISOString(),
    details: {
      workloads: [
        {
          kind: 'Deployment',
          namespace: `ns-${ATTRIBUTE_BREAKOUT}`,
          name: `api-${SCRIPT_NAME}`,
          containers: [
            {
              container: `app-${ATTRIBUTE_BREAKOUT}`,
              source: 'recommendation',
              changes: [
                { field: 'requests.cpu', from: '500m', to: '250m', percent: -50, agentSupplied: false },
                { field: 'limits.memory', from: null, to: '512Mi', percent: null, agentSupplied: true },
              ],
            },
          ],
          diff: `--- live\n+++ dry-run\n@@ -1 +1 @@\n-        cpu: 500m ${SCRIPT_NAME}\n+        cpu: 250m ${ATTRIBUTE_BREAKOUT}\n`,
          impact: { pods: 3, restartRequired: true, hpa: false },
          risk: { level: 'LOW', reasons: [`reason ${SCRIPT_NAME}`] },
        },
      ],
      risk: { level: 'LOW', reasons: [`overall ${ATTRIBUTE_BREAKOUT}`] },
      monthlyCostDelta: -12.5,
      agentReason: `trust me ${SCRIPT_NAME}`,
    },
    ...overrides,
  };
}

export function highRiskRequest(): ApprovalRequest {
  const request = hostileRequest({ risk: 'HIGH' });
  request.details!.risk = { level: 'HIGH', reasons: ['memory limit cut by more than half'] };
  return request;
}

/** A pod name carrying markup and an invisible character: it must reach the person as these characters. */
export const HOSTILE_POD = `api-7d9f-${SCRIPT_NAME}\u202E`;

/**
 * `hostileRequest` where the authority offers to resize the running pods in place (Kubernetes ≥ 1.33): one
 * pod resized without a restart, one whose container restarts (resizePolicy RestartContainer).
 */
export function resizeRequest(overrides: Partial<ApprovalRequest> = {}): ApprovalRequest {
  const request = hostileRequest({ resizeOption: { planHash: 'hash-1-resize' }, ...overrides });
  request.details!.workloads[0]!.inPlaceResize = {
    offered: true,
    pods: [
      {
        name: HOSTILE_POD,
        outcome: 'in-place',
        reason: 'resized in place, no container restarts',
        restartingContainers: [],
        qosBefore: 'Burstable',
        qosAfter: 'Burstable',
      },
      {
        name: 'api-7d9f-k2x',
        outcome: 'restarts-container',
        reason: `resized in place; app-${ATTRIBUTE_BREAKOUT} restarts (resizePolicy RestartContainer)`,
        restartingContainers: [`app-${ATTRIBUTE_BREAKOUT}`],
        qosBefore: 'Burstable',
        qosAfter: 'Burstable',
      },
    ],
  };
  return request;
}

export function newSurface(): ApprovalPanelSurface {
  return new ApprovalPanelSurface({
    extensionUri: Uri.file('/ext') as never,
    log: window.createOutputChannel('krr-mcp') as never,
  });
}

/** Opens a panel for `request` and returns it with the pending decision. */
export function openPanel(
  request: ApprovalRequest = hostileRequest(),
  signal: AbortSignal = new AbortController().signal,
): { panel: WebviewPanelDouble; decision: Promise<string>; approvalId: string } {
  const decision = newSurface().decide(request, signal);
  const panel = double.panels.at(-1)!;
  return { panel, decision, approvalId: approvalIdOf(panel) };
}

/** The panel id the shell hands its page (what the page sends back with every message). */
export function approvalIdOf(panel: WebviewPanelDouble): string {
  const match = /<meta name="krr-approval-id" content="([^"]+)">/.exec(panel.webview.html);
  if (!match?.[1]) throw new Error('no approval id in the shell');
  return match[1];
}

/** Lets pending promise callbacks (message handlers, the modal's answer) run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** 'pending' if the decision has not resolved yet after everything queued ran. */
export async function stateOf(decision: Promise<string>): Promise<string> {
  await settle();
  return Promise.race([decision, Promise.resolve('pending')]);
}
