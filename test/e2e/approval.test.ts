import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { processOwnsSocket } from '../../src/core/approval/socket-owner.js';
import { screenshot, type Frame } from './support/browser.js';
import { startE2eEnvironment, type E2eEnvironment } from './support/e2e-environment.js';
import { approvalFrame, approvalPanelClosed, waiting } from './support/outside-agent.js';

// THE end-to-end flow: an agent outside the editor (the real SDK client spawning `krr-mcp serve`) finds the
// approval broker of the extension running in a real VS Code, asks for a change, and a person (Playwright)
// clicks Approve or Reject in the real approval webview. Only an approval yields a token; only a token
// changes the cluster (the API simulator).

const RECOMMENDATION = 'engine-test/monitoring/DaemonSet/log-agent/agent';

let env: E2eEnvironment;
let client: Client;
let outsideStderr: () => string;
/** What the browser printed about a Content-Security-Policy, from any frame (the webview's included). */
const cspConsole: string[] = [];

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
type Confirmation = { plan_id: string; status: string; confirmation_token: string | null; message: string };
type Resources = { requests?: Record<string, string>; limits?: Record<string, string> };

function agentResources(): Resources {
  const object = env.engine.kube.store.get('DaemonSet', 'monitoring', 'log-agent') as unknown as {
    spec: { template: { spec: { containers: Array<{ name: string; resources?: Resources }> } } };
  };
  return object.spec.template.spec.containers.find((c) => c.name === 'agent')?.resources ?? {};
}

async function waitFor<T>(what: string, probe: () => T | undefined, timeout = 30_000): Promise<T> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Scans, previews krr's recommendation for the DaemonSet (not HIGH risk: no second confirmation), and asks for confirmation (the call waits for the person). */
async function askForApproval(): Promise<{ planId: string; pending: Promise<Result> }> {
  data(await call('scan_recommendations', { namespace: 'monitoring' }));
  const plan = data<{ plan_id: string; blocked: boolean; risk?: { level?: string } | string }>(
    await call('preview_changes', { recommendation_ids: [RECOMMENDATION] }),
  );
  assert.equal(plan.blocked, false);
  const pending = waiting(
    call('request_confirmation', { plan_id: plan.plan_id, reason: 'right-size the log agent' }),
  );
  return { planId: plan.plan_id, pending };
}

before(async () => {
  env = await startE2eEnvironment('approval');
  env.browser.page.on('console', (message) => {
    if (/Content[- ]Security[- ]Policy/i.test(message.text())) cspConsole.push(message.text());
  });
});

/**
 * No CSP violation in the panel: its page records every `securitypolicyviolation` event from its first
 * script on (webview/shared/csp-violations.ts); the browser's console would say so too.
 */
async function assertNoCspViolation(frame: Frame): Promise<void> {
  assert.deepEqual(await frame.evaluate('window.krrCspViolations'), [], 'the page saw no violation');
  assert.deepEqual(
    cspConsole.filter(
      (line) => /vscode-webview|webview/i.test(line) || /approval\.js|details\.js/.test(line),
    ),
    [],
  );
}

after(async () => {
  await env?.stop();
});

