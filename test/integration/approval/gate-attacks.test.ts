import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { BrokerClient } from '../../../src/core/approval/ipc/client.js';
import type { BrokerCallError } from '../../../src/core/approval/ipc/errors.js';
import { readFileSync } from 'node:fs';
import { startApprovalEnvironment, type ApprovalEnvironment } from '../../support/approval-environment.js';
import { startEngineEnvironment, type EngineEnvironment } from '../../support/engine-environment.js';

// The gate against a hostile client of the broker (an agent with the same user's shell can read the broker
// descriptor and connect): it cannot write what only the authority writes, cannot collect a token someone
// else's click released, and cannot spend an ordinary token on a rollback.

let env: EngineEnvironment;
let approval: ApprovalEnvironment;
let agent: Client;
let hostile: BrokerClient;

type Result = {
  isError?: boolean;
  content: Array<{ text?: string }>;
  structuredContent?: Record<string, unknown>;
};
const call = async (name: string, args: Record<string, unknown> = {}) =>
  (await agent.callTool({ name, arguments: args }, undefined, { timeout: 120_000 })) as Result;
const text = (r: Result) => r.content.map((c) => c.text ?? '').join('\n');
const data = <T>(r: Result) => {
  assert.notEqual(r.isError, true, text(r));
  return r.structuredContent as T;
};
async function refusal(work: Promise<unknown>): Promise<BrokerCallError> {
  try {
    await work;
  } catch (error) {
    return error as BrokerCallError;
  }
  assert.fail('expected the broker to refuse');
}
function cpuRequest(name: string): string | undefined {
  const object = env.kube.store.get('Deployment', 'shop', name) as unknown as {
    spec: {
      template: {
        spec: { containers: Array<{ name: string; resources?: { requests?: { cpu?: string } } }> };
      };
    };
  };
  return object.spec.template.spec.containers.find((c) => c.name === 'app')?.resources?.requests?.cpu;
}
const change = (cpu: string) => ({
  changes: [
    {
      kind: 'Deployment',
      namespace: 'shop',
      name: 'queue-consumer',
      containers: [{ container: 'app', requests: { cpu } }],
    },
  ],
});
type Confirmation = { plan_id: string; status: string; confirmation_token: string | null };

before(async () => {
  env = await startEngineEnvironment();
  approval = await startApprovalEnvironment(env);
  ({ client: agent } = await approval.connectServer());
  const { secret, ipcPath } = approval.authority.issueSecret();
  hostile = await BrokerClient.connect(ipcPath, secret, { clientVersion: 'hostile' });
});

after(async () => {
  hostile?.close();
  await approval?.stop();
  await env?.stop();
});

describe('a hostile broker client', () => {
  test('cannot write approval or apply records into the audit log; tool calls only', async () => {
    for (const operation of ['approved', 'apply_completed', 'token_redeemed']) {
      const error = await refusal(
        hostile.call('audit', {
          operation,
          status: 'ok',
          details: { planId: 'forged', note: 'looks legit' },
        }),
      );
      assert.equal(error.code, 'forbidden', operation);
    }
    await hostile.call('audit', {
      operation: 'tool_call',
      status: 'ok',
      details: { tool: 'scan_recommendations' },
    });
    await approval.audit.idle();
    const log = readFileSync(approval.auditPath, 'utf8');
    assert.doesNotMatch(log, /forged/, 'nothing forged was written');
    assert.match(log, /"actor":"mcp-server"/);
  });

  test("cannot join another client's open request, so the token goes only to the client that asked", async () => {
    await call('scan_recommendations', { limit: 1 });
    const plan = data<{ plan_id: string }>(await call('preview_changes', change('55m')));
    const pending = call('request_confirmation', { plan_id: plan.plan_id });
    const shown = await approval.surface.nextRequest();
    assert.equal(shown.request.planId, plan.plan_id);
    // The hostile client names the open plan to collect its outcome (or to replace it with a plan of its own).
    const joined = await refusal(
      hostile.call('confirm', {
        planId: plan.plan_id,
        context: 'engine-test',
        request: {
          workloads: change('55m').changes.map((w) => ({
            ...w,
            containers: w.containers.map((c) => ({ ...c, source: 'agent' })),
          })),
        },
      }),
    );
    assert.equal(joined.code, 'not-your-request');
    assert.match(joined.message, /awaiting approval for another client/);
    shown.decide('approved');
    const answer = data<Confirmation>(await pending);
    assert.equal(answer.status, 'approved');
    assert.ok(answer.confirmation_token);
  });

  test('a token approved for a change is refused by rollback_changes: rollback tokens are for that rollback', async () => {
    // A real apply, so that a rollback id exists.
    await call('scan_recommendations', { limit: 1 });
    const first = data<{ plan_id: string }>(await call('preview_changes', change('65m')));
    const confirming = call('request_confirmation', { plan_id: first.plan_id });
    (await approval.surface.nextRequest()).decide('approved');
    const token = data<Confirmation>(await confirming).confirmation_token!;
    const applied = data<{ rollback_id: string }>(
      await call('apply_recommendations', { confirmation_token: token }),
    );
    assert.equal(cpuRequest('queue-consumer'), '65m');

    // An ordinary approval for another change, handed to rollback_changes.
    const second = data<{ plan_id: string }>(await call('preview_changes', change('75m')));
    const confirmingSecond = call('request_confirmation', { plan_id: second.plan_id });
    (await approval.surface.nextRequest()).decide('approved');
    const other = data<Confirmation>(await confirmingSecond).confirmation_token!;
    const refused = await call('rollback_changes', {
      rollback_id: applied.rollback_id,
      confirmation_token: other,
    });
    assert.equal(refused.isError, true);
    assert.match(text(refused), /not approved for the rollback of/);
    assert.equal(cpuRequest('queue-consumer'), '65m', 'nothing was written');

    // Nor can a client name its own plan like that rollback's, to have a token bound to it by an approval
    // the person reads as an ordinary change.
    const squatted = await refusal(
      hostile.call('confirm', {
        planId: `rollback-${applied.rollback_id}`,
        context: 'engine-test',
        request: {
          workloads: change('5m').changes.map((w) => ({
            ...w,
            containers: w.containers.map((c) => ({ ...c, source: 'agent' })),
          })),
        },
      }),
    );
    assert.equal(squatted.code, 'invalid-params');
    assert.match(squatted.message, /plan_id may not start with "rollback-"/);
    assert.equal(cpuRequest('queue-consumer'), '65m', 'nothing was written');
  });
});
