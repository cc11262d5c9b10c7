// "Approve and resize running pods" (Kubernetes ≥ 1.33): the panel answers 'approved-resize' only for that
// button, only where the authority offered it, and asks the same native confirmation as Approve.
import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import { ApprovalAuthority } from '../../../../src/core/approval/authority.js';
import { bindingOf, type ApprovalRequest } from '../../../../src/core/approval/approval-request.js';
import { HostMessageSchema } from '../../../../src/extension/approval/panel-protocol.js';
import { double } from '../../../support/vscode-double/vscode.js';
import {
  HOSTILE_POD,
  hostileRequest,
  newSurface,
  openPanel,
  resizeRequest,
  settle,
  stateOf,
} from './approval-fixtures.js';

beforeEach(() => double.reset());

async function shownPanel(request: ApprovalRequest) {
  const opened = openPanel(request);
  opened.panel.webview.simulateMessage({ type: 'ready', approvalId: opened.approvalId });
  await settle();
  return opened;
}

function shownView(posted: unknown[]) {
  const show = HostMessageSchema.parse(posted[0]);
  assert.ok(show.type === 'show');
  return show.view;
}

function highRisk(request: ApprovalRequest): ApprovalRequest {
  request.risk = 'HIGH';
  request.details!.risk = { level: 'HIGH', reasons: ['memory limit cut by more than half'] };
  return request;
}

const ignoredResize = () => double.logs.filter((l) => /ignored Approve and resize/.test(l.message));

test('an offered resize reaches the page with every pod, as data', async () => {
  const request = resizeRequest();
  const { panel } = await shownPanel(request);
  const view = shownView(panel.webview.posted);
  assert.equal(view.resizeOffered, true);
  assert.deepEqual(view.workloads[0]!.inPlaceResize, request.details!.workloads[0]!.inPlaceResize);
  assert.equal(view.workloads[0]!.inPlaceResize!.pods[0]!.name, HOSTILE_POD);
});

test('"Approve and resize running pods" answers approved-resize and closes the panel', async () => {
  const { panel, decision, approvalId } = await shownPanel(resizeRequest());
  panel.webview.simulateMessage({ type: 'approve', approvalId, resizeRunningPods: true });
  assert.equal(await decision, 'approved-resize');
  assert.ok(panel.disposed);
  assert.equal(double.messages.length, 0, 'low risk asks no modal');
  assert.ok(double.logs.some((l) => /: approved-resize$/.test(l.message)));
});

test('plain Approve on a request offering the resize still answers approved (the pods roll out)', async () => {
  for (const message of [{}, { resizeRunningPods: false }]) {
    double.reset();
    const { panel, decision, approvalId } = await shownPanel(resizeRequest());
    panel.webview.simulateMessage({ type: 'approve', approvalId, ...message });
    assert.equal(await decision, 'approved');
  }
});

test('asking to resize where nothing was offered approves nothing, is logged, and Approve still works', async () => {
  const notOffered: Array<[string, ApprovalRequest]> = [
    ['no resizeOption', hostileRequest()],
    ['resizeOption without pod details', hostileRequest({ resizeOption: { planHash: 'hash-1-resize' } })],
    ['pod details without resizeOption', resizeRequest({ resizeOption: undefined })],
  ];
  for (const [label, request] of notOffered) {
    double.reset();
    const { panel, decision, approvalId } = await shownPanel(request);
    assert.equal(shownView(panel.webview.posted).resizeOffered, false, label);
    panel.webview.simulateMessage({ type: 'approve', approvalId, resizeRunningPods: true });
    assert.equal(await stateOf(decision), 'pending', label);
    assert.ok(!panel.disposed, label);
    assert.equal(ignoredResize().length, 1, label);
    panel.webview.simulateMessage({ type: 'approve', approvalId });
    assert.equal(await decision, 'approved', label);
  }
});

test('details the page would refuse drop the resize choice with them', async () => {
  const request = resizeRequest();
  request.details!.monthlyCostDelta = Number.NaN;
  const { panel, decision, approvalId } = await shownPanel(request);
  const view = shownView(panel.webview.posted);
  assert.deepEqual(view.workloads, [], 'only the summary is shown');
  assert.equal(view.resizeOffered, false);
  panel.webview.simulateMessage({ type: 'approve', approvalId, resizeRunningPods: true });
  assert.equal(await stateOf(decision), 'pending');
  assert.equal(ignoredResize().length, 1);
});

