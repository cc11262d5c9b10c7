// The approval panel's page. It knows its panel id from the shell, asks the host for the change (`ready`),
// renders it as text, and reports the person's clicks. It can neither approve on its own nor see a token.
import './zod-without-eval.js';
import { APPROVAL_ID_META, HostMessageSchema } from '../../src/extension/approval/panel-protocol.js';
import { startCountdown } from './countdown.js';
import { postToHost } from './host.js';
import { renderApproval, type RenderedApproval } from './render.js';

const approvalId = document.querySelector(`meta[name="${APPROVAL_ID_META}"]`)?.getAttribute('content') ?? '';
const container = document.getElementById('approval');

let shown: RenderedApproval | undefined;
let stopCountdown = (): void => {};

function show(view: Parameters<typeof renderApproval>[0]): void {
  stopCountdown();
  shown = renderApproval(view);
  const { approve, reject, status, countdown } = shown;
  approve.addEventListener('click', (event) => {
    // A script-made click is not the person's (defence in depth: the CSP keeps foreign script out).
    if (!event.isTrusted || approve.disabled) return;
    approve.disabled = true;
    status.textContent = view.confirmationRequired ? 'Waiting for your confirmation…' : 'Approving…';
    postToHost({ type: 'approve', approvalId });
  });
  reject.addEventListener('click', (event) => {
    if (!event.isTrusted) return;
    approve.disabled = true;
    reject.disabled = true;
    status.textContent = 'Rejected.';
    postToHost({ type: 'reject', approvalId });
  });
  container?.replaceChildren(shown.root);
  stopCountdown = startCountdown(countdown, view.expiresAt, expire);
}

function expire(): void {
  if (!shown) return;
  shown.approve.disabled = true;
  shown.reject.disabled = true;
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
      shown.approve.disabled = false;
      shown.status.textContent = 'Not approved: the confirmation was declined.';
      return;
  }
});

postToHost({ type: 'ready', approvalId });