describe('an agent outside the editor, a person in VS Code', () => {
  test('the extension publishes its approval broker for agents outside the editor', async () => {
    // The authority starts in the background at activation (onStartupFinished) when a kubeconfig exists.
    const t0 = Date.now();
    const descriptor = await waitFor('the broker descriptor', () => env.brokerDescriptors()[0], 60_000);
    console.log(
      `# broker descriptor found ${Date.now() - t0} ms after the workbench was ready: ${descriptor}`,
    );
    // Private to this user, naming the editor's cluster and a live socket the extension host listens on.
    assert.equal(statSync(descriptor).mode & 0o777, 0o600);
    const published = JSON.parse(readFileSync(descriptor, 'utf8')) as {
      pid: number;
      ipcPath: string;
      context: string;
      server: string;
    };
    assert.equal(published.context, 'engine-test');
    assert.equal(published.server, env.engine.kube.url);
    assert.ok(statSync(published.ipcPath).isSocket(), 'the socket exists');
    assert.equal(
      await processOwnsSocket(published.pid, published.ipcPath),
      true,
      'its process listens on it',
    );
  });

  test('the outside client reaches the broker: health_check reports the approval surface', async () => {
    ({ client, stderr: outsideStderr } = await env.connectOutsideClient());
    const health = data<{ approval: { ok: boolean; detail: string } }>(await call('health_check'));
    assert.equal(health.approval.ok, true, `${health.approval.detail}\n${outsideStderr()}`);
    assert.match(outsideStderr(), /connected to the approval broker of a running VS Code/);
  });

  test('Approve in the webview releases the token, and apply_recommendations changes the DaemonSet', async () => {
    const before = agentResources();
    const t0 = Date.now();
    const { planId, pending } = await askForApproval();
    const frame = await approvalFrame(env.browser.page, 'right-size the log agent');
    const shown = await frame.locator('#approval').innerText();
    await screenshot(env.browser.page, 'approval-panel');
    assert.match(shown, /Approve changes to Kubernetes resources/);
    assert.match(shown, /engine-test/, 'the context is shown');
    assert.match(
      shown,
      new RegExp(env.engine.kube.url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')),
      'the API server',
    );
    assert.match(shown, /log-agent/);
    assert.match(shown, /right-size the log agent/, "the agent's reason");
    // MEDIUM here (the simulator's DaemonSet runs one pod: it restarts); below HIGH, so Approve needs no
    // second, native confirmation.
    assert.match(shown, /Risk\s*(LOW|MEDIUM)/);
    assert.deepEqual(agentResources(), before, 'showing the panel writes nothing');
    // Built on @vscode-elements/elements under the nonce-only CSP, and not one violation.
    assert.equal(await frame.evaluate(`customElements.get('vscode-button') !== undefined`), true);
    assert.equal(await frame.locator('vscode-table.changes').count(), 1);
    await assertNoCspViolation(frame);

    await frame.locator('vscode-button.approve').click();
    const answer = data<Confirmation>(await pending);
    console.log(`# request → click → token in ${Date.now() - t0} ms`);
    assert.equal(answer.plan_id, planId);
    assert.equal(answer.status, 'approved');
    assert.ok(answer.confirmation_token, 'a token');
    assert.deepEqual(agentResources(), before, 'approval alone writes nothing');
    await approvalPanelClosed(env.browser.page);

    const applied = data<{ status: string; objects: Array<{ name: string; status: string }> }>(
      await call('apply_recommendations', { confirmation_token: answer.confirmation_token }),
    );
    assert.equal(applied.status, 'applied');
    const after = agentResources();
    assert.equal(before.requests?.cpu, undefined);
    assert.equal(after.requests?.cpu, '50m');
    assert.ok(after.requests?.memory, 'a memory request was set');
    await screenshot(env.browser.page, 'after-apply');
  });

  test('Reject in the webview gives no token and changes nothing', async () => {
    const before = JSON.stringify(env.engine.kube.store.get('DaemonSet', 'monitoring', 'log-agent'));
    // Ask for something else than what is applied now, so the plan is not empty.
    data(await call('scan_recommendations', { namespace: 'monitoring' }));
    const plan = data<{ plan_id: string; blocked: boolean }>(
      await call('preview_changes', {
        changes: [
          {
            kind: 'DaemonSet',
            namespace: 'monitoring',
            name: 'log-agent',
            containers: [{ container: 'agent', requests: { cpu: '40m' } }],
          },
        ],
      }),
    );
    assert.equal(plan.blocked, false);
    const pending = waiting(call('request_confirmation', { plan_id: plan.plan_id }));
    const frame = await approvalFrame(env.browser.page, '40m');
    await screenshot(env.browser.page, 'approval-panel-reject');
    await frame.locator('vscode-button.reject').click();
    const answer = data<Confirmation>(await pending);
    assert.deepEqual([answer.status, answer.confirmation_token], ['rejected', null]);
    await approvalPanelClosed(env.browser.page);
    const refused = await call('apply_recommendations', {});
    assert.equal(refused.isError, true);
    assert.equal(
      JSON.stringify(env.engine.kube.store.get('DaemonSet', 'monitoring', 'log-agent')),
      before,
      'the DaemonSet is untouched',
    );
  });

  test("markup in the agent's text is shown as text and never runs", async () => {
    // Kubernetes names cannot carry markup (DNS-1123), so the agent's free-text reason is the vector.
    const payload =
      '<img src=x onerror="window.__krrCanary=1"><script>window.__krrCanary=2</script><b>bold</b>';
    data(await call('scan_recommendations', { namespace: 'monitoring' }));
    const plan = data<{ plan_id: string }>(
      await call('preview_changes', {
        changes: [
          {
            kind: 'DaemonSet',
            namespace: 'monitoring',
            name: 'log-agent',
            containers: [{ container: 'agent', requests: { cpu: '45m' } }],
          },
        ],
      }),
    );
    const pending = waiting(call('request_confirmation', { plan_id: plan.plan_id, reason: payload }));
    const frame = await approvalFrame(env.browser.page, '45m');
    await screenshot(env.browser.page, 'approval-panel-markup');
    const shown = await frame.locator('#approval').innerText();
    assert.ok(shown.includes(payload), `the payload is shown literally:\n${shown}`);
    // The page's own DOM (a locator would also look into the components' shadow roots, their templates).
    for (const tag of ['img', 'script', 'b']) {
      const count = await frame.evaluate<number>(`document.querySelectorAll('#approval ${tag}').length`);
      assert.equal(count, 0, `no <${tag}> element`);
    }
    // Give a would-be onerror time to fire, then read the canary in the page's own world.
    await env.browser.page.waitForTimeout(500);
    assert.equal(
      await frame.evaluate('document.querySelector("vscode-button.approve") !== null'),
      true,
      'the evaluation runs in the panel page itself',
    );
    assert.equal(await frame.evaluate('typeof window.__krrCanary'), 'undefined', 'no injected script ran');

    // A click or key press made by script in the page (what injected code could do) is not the person's:
    // ignored.
    await frame.evaluate(`(() => {
      const approve = document.querySelector("vscode-button.approve");
      approve.click();
      approve.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    })()`);
    const early = await Promise.race([
      pending.then(() => 'answered'),
      new Promise<string>((r) => setTimeout(() => r('still waiting'), 1_500)),
    ]);
    assert.equal(early, 'still waiting', 'a synthetic click approves nothing');
    assert.equal(await frame.locator('vscode-button.approve').isDisabled(), false);
    await screenshot(env.browser.page, 'approval-panel-after-synthetic-click');
    await assertNoCspViolation(frame);

    await frame.locator('vscode-button.reject').click();
    assert.equal(data<Confirmation>(await pending).status, 'rejected');
  });
});
