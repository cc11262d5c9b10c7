import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { startApprovalEnvironment, type ApprovalEnvironment } from '../../support/approval-environment.js';
import { startEngineEnvironment, type EngineEnvironment } from '../../support/engine-environment.js';

// The usage a plan is checked against belongs to the approval authority: it reads Prometheus itself with the
// person's settings. Before, it took the MCP server's cached scan, so an agent could switch the usage blocks
// off with its own scan settings, and an unreachable Prometheus let a deep cut through at MEDIUM risk.

let env: EngineEnvironment;

type Result = {
  isError?: boolean;
  content: Array<{ text?: string }>;
  structuredContent?: Record<string, unknown>;
};
const text = (r: Result) => r.content.map((c) => c.text ?? '').join('\n');

/** shop/web's app container: requests 500m / 512Mi, limits 1 / 512Mi; 601 MiB peak and 0.3995 p95 over 3 days. */
const webApp = (values: { requests?: Record<string, string>; limits?: Record<string, string> }) => ({
  changes: [
    { kind: 'Deployment', namespace: 'shop', name: 'web', containers: [{ container: 'app', ...values }] },
  ],
});

function agentOf(approval: ApprovalEnvironment) {
  let client: Client;
  const call = async (name: string, args: Record<string, unknown> = {}) =>
    (await client.callTool({ name, arguments: args }, undefined, { timeout: 120_000 })) as Result;
  return {
    connect: async (serverEnv: Record<string, string> = {}) =>
      ({ client } = await approval.connectServer(serverEnv)),
    call,
    /** Scans with the agent's settings (unless none), previews, and asks for confirmation. */
    async attempt(settings: Record<string, unknown> | undefined, change: ReturnType<typeof webApp>) {
      if (settings) {
        const scan = await call('scan_recommendations', { namespace: 'shop', settings, refresh: true });
        assert.notEqual(scan.isError, true, text(scan));
      }
      const preview = await call('preview_changes', change);
      assert.notEqual(preview.isError, true, text(preview));
      const plan = preview.structuredContent as { plan_id: string; blocked: boolean };
      const confirming = call('request_confirmation', { plan_id: plan.plan_id });
      return { preview: plan, confirming };
    },
  };
}

before(async () => {
  env = await startEngineEnvironment();
});
after(async () => {
  await env?.stop();
});

describe("the agent's scan settings do not weaken the usage blocks", () => {
  let approval: ApprovalEnvironment;
  let agent: ReturnType<typeof agentOf>;
  before(async () => {
    approval = await startApprovalEnvironment(env);
    agent = agentOf(approval);
    await agent.connect();
  });
  after(() => approval?.stop());

  test('history_duration 1: a memory limit under the 14-day peak is still blocked', async () => {
    const { preview, confirming } = await agent.attempt(
      { history_duration: 1 },
      webApp({ requests: { memory: '350Mi' }, limits: { memory: '350Mi' } }),
    );
    assert.equal(preview.blocked, false, "the agent's own one-hour scan saw no higher peak");
    const refused = await confirming;
    assert.equal(refused.isError, true);
    assert.match(text(refused), /memory limit 350Mi is below the observed peak of 601Mi/);
  });

  test('cpu_percentile 50: a CPU limit under the observed p95 is still blocked', async () => {
    const { confirming } = await agent.attempt(
      { cpu_percentile: 50 },
      webApp({ requests: { cpu: '200m' }, limits: { cpu: '300m' } }),
    );
    const refused = await confirming;
    assert.equal(refused.isError, true);
    assert.match(text(refused), /CPU limit 300m is below the observed p95 usage of 399\.5m/);
  });
});

describe('Prometheus unreachable: the evidence is missing, and the plan says so', () => {
  const deepCut = webApp({ requests: { memory: '12Mi' }, limits: { memory: '12Mi' } });
  // Down for the MCP server too: no scan of the agent's can hint at the usage either.
  const prometheusDown = { PROMETHEUS_URL: 'http://127.0.0.1:1' };

  test('a 98% memory cut reaches the person as HIGH, with the missing evidence named (asked twice)', async () => {
    const approval = await startApprovalEnvironment(env, { prometheusUrl: 'http://127.0.0.1:1' });
    try {
      const agent = agentOf(approval);
      await agent.connect(prometheusDown);
      const { confirming } = await agent.attempt(undefined, deepCut);
      const shown = await approval.surface.nextRequest();
      assert.equal(shown.request.risk, 'HIGH');
      const reasons = shown.request.details?.risk.reasons ?? [];
      assert.ok(
        reasons.some((r) =>
          /usage evidence missing: Prometheus could not be read \(Cannot reach Prometheus/.test(r),
        ),
        reasons.join('\n'),
      );
      shown.decide('rejected');
      assert.equal((await confirming).isError, undefined);
    } finally {
      await approval.stop();
    }
  });

  test('with the rule that requires evidence, the same plan is blocked', async () => {
    const approval = await startApprovalEnvironment(env, {
      prometheusUrl: 'http://127.0.0.1:1',
      safety: { requireUsageEvidence: true },
    });
    try {
      const agent = agentOf(approval);
      await agent.connect(prometheusDown);
      const refused = await (await agent.attempt(undefined, deepCut)).confirming;
      assert.equal(refused.isError, true);
      assert.match(text(refused), /the safety rules require usage evidence/);
    } finally {
      await approval.stop();
    }
  });
});
