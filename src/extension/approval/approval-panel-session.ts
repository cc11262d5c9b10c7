import * as vscode from 'vscode';
import type { ApprovalRequest, Decision } from '../../core/approval/approval-request.js';
import { confirmHighRisk } from './high-risk-confirmation.js';
import { approvalHtml } from './approval-html.js';
import { approvalViewOf, needsConfirmation } from './approval-view.js';
import {
  ApprovalViewSchema,
  PageMessageSchema,
  type ApprovalView,
  type HostMessage,
} from './panel-protocol.js';
import { randomId } from './random-id.js';

/** loading: waiting for the page's `ready`; shown: the person sees the change; confirming: the native modal is open. */
type SessionState = 'loading' | 'shown' | 'confirming' | 'decided';

/**
 * One panel deciding one request. Only a click in this panel's page, carrying this panel's random id,
 * while the panel is visible and the request still waits, can approve; everything else is ignored.
 */
export class ApprovalPanelSession {
  private readonly approvalId = randomId();
  private state: SessionState = 'loading';
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Whether the view the page was last sent shows "Approve and resize running pods". */
  private resizeShown = false;
  private resolveDecision: (decision: Decision) => void = () => {};
  readonly decision = new Promise<Decision>((resolve) => (this.resolveDecision = resolve));

  constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly request: ApprovalRequest,
    private readonly signal: AbortSignal,
    private readonly deps: { extensionUri: vscode.Uri; log: vscode.LogOutputChannel },
  ) {
    this.subscriptions.push(
      panel.webview.onDidReceiveMessage((message: unknown) => this.receive(message)),
      // The person closed the panel: that is a no.
      panel.onDidDispose(() => this.finish('rejected')),
    );
    signal.addEventListener('abort', this.withdraw);
    // Listening first, so the page's `ready` cannot arrive before anyone hears it.
    panel.webview.html = approvalHtml(panel.webview, deps.extensionUri, {
      nonce: randomId(),
      approvalId: this.approvalId,
    });
  }

  private receive(raw: unknown): void {
    const parsed = PageMessageSchema.safeParse(raw);
    if (!parsed.success) {
      this.deps.log.warn(`Approval panel ${this.request.planId}: ignored a malformed message`);
      return;
    }
    const message = parsed.data;
    if (message.approvalId !== this.approvalId) {
      this.deps.log.warn(`Approval panel ${this.request.planId}: ignored a message for another panel`);
      return;
    }
    if (this.state === 'decided') return;
    switch (message.type) {
      case 'ready':
        // Also after the page reloads (hidden panels lose their page: no retainContextWhenHidden).
        this.show();
        return;
      case 'approve':
        void this.approve(message.resizeRunningPods === true);
        return;
      case 'reject':
        this.finish('rejected');
        return;
      case 'cspViolation':
        // The page is built to cause none: one means a bug or something foreign in the page. Nothing is
        // approved by it; the log keeps it for whoever looks into it.
        this.deps.log.warn(
          `Approval panel ${this.request.planId}: the page reported a Content-Security-Policy violation (${message.directive}: ${message.blocked})`,
        );
        return;
    }
  }

  private show(): void {
    if (this.state === 'loading') this.state = 'shown';
    const view = this.view();
    this.resizeShown = view.resizeOffered;
    this.post({ type: 'show', approvalId: this.approvalId, view });
  }

  /**
   * The page drops a view its schema refuses (a NaN cost, say). Unusable charts are left out and the rest
   * is shown; unusable details leave the summary text, which still lets the person decide.
   */
  private view(): ApprovalView {
    const view = approvalViewOf(this.request);
    const checked = ApprovalViewSchema.safeParse(view);
    if (checked.success) return checked.data;
    const withoutCharts = ApprovalViewSchema.safeParse({ ...view, usage: [] });
    if (withoutCharts.success) {
      this.deps.log.error(
        `Approval panel ${this.request.planId}: usage charts unusable (${checked.error.message}); showing the change without them`,
      );
      return withoutCharts.data;
    }
    this.deps.log.error(
      `Approval panel ${this.request.planId}: details unusable (${checked.error.message}); showing the summary`,
    );
    // The summary says nothing pod by pod, so the resize choice goes with the details.
    return { ...view, workloads: [], blocks: [], monthlyCostDelta: null, usage: [], resizeOffered: false };
  }

  /**
   * `resize`: the page says the person clicked "Approve and resize running pods". Only a panel that showed
   * that button, for a request that offers it, may answer 'approved-resize'; asked for anywhere else, the
   * click is not one the person could have made (a forged message), so it approves nothing at all.
   */
  private async approve(resize: boolean): Promise<void> {
    // Not shown yet, or a confirmation is already open: a second click must not open a second dialog.
    if (this.state !== 'shown') return;
    if (resize && !(this.resizeShown && this.request.resizeOption)) {
      this.deps.log.warn(
        `Approval panel ${this.request.planId}: ignored Approve and resize running pods (not offered for this request)`,
      );
      return;
    }
    const decision: Decision = resize ? 'approved-resize' : 'approved';
    if (!this.panel.visible || this.expired()) {
      this.deps.log.warn(
        `Approval panel ${this.request.planId}: ignored Approve (panel hidden or request expired)`,
      );
      return;
    }
    if (!needsConfirmation(this.request)) {
      this.finish(decision);
      return;
    }
    this.state = 'confirming';
    const confirmed = await confirmHighRisk(this.request, resize);
    // Closed, rejected or withdrawn while the dialog was open: that outcome stands.
    if (this.state !== 'confirming') return;
    if (confirmed && !this.expired()) {
      this.finish(decision);
      return;
    }
    this.state = 'shown';
    this.post({ type: 'confirmationDeclined', approvalId: this.approvalId });
  }

  private readonly withdraw = (): void => {
    if (this.state === 'decided') return;
    this.post({ type: 'expired', approvalId: this.approvalId });
    // The authority ignores this answer; closing the panel is what matters.
    this.finish('rejected');
  };

  private finish(decision: Decision): void {
    if (this.state === 'decided') return;
    this.state = 'decided';
    this.signal.removeEventListener('abort', this.withdraw);
    for (const subscription of this.subscriptions) subscription.dispose();
    this.panel.dispose();
    this.deps.log.info(`Approval panel ${this.request.planId}: ${decision}`);
    this.resolveDecision(decision);
  }

  private expired(): boolean {
    // An unparsable deadline counts as passed: when in doubt, nothing is approved.
    return !(Date.now() < Date.parse(this.request.expiresAt));
  }

  private post(message: HostMessage): void {
    Promise.resolve(this.panel.webview.postMessage(message)).catch((error: unknown) =>
      this.deps.log.warn(
        `Approval panel ${this.request.planId}: could not post ${message.type}: ${String(error)}`,
      ),
    );
  }
}
