import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { z } from 'zod';
import type { ApprovalOutcome, TokenBinding } from '../../support/approval/headless-authority.js';
import { HeadlessAuthority } from '../../support/approval/headless-authority.js';
import { BrokerClient } from '../../../src/core/approval/ipc/client.js';
import { BrokerCallError, BrokerError } from '../../../src/core/approval/ipc/errors.js';
import { ScriptedDecisionSurface } from '../../support/approval/scripted-decision-surface.js';

// A stand-in for the cluster as the authority re-reads it: the approval request and the redemption
// binding come from here, never from the caller's params.
const cluster = {
  context: 'prod',
  server: 'https://10.0.0.1:6443',
  objects: [{ kind: 'Deployment', namespace: 'shop', name: 'api', uid: 'u1', resourceVersion: '7' }],
};
const plans = new Map([['plan-1', { planHash: 'hash-1', summary: 'api: cpu 500m → 250m', risk: 'low' }]]);
const writes: string[] = [];

let dir: string;
let surface: ScriptedDecisionSurface;
let host: HeadlessAuthority;

function liveBinding(planId: string): TokenBinding {
  const plan = plans.get(planId);
  if (!plan) throw new BrokerError('unknown-plan', `no plan ${planId}; call preview_changes first`);
  return {
    planId,
    planHash: plan.planHash,
    server: cluster.server,
    context: cluster.context,
    objects: structuredClone(cluster.objects),
  };
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'krr-auth-'));
  surface = new ScriptedDecisionSurface();
  host = await HeadlessAuthority.start({ surface, baseDir: dir });
  host.broker.handle(
    'request_confirmation',
    z.object({ planId: z.string(), waitMs: z.number() }),
    async (p, ctx) => {
      const binding = liveBinding(p.planId);
      const plan = plans.get(p.planId)!;
      return host.authority.requestApproval(
        {
          planId: binding.planId,
          planHash: binding.planHash,
          summary: plan.summary,
          risk: plan.risk,
          cluster: { context: binding.context, server: binding.server },
          objects: binding.objects,
        },
        { waitMs: p.waitMs, onProgress: ctx.progress, progressIntervalMs: 10, signal: ctx.signal },
      );
    },
  );
  host.broker.handle('apply', z.object({ planId: z.string(), token: z.string() }), async (p) => {
    const redeemed = host.authority.redeem(p.token, liveBinding(p.planId));
    if (!redeemed.ok) throw new BrokerError(`token-${redeemed.reason}`, redeemed.message);
    writes.push(p.planId);
    return { applied: true };
  });
});

after(async () => {
  await host.close();
  await rm(dir, { recursive: true, force: true });
});

test('over the socket: request, a person approves, apply once; a replay is refused', async () => {
  const { secret, ipcPath } = host.issueSecret();
  const client = await BrokerClient.connect(ipcPath, secret);
  try {
    const progress: string[] = [];
    const pending = client.call<ApprovalOutcome>(
      'request_confirmation',
      { planId: 'plan-1', waitMs: 5000 },
      { onProgress: (m) => progress.push(m) },
    );
    const shown = await surface.nextRequest();
    assert.equal(shown.request.summary, 'api: cpu 500m → 250m');
    assert.deepEqual(shown.request.cluster, { context: 'prod', server: 'https://10.0.0.1:6443' });
    await new Promise((r) => setTimeout(r, 40));
    shown.decide('approved');
    const outcome = await pending;
    assert.ok(outcome.status === 'approved');
    assert.ok(progress.length > 0);
    assert.deepEqual(await client.call('apply', { planId: 'plan-1', token: outcome.token }), {
      applied: true,
    });
    const replay = await client
      .call('apply', { planId: 'plan-1', token: outcome.token })
      .catch((e: unknown) => e);
    assert.ok(replay instanceof BrokerCallError);
    assert.equal(replay.code, 'token-replayed');
    assert.deepEqual(writes, ['plan-1']);
  } finally {
    client.close();
  }
});

test('over the socket: a change in the cluster after approval makes the token stale', async () => {
  const { secret, ipcPath } = host.issueSecret();
  const client = await BrokerClient.connect(ipcPath, secret);
  try {
    const pending = client.call<ApprovalOutcome>('request_confirmation', { planId: 'plan-1', waitMs: 5000 });
    (await surface.nextRequest()).decide('approved');
    const outcome = await pending;
    assert.ok(outcome.status === 'approved');
    cluster.objects[0]!.resourceVersion = '8';
    const stale = await client
      .call('apply', { planId: 'plan-1', token: outcome.token })
      .catch((e: unknown) => e);
    assert.ok(stale instanceof BrokerCallError);
    assert.equal(stale.code, 'token-stale-objects');
    assert.match(stale.message, /preview_changes/);
  } finally {
    client.close();
  }
});

test('over the socket: no decision within the wait answers pending; the poll collects the rejection', async () => {
  const { secret, ipcPath } = host.issueSecret();
  const client = await BrokerClient.connect(ipcPath, secret);
  try {
    const first = await client.call<ApprovalOutcome>('request_confirmation', {
      planId: 'plan-1',
      waitMs: 30,
    });
    assert.equal(first.status, 'pending');
    (await surface.nextRequest()).decide('rejected');
    const second = await client.call<ApprovalOutcome>('request_confirmation', {
      planId: 'plan-1',
      waitMs: 5000,
    });
    assert.equal(second.status, 'rejected');
    assert.equal(surface.shown.length, 3, 'the poll joined the open request instead of showing a new one');
  } finally {
    client.close();
  }
});
