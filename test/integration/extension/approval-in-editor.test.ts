import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { activate } from '../../../src/extension/activate.js';
import { CLI_PATH } from '../../support/cli/run-cli.js';
import { startEngineEnvironment, type EngineEnvironment } from '../../support/engine-environment.js';
import { double, type WebviewPanelDouble } from '../../support/vscode-double/vscode.js';
import { fakeExtensionContext } from '../../unit/extension/extension-context.js';

// The extension's half of the pipeline in its own process: activation with the vscode double (the
// workbench itself is tested end to end in code-server), the real authority, the real approval panel
// logic, a real Kubernetes API simulator and Prometheus. The test plays the panel's page: it can only
// send the messages the page's script can send.

let env: EngineEnvironment;
let context: ReturnType<typeof fakeExtensionContext>;
const clients: Client[] = [];

function agentResources(): { requests?: Record<string, string> } {
  const ds = env.kube.store.get('DaemonSet', 'monitoring', 'log-agent') as unknown as {
    spec: {
      template: { spec: { containers: Array<{ resources?: { requests?: Record<string, string> } }> } };
    };
  };
  return ds.spec.template.spec.containers[0]!.resources ?? {};
}

async function nextPanel(count: number): Promise<WebviewPanelDouble> {
  for (let i = 0; i < 400 && double.panels.length < count; i++) await new Promise((r) => setTimeout(r, 25));
  const panel = double.panels[count - 1];
  assert.ok(panel, 'no approval panel was opened');
  return panel;
}

/** Plays the panel's page: handshake, then a click on Approve (or Reject). */
async function click(panel: WebviewPanelDouble, decision: 'approve' | 'reject'): Promise<void> {
  const approvalId = /<meta name="[^"]*approval-id" content="([^"]+)">/.exec(panel.webview.html)?.[1];
  assert.ok(approvalId, 'the panel carries its approval id');
  panel.webview.simulateMessage({ type: 'ready', approvalId });
  for (let i = 0; i < 200 && !panel.webview.posted.some((m) => (m as { type?: string }).type === 'show'); i++)
    await new Promise((r) => setTimeout(r, 10));
  panel.webview.simulateMessage({ type: decision, approvalId });
}

before(async () => {
  env = await startEngineEnvironment();
  double.reset();
  double.configuration.set('krrMcp.kubeconfig', env.kubeconfig);
  double.configuration.set('krrMcp.prometheusUrl', env.prometheus.url);
  process.env.KRR_MCP_STATE_DIR = join(env.dir, 'state');
  context = fakeExtensionContext();
  activate(context as never);
});

after(async () => {
  await Promise.allSettled(clients.map((c) => c.close()));
  for (const d of context?.subscriptions ?? []) await d.dispose();
  delete process.env.KRR_MCP_STATE_DIR;
  await env?.stop();
});

test('Scan fills the tree; Apply from the tree writes only after the Approve click in the panel', async () => {
  await double.commands.get('krrMcp.scan')!();
  const view = double.treeViews.get('krrMcp.recommendations')!;
  assert.ok(view, 'the recommendations view exists');
  const before = agentResources();
  assert.equal(before.requests, undefined);

  const item = { id: 'engine-test/monitoring/DaemonSet/log-agent/agent' };
  const applying = double.commands.get('krrMcp.apply')!({ item: { ...item } });
  const panel = await nextPanel(1);
  assert.match(panel.title, /engine-test/);
  assert.deepEqual(agentResources(), before, 'nothing is written while the panel waits');
  await click(panel, 'approve');
  await applying;
  assert.deepEqual(agentResources().requests, { cpu: '50m', memory: '209Mi' });
  assert.ok(
    double.messages.some((m) => /Applied to 1 object/.test(m.message)),
    JSON.stringify(double.messages),
  );
});

test('an agent outside the editor finds the broker; its request appears as a panel; Reject gives no token', async () => {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI_PATH, 'serve'],
    env: {
      PATH: process.env.PATH ?? '',
      HOME: env.dir,
      KUBECONFIG: env.kubeconfig,
      PROMETHEUS_URL: env.prometheus.url,
      KRR_MCP_STATE_DIR: join(env.dir, 'state'),
    },
    stderr: 'pipe',
  });
  const client = new Client({ name: 'outside-agent', version: '1.0.0' });
  await client.connect(transport);
  clients.push(client);
  const call = async (name: string, args: Record<string, unknown>) =>
    (await client.callTool({ name, arguments: args }, undefined, { timeout: 120_000 })) as {
      isError?: boolean;
      structuredContent?: Record<string, unknown>;
    };

  const health = (await call('health_check', {})).structuredContent as {
    approval: { ok: boolean; detail: string };
  };
  assert.equal(health.approval.ok, true, health.approval.detail);
  await call('scan_recommendations', { namespace: 'shop' });
  const plan = (
    await call('preview_changes', { recommendation_ids: ['engine-test/shop/Deployment/queue-consumer/app'] })
  ).structuredContent as { plan_id: string };
  const rv = (
    env.kube.store.get('Deployment', 'shop', 'queue-consumer') as unknown as {
      metadata: { resourceVersion: string };
    }
  ).metadata.resourceVersion;

  const rejecting = call('request_confirmation', { plan_id: plan.plan_id });
  await click(await nextPanel(2), 'reject');
  const rejected = (await rejecting).structuredContent as {
    status: string;
    confirmation_token: string | null;
  };
  assert.deepEqual([rejected.status, rejected.confirmation_token], ['rejected', null]);

  const approving = call('request_confirmation', { plan_id: plan.plan_id });
  await click(await nextPanel(3), 'approve');
  const approved = (await approving).structuredContent as { status: string; confirmation_token: string };
  assert.equal(approved.status, 'approved');
  assert.equal(
    (
      env.kube.store.get('Deployment', 'shop', 'queue-consumer') as unknown as {
        metadata: { resourceVersion: string };
      }
    ).metadata.resourceVersion,
    rv,
    'approval alone writes nothing',
  );
  const applied = (await call('apply_recommendations', { confirmation_token: approved.confirmation_token }))
    .structuredContent as { status: string };
  assert.equal(applied.status, 'applied');
});
