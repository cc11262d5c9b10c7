import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import { HostMessageSchema } from '../../../../src/extension/approval/panel-protocol.js';
import { double } from '../../../support/vscode-double/vscode.js';
import {
  highRiskRequest,
  hostileRequest,
  newSurface,
  openPanel,
  SCRIPT_NAME,
  settle,
  stateOf,
} from './approval-fixtures.js';

beforeEach(() => double.reset());

/** Opens a panel and completes the page's handshake, as the real page does on load. */
async function shownPanel(request = hostileRequest(), signal?: AbortSignal) {
  const opened = openPanel(request, signal);
  opened.panel.webview.simulateMessage({ type: 'ready', approvalId: opened.approvalId });
  await settle();
  return opened;
}

test('nothing is posted before the page is ready; then the request arrives as data', async () => {
  const request = hostileRequest();
  const { panel, approvalId } = openPanel(request);
  assert.equal(panel.webview.posted.length, 0);
  panel.webview.simulateMessage({ type: 'ready', approvalId });
  await settle();
  assert.equal(panel.webview.posted.length, 1);
  const show = HostMessageSchema.parse(panel.webview.posted[0]);
  assert.ok(show.type === 'show');
  assert.equal(show.approvalId, approvalId);
  assert.deepEqual(show.view.cluster, request.cluster);
  assert.equal(show.view.workloads[0]!.name, `api-${SCRIPT_NAME}`);
  assert.deepEqual(
    show.view.workloads[0]!.containers[0]!.changes.map((c) => [
      c.field,
      c.from,
      c.to,
      c.percent,
      c.agentSupplied,
    ]),
    [
      ['requests.cpu', '500m', '250m', -50, false],
      ['limits.memory', null, '512Mi', null, true],
    ],
  );
  assert.equal(show.view.workloads[0]!.diff, request.details!.workloads[0]!.diff);
  assert.deepEqual(show.view.workloads[0]!.impact, { pods: 3, restartRequired: true, hpa: false });
  assert.deepEqual(show.view.risk, request.details!.risk);
  assert.equal(show.view.monthlyCostDelta, -12.5);
  assert.equal(show.view.agentReason, `trust me ${SCRIPT_NAME}`);
  assert.equal(show.view.rollbackOf, null, 'an ordinary change is not called a rollback');
  assert.equal(show.view.expiresAt, request.expiresAt);
  assert.equal(show.view.confirmationRequired, false);
});

test("a rollback's request says whose apply it undoes (the authority's word, carried as text)", async () => {
  const request = hostileRequest();
  const { panel } = await shownPanel({
    ...request,
    details: { ...request.details!, rollbackOf: 'rb-0123456789abcdef' },
  });
  const show = HostMessageSchema.parse(panel.webview.posted[0]);
  assert.ok(show.type === 'show');
  assert.equal(show.view.rollbackOf, 'rb-0123456789abcdef');
});

test('a request without details is shown from its summary text', async () => {
  const { panel } = await shownPanel(hostileRequest({ details: undefined, objects: [] }));
  const show = HostMessageSchema.parse(panel.webview.posted[0]);
  assert.ok(show.type === 'show');
  assert.deepEqual(show.view.workloads, []);
  assert.equal(show.view.summary, `Change 1 workload(s) on ${SCRIPT_NAME}`);
  assert.equal(show.view.agentReason, null);
  assert.equal(show.view.monthlyCostDelta, null);
});

test('a reloaded page (the panel was hidden) gets the request again', async () => {
  const { panel, approvalId } = await shownPanel();
  panel.webview.simulateMessage({ type: 'ready', approvalId });
  await settle();
  assert.equal(panel.webview.posted.length, 2);
});

test('Approve in this panel approves, and closes the panel', async () => {
  const { panel, decision, approvalId } = await shownPanel();
  panel.webview.simulateMessage({ type: 'approve', approvalId });
  assert.equal(await decision, 'approved');
  assert.ok(panel.disposed);
  assert.equal(double.messages.length, 0, 'low risk asks no modal');
});

test('Approve with another id, or a malformed message, is ignored', async () => {
  const { panel, decision, approvalId } = await shownPanel();
  const other = openPanel();
  for (const message of [
    { type: 'approve', approvalId: other.approvalId },
    { type: 'approve', approvalId: approvalId.slice(1) },
    { type: 'approve' },
    { type: 'approve', approvalId, extra: '<img>' },
    { type: 'APPROVE', approvalId },
    { type: 'approve', approvalId: [approvalId] },
    `{"type":"approve","approvalId":"${approvalId}"}`,
    null,
    42,
  ]) {
    panel.webview.simulateMessage(message);
  }
  assert.equal(await stateOf(decision), 'pending');
  assert.ok(!panel.disposed);
  assert.ok(double.logs.some((l) => /ignored a malformed message/.test(l.message)));
  assert.ok(double.logs.some((l) => /ignored a message for another panel/.test(l.message)));
  // The panel still works for its own page.
  panel.webview.simulateMessage({ type: 'approve', approvalId });
  assert.equal(await decision, 'approved');
  assert.equal(await stateOf(other.decision), 'pending');
});

test('Approve before the page asked for the request is ignored', async () => {
  const { panel, decision, approvalId } = openPanel();
  panel.webview.simulateMessage({ type: 'approve', approvalId });
  assert.equal(await stateOf(decision), 'pending');
});