test('a resize request that is not a boolean is a malformed message', async () => {
  const { panel, decision, approvalId } = await shownPanel(resizeRequest());
  for (const resizeRunningPods of ['true', 1, null, { yes: true }])
    panel.webview.simulateMessage({ type: 'approve', approvalId, resizeRunningPods });
  panel.webview.simulateMessage({ type: 'approve-resize', approvalId });
  assert.equal(await stateOf(decision), 'pending');
  assert.equal(double.logs.filter((l) => /ignored a malformed message/.test(l.message)).length, 5);
});

test('resize before the page is ready, or while the panel is hidden, is ignored', async () => {
  const early = openPanel(resizeRequest());
  early.panel.webview.simulateMessage({
    type: 'approve',
    approvalId: early.approvalId,
    resizeRunningPods: true,
  });
  assert.equal(await stateOf(early.decision), 'pending');

  const { panel, decision, approvalId } = await shownPanel(resizeRequest());
  panel.visible = false;
  panel.webview.simulateMessage({ type: 'approve', approvalId, resizeRunningPods: true });
  assert.equal(await stateOf(decision), 'pending');
  panel.visible = true;
  panel.webview.simulateMessage({ type: 'approve', approvalId, resizeRunningPods: true });
  assert.equal(await decision, 'approved-resize');
});

test('high risk: the resize button asks the same native modal, naming the resize and the pods', async () => {
  const { panel, decision, approvalId } = await shownPanel(highRisk(resizeRequest()));
  double.messageAnswers.push('Apply');
  panel.webview.simulateMessage({ type: 'approve', approvalId, resizeRunningPods: true });
  assert.equal(await decision, 'approved-resize');
  assert.equal(double.messages.length, 1);
  const modal = double.messages[0]!;
  assert.equal(modal.modal, true);
  assert.deepEqual(modal.buttons, ['Apply']);
  assert.match(
    modal.message,
    /^Apply changes to 1 workload\(s\) on ctx-.* and resize their running pods in place\?$/s,
  );
  assert.match(modal.detail ?? '', /Risk HIGH\.\n• memory limit cut by more than half/);
  assert.match(
    modal.detail ?? '',
    /Running pods: 1 resized in place without a restart, 1 with a container restart/,
  );
});

test('high risk: a declined modal approves nothing, and either button may ask again', async () => {
  const { panel, decision, approvalId } = await shownPanel(highRisk(resizeRequest()));
  double.messageAnswers.push(undefined);
  panel.webview.simulateMessage({ type: 'approve', approvalId, resizeRunningPods: true });
  assert.equal(await stateOf(decision), 'pending');
  assert.deepEqual(panel.webview.posted.at(-1), { type: 'confirmationDeclined', approvalId });

  double.messageAnswers.push('Apply');
  panel.webview.simulateMessage({ type: 'approve', approvalId });
  assert.equal(await decision, 'approved', 'plain Approve, confirmed');
  assert.equal(double.messages.length, 2);
  assert.doesNotMatch(double.messages[1]!.message, /resize/, 'the modal names what was clicked');
});

test('high risk: a second click of either button while the modal is open opens no second modal', async () => {
  const { panel, decision, approvalId } = await shownPanel(highRisk(resizeRequest()));
  let answer: (value: string) => void = () => {};
  double.messageAnswers.push(new Promise<string>((resolve) => (answer = resolve)));
  panel.webview.simulateMessage({ type: 'approve', approvalId, resizeRunningPods: true });
  panel.webview.simulateMessage({ type: 'approve', approvalId });
  panel.webview.simulateMessage({ type: 'approve', approvalId, resizeRunningPods: true });
  await settle();
  assert.equal(double.messages.length, 1);
  answer('Apply');
  assert.equal(await decision, 'approved-resize', 'the click the modal confirmed');
});

test('through the authority: the resize click yields a token bound to the resize plan, not the plain one', async () => {
  const { expiresAt: _expiresAt, ...input } = resizeRequest();
  const authority = new ApprovalAuthority({ surface: newSurface() });
  try {
    const outcome = authority.requestApproval(input, { waitMs: 5_000 });
    await settle();
    const panel = double.panels.at(-1)!;
    const approvalId = /<meta name="krr-approval-id" content="([^"]+)">/.exec(panel.webview.html)![1]!;
    panel.webview.simulateMessage({ type: 'ready', approvalId });
    await settle();
    panel.webview.simulateMessage({ type: 'approve', approvalId, resizeRunningPods: true });
    const result = await outcome;
    assert.ok(result.status === 'approved');
    assert.equal(result.resizeRunningPods, true);
    const binding = bindingOf(input);
    assert.deepEqual(authority.checkToken(result.token, { ...binding, planHash: 'hash-1-resize' }), {
      ok: true,
    });
    assert.equal(authority.checkToken(result.token, binding).ok, false);
  } finally {
    authority.close();
  }
});
