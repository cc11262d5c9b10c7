import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { verifyAuditLog } from '../../../src/core/audit/verify.js';
import { BrokerClient } from '../../../src/core/approval/ipc/client.js';
import { decodeToken, encodeToken } from '../../../src/core/approval/token-format.js';
import { runCli } from '../../support/cli/run-cli.js';
import { startApprovalEnvironment, type ApprovalEnvironment } from '../../support/approval-environment.js';
import { startEngineEnvironment, type EngineEnvironment } from '../../support/engine-environment.js';

// The whole pipeline over stdio: the built server, the real SDK client, the headless authority (real
// broker, tokens, executor, snapshots, audit log) with a scripted person, the simulator and Prometheus.
// After every step the simulator's objects are read back.

let env: EngineEnvironment;
let approval: ApprovalEnvironment;
let client: Client;

type Result = {
  isError?: boolean;
  content: Array<{ type: string; text?: string }>;
  structuredContent?: Record<string, unknown>;
};
const call = async (name: string, args: Record<string, unknown> = {}) =>
  (await client.callTool({ name, arguments: args }, undefined, { timeout: 180_000 })) as Result;
const text = (r: Result) => r.content.map((c) => c.text ?? '').join('\n');
const data = <T>(r: Result) => {
  assert.notEqual(r.isError, true, text(r));
  return r.structuredContent as T;
};

type Resources = { requests?: Record<string, string>; limits?: Record<string, string> };
function containerResources(kind: string, namespace: string, name: string, container: string): Resources {
  const object = env.kube.store.get(kind, namespace, name) as unknown as {
    spec: { template: { spec: { containers: Array<{ name: string; resources?: Resources }> } } };
  };
  return object.spec.template.spec.containers.find((c) => c.name === container)?.resources ?? {};
}
function resourceVersion(kind: string, namespace: string, name: string): string {
  return (env.kube.store.get(kind, namespace, name) as unknown as { metadata: { resourceVersion: string } })
    .metadata.resourceVersion;
}

type Confirmation = { plan_id: string; status: string; confirmation_token: string | null; message: string };
type Applied = {
  status: string;
  rollback_id: string | null;
  objects: Array<{ name: string; status: string }>;
};

/** Previews, asks for confirmation, and lets the scripted person decide while the tool call waits. */
async function confirm(
  planArgs: Record<string, unknown>,
  decision: 'approved' | 'rejected' | 'none' = 'approved',
) {
  await call('scan_recommendations', { limit: 1 });
  const plan = data<{ plan_id: string; blocked: boolean }>(await call('preview_changes', planArgs));
  const pending = call('request_confirmation', { plan_id: plan.plan_id, reason: '<b>save money</b>' });
  if (decision !== 'none') {
    const shown = await approval.surface.nextRequest();
    assert.equal(shown.request.planId, plan.plan_id);
    shown.decide(decision);
  }
  return { plan, answer: data<Confirmation>(await pending) };
}

before(async () => {
  env = await startEngineEnvironment();
  approval = await startApprovalEnvironment(env);
  ({ client } = await approval.connectServer());
});

after(async () => {
  await approval?.stop();
  await env?.stop();
});

