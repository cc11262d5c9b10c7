// The approval panel's page. It knows its panel id from the shell, asks the host for the change (`ready`),
// renders it as text, and reports the person's clicks. It can neither approve on its own nor see a token.
// The first three imports run before anything else: zod must not try eval, Lit must know the nonce, and the
// CSP listener must be in place before any component or chart exists.
import '../shared/zod-without-eval.js';
import '../shared/lit-nonce.js';
import { reportCspViolations } from '../shared/csp-violations.js';
import '../shared/elements.js';
import { APPROVAL_ID_META, HostMessageSchema } from '../../src/extension/approval/panel-protocol.js';
import { setEnabled } from '../shared/elements.js';
import { startCountdown } from './countdown.js';
import { postToHost } from './host.js';
import { renderApproval, type RenderedApproval } from './render.js';

const approvalId = document.querySelector(`meta[name="${APPROVAL_ID_META}"]`)?.getAttribute('content') ?? '';
const container = document.getElementById('approval');

reportCspViolations((violation) => postToHost({ type: 'cspViolation', approvalId, ...violation }));

let shown: RenderedApproval | undefined;
let stopCountdown = (): void => {};

/**
 * Calls `act` when the person activates `button`: a mouse click or Enter/Space on the focused button, as
 * the browser reports them (`isTrusted`). vscode-button turns Enter/Space into a click it makes itself,
 * which is untrusted like any click a script makes: the key press is what counts. A script in the page
 * (which the CSP keeps out) could make neither.
 */
function onActivate(button: HTMLElement, act: () => void): void {
  button.addEventListener('click', (event) => {
    if (event.isTrusted) act();
  });
  button.addEventListener('keydown', (event) => {
    if (event.isTrusted && !event.repeat && (event.key === 'Enter' || event.key === ' ')) act();
  });
}

function show(view: Parameters<typeof renderApproval>[0]): void {
  stopCountdown();
  shown?.charts.dispose();
  shown = renderApproval(view);
  const { approve, resize, reject, status, countdown } = shown;
  onActivate(approve, () => {
    if (approve.disabled) return;
    setApproveEnabled(false);
    status.textContent = view.confirmationRequired ? 'Waiting for your confirmation…' : 'Approving…';
    postToHost({ type: 'approve', approvalId });
  });
  if (resize)
    onActivate(resize, () => {
      if (resize.disabled) return;
      setApproveEnabled(false);
      status.textContent = view.confirmationRequired
        ? 'Waiting for your confirmation…'
        : 'Approving, with the running pods resized in place…';
      postToHost({ type: 'approve', approvalId, resizeRunningPods: true });
    });
  onActivate(reject, () => {
    if (reject.disabled) return;
    setApproveEnabled(false);
    setEnabled(reject, false);
    status.textContent = 'Rejected.';
    postToHost({ type: 'reject', approvalId });
  });
  container?.replaceChildren(shown.root);
  shown.charts.mount();
  stopCountdown = startCountdown(countdown, view.expiresAt, expire);
}

/** Both ways to approve go together: one click, one answer, whichever button it was. */
function setApproveEnabled(enabled: boolean): void {
  if (!shown) return;
  setEnabled(shown.approve, enabled);
  if (shown.resize) setEnabled(shown.resize, enabled);
}

function expire(): void {
  if (!shown) return;
  setApproveEnabled(false);
  setEnabled(shown.reject, false);
  shown.status.textContent = 'This request expired. Nothing was approved.';
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const parsed = HostMessageSchema.safeParse(event.data);
  if (!parsed.success || parsed.data.approvalId !== approvalId) return;
  const message = parsed.data;
  switch (message.type) {
    case 'show':
      show(message.view);
      return;
    case 'expired':
      stopCountdown();
      expire();
      return;
    case 'confirmationDeclined':
      if (!shown) return;
      setApproveEnabled(true);
      shown.status.textContent = 'Not approved: the confirmation was declined.';
      return;
  }
});

postToHost({ type: 'ready', approvalId });
