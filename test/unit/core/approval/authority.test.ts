import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ApprovalInput } from '../../../../src/core/approval/approval-request.js';
import { bindingOf } from '../../../../src/core/approval/approval-request.js';
import { ApprovalAuthority } from '../../../../src/core/approval/authority.js';
import { ScriptedDecisionSurface } from '../../../support/approval/scripted-decision-surface.js';

const input = (planHash = 'h1'): ApprovalInput => ({
  planId: 'plan-1',
  planHash,
  summary: 'api: cpu 500m → 250m',
  cluster: { context: 'prod', server: 'https://10.0.0.1:6443' },
  objects: [{ kind: 'Deployment', namespace: 'shop', name: 'api', uid: 'u1', resourceVersion: '7' }],
  risk: 'low',
});

function setup(options: { decisionTimeoutMs?: number } = {}) {
  const surface = new ScriptedDecisionSurface();
  const authority = new ApprovalAuthority({ surface, ...options });
  return { surface, authority };
}

test('an Approve click mints a token bound to the request', async () => {
  const { surface, authority } = setup();
  const outcome = authority.requestApproval(input());
  const shown = await surface.nextRequest();
  assert.equal(shown.request.planId, 'plan-1');
  assert.ok(Date.parse(shown.request.expiresAt) > Date.now());
  shown.decide('approved');
  const result = await outcome;
  assert.equal(result.status, 'approved');
  assert.ok(result.status === 'approved');
  assert.ok(Date.parse(result.tokenExpiresAt) > Date.now());
  assert.deepEqual(authority.redeem(result.token, bindingOf(input())), { ok: true });
  assert.equal(shown.signal.aborted, true, 'the surface is told the request is over');
});

test('a Reject click gives no token', async () => {
  const { surface, authority } = setup();
  const outcome = authority.requestApproval(input());
  (await surface.nextRequest()).decide('rejected');
  assert.deepEqual(await outcome, { status: 'rejected', planId: 'plan-1' });
});

test('no click within the wait answers pending; a poll later collects the token, once', async () => {
  const { surface, authority } = setup();
  const progress: string[] = [];
  const first = await authority.requestApproval(input(), {
    waitMs: 60,
    progressIntervalMs: 10,
    onProgress: (m) => progress.push(m),
  });
  assert.equal(first.status, 'pending');
  assert.ok(progress.length >= 2);
  assert.match(progress[0] ?? '', /plan-1/);
  (await surface.nextRequest()).decide('approved');
  const polled = await authority.pollApproval('plan-1', { waitMs: 1000 });
  assert.equal(polled?.status, 'approved');
  assert.equal(await authority.pollApproval('plan-1', { waitMs: 10 }), undefined);
});

test('asking again for the same plan joins the open request instead of opening another panel', async () => {
  const { surface, authority } = setup();
  const a = authority.requestApproval(input(), { waitMs: 5000 });
  const b = authority.requestApproval(input(), { waitMs: 5000 });
  (await surface.nextRequest()).decide('approved');
  const [ra, rb] = await Promise.all([a, b]);
  assert.equal(surface.shown.length, 1);
  assert.equal(ra.status, 'approved');
  assert.equal(rb.status, 'approved');
});

test('a new version of the plan withdraws the old request', async () => {
  const { surface, authority } = setup();
  const old = authority.requestApproval(input('h1'), { waitMs: 5000 });
  const oldShown = await surface.nextRequest();
  const fresh = authority.requestApproval(input('h2'), { waitMs: 5000 });
  const oldResult = await old;
  assert.equal(oldResult.status, 'cancelled');
  assert.equal(oldShown.signal.aborted, true);
  oldShown.decide('approved'); // a click on the stale panel mints nothing
  const freshShown = await surface.nextRequest();
  assert.equal(freshShown.request.planHash, 'h2');
  freshShown.decide('approved');
  const result = await fresh;
  assert.ok(result.status === 'approved');
  assert.equal(authority.redeem(result.token, bindingOf(input('h1'))).ok, false);
  assert.deepEqual(authority.redeem(result.token, bindingOf(input('h2'))), { ok: true });
});

test('a request nobody decides expires, and a late click mints nothing', async () => {
  const { surface, authority } = setup({ decisionTimeoutMs: 30 });
  const outcome = authority.requestApproval(input(), { waitMs: 5000 });
  const shown = await surface.nextRequest();
  assert.deepEqual(await outcome, { status: 'expired', planId: 'plan-1' });
  assert.equal(shown.signal.aborted, true);
  shown.decide('approved');
  await new Promise((r) => setImmediate(r));
  assert.equal(await authority.pollApproval('plan-1', { waitMs: 10 }), undefined);
});

test('a failing surface cancels the request', async () => {
  const authority = new ApprovalAuthority({
    surface: { decide: () => Promise.reject(new Error('panel could not open')) },
  });
  const outcome = await authority.requestApproval(input());
  assert.equal(outcome.status, 'cancelled');
  assert.match(outcome.status === 'cancelled' ? outcome.reason : '', /panel could not open/);
});

test('a caller that goes away stops waiting without withdrawing the request', async () => {
  const { surface, authority } = setup();
  const controller = new AbortController();
  const outcome = authority.requestApproval(input(), { waitMs: 60_000, signal: controller.signal });
  const shown = await surface.nextRequest();
  controller.abort();
  assert.equal((await outcome).status, 'pending');
  assert.equal(shown.signal.aborted, false);
  shown.decide('approved');
  assert.equal((await authority.pollApproval('plan-1'))?.status, 'approved');
});

test('close withdraws open requests', async () => {
  const { surface, authority } = setup();
  const outcome = authority.requestApproval(input(), { waitMs: 60_000 });
  const shown = await surface.nextRequest();
  authority.close();
  assert.equal((await outcome).status, 'cancelled');
  assert.equal(shown.signal.aborted, true);
});

test('a binding no token could carry is refused before anyone is asked', async () => {
  const { surface, authority } = setup();
  await assert.rejects(authority.requestApproval({ ...input(), planId: '' }), RangeError);
  assert.equal(surface.shown.length, 0);
});

test('only the exact answer approved mints', async () => {
  const authority = new ApprovalAuthority({
    surface: { decide: async () => 'yes' as unknown as 'approved' },
  });
  assert.equal((await authority.requestApproval(input())).status, 'rejected');
});