describe('scan → preview → confirm → apply → history → rollback', () => {
  let rollbackId: string;
  const original = () => containerResources('Deployment', 'shop', 'web', 'app');
  let before: Resources;

  test('health_check reports the approval surface as connected', async () => {
    before = original();
    const health = data<{ approval: { ok: boolean; detail: string } }>(await call('health_check'));
    assert.equal(health.approval.ok, true, health.approval.detail);
  });

  test('the person sees the cluster and the values the API server accepted; Approve releases a token', async () => {
    const { answer } = await confirm({ recommendation_ids: ['engine-test/shop/Deployment/web/app'] });
    assert.equal(answer.status, 'approved');
    assert.ok(answer.confirmation_token);
    const shown = approval.surface.shown.at(-1)!.request;
    assert.equal(shown.cluster.context, 'engine-test');
    assert.equal(shown.cluster.server, env.kube.url);
    assert.match(shown.summary, /Deployment shop\/web app requests\.cpu: 500m → 400m/);
    assert.match(
      shown.summary,
      /Agent's reason: <b>save money<\/b>/,
      'the reason is passed on as text, labelled',
    );
    assert.deepEqual(original(), before, 'approval alone writes nothing');

    const applied = data<Applied>(
      await call('apply_recommendations', { confirmation_token: answer.confirmation_token }),
    );
    assert.equal(applied.status, 'applied');
    assert.ok(applied.rollback_id);
    rollbackId = applied.rollback_id!;
    const after = original();
    assert.equal(after.requests?.cpu, '400m');
    assert.equal(after.requests?.memory, '692Mi');
    assert.equal(after.limits?.cpu, undefined, "krr's unset CPU limit was removed");
    assert.deepEqual(
      containerResources('Deployment', 'shop', 'web', 'sidecar'),
      { requests: { cpu: '50m', memory: '64Mi' } },
      'other containers untouched',
    );

    const replay = await call('apply_recommendations', { confirmation_token: answer.confirmation_token });
    assert.equal(replay.isError, true);
    assert.match(text(replay), /already used|replayed/i);
  });

  test('get_execution_history shows the plan, the approval, every write and the tool calls', async () => {
    const history = data<{ records: Array<{ operation: string; status: string }> }>(
      await call('get_execution_history', { limit: 100 }),
    );
    const operations = new Set(history.records.map((r) => r.operation));
    for (const op of [
      'plan',
      'approved',
      'token_redeemed',
      'apply_started',
      'snapshot',
      'patch',
      'apply_completed',
      'tool_call',
    ]) {
      assert.ok(operations.has(op), `${op} missing from ${[...operations].join(', ')}`);
    }
    const applies = data<{ records: Array<{ operation: string }> }>(
      await call('get_execution_history', { operation_filter: ['apply_completed'] }),
    );
    assert.ok(applies.records.length >= 1);
    assert.ok(applies.records.every((r) => r.operation === 'apply_completed'));
  });

  test('rollback_changes restores the exact previous values, through the same approval', async () => {
    const planned = await (async () => {
      const pending = call('rollback_changes', { rollback_id: rollbackId });
      const shown = await approval.surface.nextRequest();
      assert.match(shown.request.summary, /requests\.cpu: 400m → 500m/);
      shown.decide('approved');
      return data<Confirmation>(await pending);
    })();
    assert.equal(planned.status, 'approved');
    const applied = data<Applied>(
      await call('rollback_changes', {
        rollback_id: rollbackId,
        confirmation_token: planned.confirmation_token,
      }),
    );
    assert.equal(applied.status, 'applied');
    const restored = original();
    assert.equal(restored.requests?.cpu, '500m');
    assert.equal(restored.requests?.memory, '512Mi');
    assert.equal(restored.limits?.cpu, '1', 'the removed CPU limit is back');
  });

  test('the audit log verifies as intact', async () => {
    await approval.audit.idle();
    const report = await verifyAuditLog(approval.auditPath);
    assert.equal(report.ok, true, JSON.stringify(report.problems));
    assert.ok(report.records > 10);
  });
});