test('a second Approve, or a Reject after Approve, changes nothing', async () => {
  const { panel, decision, approvalId } = await shownPanel();
  panel.webview.simulateMessage({ type: 'approve', approvalId });
  panel.webview.simulateMessage({ type: 'approve', approvalId });
  panel.webview.simulateMessage({ type: 'reject', approvalId });
  assert.equal(await decision, 'approved');
  assert.equal(double.logs.filter((l) => /: approved$/.test(l.message)).length, 1);
});

test('Approve while the panel is hidden is ignored', async () => {
  const { panel, decision, approvalId } = await shownPanel();
  panel.visible = false;
  panel.webview.simulateMessage({ type: 'approve', approvalId });
  assert.equal(await stateOf(decision), 'pending');
  panel.visible = true;
  panel.webview.simulateMessage({ type: 'approve', approvalId });
  assert.equal(await decision, 'approved');
});

test('Approve after the request expired is ignored', async () => {
  const { panel, decision, approvalId } = await shownPanel(
    hostileRequest({ expiresAt: new Date(Date.now() - 1000).toISOString() }),
  );
  panel.webview.simulateMessage({ type: 'approve', approvalId });
  assert.equal(await stateOf(decision), 'pending');
});

test('high risk: Approve asks a native modal, and Apply approves', async () => {
  const { panel, decision, approvalId } = await shownPanel(highRiskRequest());
  double.messageAnswers.push('Apply');
  panel.webview.simulateMessage({ type: 'approve', approvalId });
  assert.equal(await decision, 'approved');
  assert.equal(double.messages.length, 1);
  const modal = double.messages[0]!;
  assert.equal(modal.level, 'warning');
  assert.equal(modal.modal, true);
  assert.match(modal.message, /^Apply changes to 1 workload\(s\) on ctx-/);
  assert.match(modal.detail ?? '', /Risk HIGH\.\n• memory limit cut by more than half/);
});

test('high risk: a dismissed modal approves nothing and keeps the panel open for another try', async () => {
  const { panel, decision, approvalId } = await shownPanel(highRiskRequest());
  double.messageAnswers.push(undefined);
  panel.webview.simulateMessage({ type: 'approve', approvalId });
  assert.equal(await stateOf(decision), 'pending');
  assert.ok(!panel.disposed);
  assert.deepEqual(panel.webview.posted.at(-1), { type: 'confirmationDeclined', approvalId });

  double.messageAnswers.push('Apply');
  panel.webview.simulateMessage({ type: 'approve', approvalId });
  assert.equal(await decision, 'approved');
  assert.equal(double.messages.length, 2);
});

test('high risk: a second Approve while the modal is open opens no second modal', async () => {
  const { panel, decision, approvalId } = await shownPanel(highRiskRequest());
  double.messageAnswers.push('Apply');
  panel.webview.simulateMessage({ type: 'approve', approvalId });
  panel.webview.simulateMessage({ type: 'approve', approvalId });
  assert.equal(await decision, 'approved');
  assert.equal(double.messages.length, 1);
});

test('high risk: closing the panel while the modal is open rejects, whatever the modal says', async () => {
  const { panel, decision, approvalId } = await shownPanel(highRiskRequest());
  let answer: (value: string) => void = () => {};
  double.messageAnswers.push(new Promise<string>((resolve) => (answer = resolve)));
  panel.webview.simulateMessage({ type: 'approve', approvalId });
  await settle();
  assert.equal(double.messages.length, 1, 'the modal is open');
  panel.dispose();
  answer('Apply');
  assert.equal(await decision, 'rejected');
  await settle();
  assert.equal(double.logs.filter((l) => /: approved$/.test(l.message)).length, 0);
});

test('Reject rejects and closes the panel', async () => {
  const { panel, decision, approvalId } = await shownPanel();
  panel.webview.simulateMessage({ type: 'reject', approvalId });
  assert.equal(await decision, 'rejected');
  assert.ok(panel.disposed);
});

test('closing the panel rejects', async () => {
  const { panel, decision } = await shownPanel();
  panel.dispose();
  assert.equal(await decision, 'rejected');
});

test('a withdrawn request (expired or superseded) closes its panel, and later clicks do nothing', async () => {
  const controller = new AbortController();
  const { panel, decision, approvalId } = await shownPanel(hostileRequest(), controller.signal);
  controller.abort();
  assert.ok(panel.disposed);
  assert.deepEqual(panel.webview.posted.at(-1), { type: 'expired', approvalId });
  await decision;
  panel.webview.simulateMessage({ type: 'approve', approvalId });
  await settle();
  assert.equal(double.logs.filter((l) => /: approved$/.test(l.message)).length, 0);
});

test('a request withdrawn before it is shown opens no panel', async () => {
  const controller = new AbortController();
  controller.abort();
  await newSurface().decide(hostileRequest(), controller.signal);
  assert.equal(double.panels.length, 0);
});

test('details the page would refuse fall back to the summary, so the person can still decide', async () => {
  const request = hostileRequest();
  request.details!.monthlyCostDelta = Number.NaN;
  const { panel } = await shownPanel(request);
  const show = HostMessageSchema.parse(panel.webview.posted[0]);
  assert.ok(show.type === 'show');
  assert.deepEqual(show.view.workloads, []);
  assert.equal(show.view.summary, request.summary);
  assert.ok(double.logs.some((l) => l.level === 'error' && /showing the summary/.test(l.message)));
});