describe('attacks that must fail and leave the cluster untouched', () => {
  const target = ['Deployment', 'shop', 'queue-consumer'] as const;
  const snapshot = () => JSON.stringify(containerResources(...target, 'app'));
  const change = {
    changes: [
      {
        kind: 'Deployment',
        namespace: 'shop',
        name: 'queue-consumer',
        containers: [{ container: 'app', requests: { cpu: '60m' } }],
      },
    ],
  };

  test('no token, a forged token, a token with another plan id: refused', async () => {
    const unchanged = snapshot();
    assert.equal((await call('apply_recommendations', {})).isError, true);
    const forged = await call('apply_recommendations', {
      confirmation_token: 'djEuZm9yZ2VkLjE3MDAwMDAwMDAuYWJjLmRlZg',
    });
    assert.equal(forged.isError, true);
    const { answer } = await confirm(change);
    const other = await confirm({
      changes: [{ ...change.changes[0], containers: [{ container: 'app', requests: { cpu: '70m' } }] }],
    });
    const fields = decodeToken(answer.confirmation_token)!;
    const swapped = encodeToken({ ...fields, planId: other.plan.plan_id });
    const result = await call('apply_recommendations', { confirmation_token: swapped });
    assert.equal(result.isError, true);
    assert.match(text(result), /not issued by this approval authority, was altered/);
    assert.equal(snapshot(), unchanged);
  });

  test('an object changed between approval and apply: the token no longer fits (stale objects)', async () => {
    const { answer } = await confirm(change);
    const object = env.kube.store.get(...target) as unknown as {
      metadata: { labels: Record<string, string> };
    };
    object.metadata.labels = { ...object.metadata.labels, touched: 'by-someone-else' };
    env.kube.store.put(object as never);
    const changed = snapshot();
    const result = await call('apply_recommendations', { confirmation_token: answer.confirmation_token });
    assert.equal(result.isError, true);
    assert.match(text(result), /changed|stale/i);
    assert.equal(snapshot(), changed, 'nothing written');
  });

  test('an expired token is refused', async () => {
    const { answer } = await confirm(change);
    const rv = resourceVersion(...target);
    approval.advanceClock(301_000);
    const result = await call('apply_recommendations', { confirmation_token: answer.confirmation_token });
    assert.equal(result.isError, true);
    assert.match(text(result), /expired/i);
    assert.equal(resourceVersion(...target), rv);
  });

  test('dry_run checks the token without using it up or writing', async () => {
    const { answer } = await confirm(change);
    const rv = resourceVersion(...target);
    const dry = data<Applied>(
      await call('apply_recommendations', { confirmation_token: answer.confirmation_token, dry_run: true }),
    );
    assert.equal(dry.status, 'dry-run');
    assert.equal(resourceVersion(...target), rv);
    const real = data<Applied>(
      await call('apply_recommendations', { confirmation_token: answer.confirmation_token }),
    );
    assert.equal(real.status, 'applied');
    assert.equal(containerResources(...target, 'app').requests?.cpu, '60m');
  });

  test('rejection and waiting are answers, not errors, and give no token', async () => {
    const rejected = await confirm(change, 'rejected');
    assert.deepEqual([rejected.answer.status, rejected.answer.confirmation_token], ['rejected', null]);
    const waiting = await confirm(
      { changes: [{ ...change.changes[0], containers: [{ container: 'app', requests: { cpu: '80m' } }] }] },
      'none',
    );
    assert.deepEqual([waiting.answer.status, waiting.answer.confirmation_token], ['pending', null]);
    // Polling with the same plan id joins the open request; the click then releases the token.
    const poll = call('request_confirmation', { plan_id: waiting.plan.plan_id });
    (await approval.surface.nextRequest()).decide('approved');
    assert.equal(data<Confirmation>(await poll).status, 'approved');
  });

  test('a blocked plan cannot be sent for approval', async () => {
    const unsafe = {
      changes: [
        {
          kind: 'StatefulSet',
          namespace: 'shop',
          name: 'postgres',
          containers: [{ container: 'postgres', requests: { memory: '512Mi' }, limits: { memory: '512Mi' } }],
        },
      ],
    };
    const plan = data<{ plan_id: string; blocked: boolean }>(await call('preview_changes', unsafe));
    assert.equal(plan.blocked, true);
    const result = await call('request_confirmation', { plan_id: plan.plan_id });
    assert.equal(result.isError, true);
    assert.match(text(result), /cannot be approved/);
  });

  test('a wrong IPC secret, or a secret used a second time, does not connect', async () => {
    const { ipcPath, secret } = approval.authority.issueSecret();
    const wrong = await runCli(
      ['serve'],
      { ...approval.serverEnv(), KRR_MCP_IPC_PATH: ipcPath, KRR_MCP_IPC_SECRET: 'f'.repeat(64) },
      30_000,
    );
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /Cannot connect to the krr-mcp approval authority/);
    assert.doesNotMatch(wrong.stderr, /f{64}/, 'the secret is never printed');
    const missing = await runCli(['serve'], { ...approval.serverEnv(), KRR_MCP_IPC_PATH: ipcPath }, 30_000);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /KRR_MCP_IPC_PATH and KRR_MCP_IPC_SECRET must be set together/);
    const first = await approval.connectServer({ KRR_MCP_IPC_PATH: ipcPath, KRR_MCP_IPC_SECRET: secret });
    assert.equal(
      data<{ approval: { ok: boolean } }>(
        (await first.client.callTool({ name: 'health_check', arguments: {} })) as Result,
      ).approval.ok,
      true,
    );
    const second = await runCli(
      ['serve'],
      { ...approval.serverEnv(), KRR_MCP_IPC_PATH: ipcPath, KRR_MCP_IPC_SECRET: secret },
      30_000,
    );
    assert.equal(second.code, 1);
    assert.match(second.stderr, /Cannot connect/);
    assert.ok(approval.authority.broker.unauthorizedAttempts >= 2);
  });

  test('a failure on the 3rd of 5 workloads restores the first two; the audit tells every step', async () => {
    const names = ['api.v2', 'apixv2', 'cart', 'checkout', 'idle'];
    const before = names.map((name) => JSON.stringify(containerResources('Deployment', 'shop', name, 'app')));
    const { answer } = await confirm({
      changes: names.map((name) => ({
        kind: 'Deployment',
        namespace: 'shop',
        name,
        containers: [{ container: 'app', requests: { cpu: '150m' } }],
      })),
    });
    assert.equal(answer.status, 'approved');
    // The real (not dry-run) PATCH of the 3rd workload fails with a 500.
    env.kube.faults.add({ method: 'PATCH', path: /\/deployments\/cart$/, status: 500 });
    try {
      const result = data<Applied>(
        await call('apply_recommendations', { confirmation_token: answer.confirmation_token }),
      );
      assert.equal(result.status, 'failed-restored');
      const states = Object.fromEntries(result.objects.map((o) => [o.name, o.status]));
      assert.equal(states['api.v2'], 'restored');
      assert.equal(states.apixv2, 'restored');
      assert.equal(states.cart, 'failed');
    } finally {
      env.kube.faults.clear();
    }
    assert.deepEqual(
      names.map((name) => JSON.stringify(containerResources('Deployment', 'shop', name, 'app'))),
      before,
      'the cluster is as it was before the apply',
    );
    await approval.audit.idle();
    const history = data<{ records: Array<{ operation: string; status: string }> }>(
      await call('get_execution_history', { limit: 30 }),
    );
    const operations = history.records.map((r) => r.operation);
    for (const op of ['apply_failed', 'restore', 'patch', 'snapshot'])
      assert.ok(operations.includes(op), `${op} missing`);
  });

  test('a plan edited after approval (same plan id, other values): the old token does not apply the new plan', async () => {
    // Plays a compromised MCP server talking to the authority directly over the broker.
    const { ipcPath, secret } = approval.authority.issueSecret();
    const broker = await BrokerClient.connect(ipcPath, secret);
    try {
      const request = (cpu: string) => ({
        workloads: [
          {
            kind: 'Deployment',
            namespace: 'shop',
            name: 'queue-consumer',
            containers: [{ container: 'app', requests: { cpu }, source: 'agent' }],
          },
        ],
      });
      const approving = broker.call<{ status: string; token: string }>(
        'confirm',
        { planId: 'edited-plan', context: 'engine-test', request: request('90m') },
        { timeoutMs: 60_000 },
      );
      (await approval.surface.nextRequest()).decide('approved');
      const approved = await approving;
      assert.equal(approved.status, 'approved');
      const editing = broker.call(
        'confirm',
        { planId: 'edited-plan', context: 'engine-test', request: request('120m') },
        { timeoutMs: 60_000 },
      );
      await approval.surface.nextRequest(); // shown to the person, who does not approve it
      const rv = resourceVersion(...target);
      await assert.rejects(
        broker.call('apply', { token: approved.token }, { timeoutMs: 30_000 }),
        /plan|changed/i,
      );
      assert.equal(resourceVersion(...target), rv, 'nothing written');
      void editing.catch(() => {});
    } finally {
      broker.close();
    }
  });
});
