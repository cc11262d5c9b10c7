import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { runCommand, screenshot, type Page } from './support/browser.js';
import { startE2eEnvironment, type E2eEnvironment } from './support/e2e-environment.js';
import {
  approvalFrame,
  approvalPanelClosed,
  eventually,
  OutsideAgent,
  waiting,
  type Confirmation,
} from './support/outside-agent.js';
import { expandAll, treeRow, waitForTree } from './support/tree.js';

// After the click, in the real workbench: an agent outside the editor applies a change the person approved
// in the panel; the extension verifies it (a one-minute window here). The API simulator runs no DaemonSet
// controller in this stage, so the rollout never progresses: the verdict is "failed", the workload's row
// says so, and the notification offers "Roll Back…", which opens the rollback's own approval panel; only the
// person's Approve there undoes the change.

const RECOMMENDATION = 'engine-test/monitoring/DaemonSet/log-agent/agent';

let env: E2eEnvironment;
let page: Page;
let agent: OutsideAgent;
type Resources = { requests?: Record<string, string>; limits?: Record<string, string> };

function agentResources(): Resources {
  const object = env.engine.kube.store.get('DaemonSet', 'monitoring', 'log-agent') as unknown as {
    spec: { template: { spec: { containers: Array<{ name: string; resources?: Resources }> } } };
  };
  const resources = object.spec.template.spec.containers.find((c) => c.name === 'agent')?.resources ?? {};
  // An emptied map is no value (the API server omits it): `requests: {}` is the same as no requests.
  return Object.fromEntries(Object.entries(resources).filter(([, values]) => Object.keys(values).length > 0));
}

const logAgentRow = (rows: Array<{ name: string }>) => rows.find((r) => r.name.startsWith('log-agent'))?.name;

before(async () => {
  env = await startE2eEnvironment('verification', { settings: { 'krrMcp.verificationMinutes': 1 } });
  page = env.browser.page;
  agent = new OutsideAgent((await env.connectOutsideClient()).client);
});

after(async () => {
  await env?.stop();
});

describe('after the click', () => {
  let before: Resources;
  let applied: { status: string; rollback_id: string; verification_id: string; message: string };

  test('the person approves, the agent applies: the answer names a verification, and the row says "verifying…"', async () => {
    await runCommand(page, 'krr-mcp: Focus on Recommendations View');
    await runCommand(page, 'krr-mcp: Scan Cluster');
    await waitForTree(page, 'the monitoring namespace', (rows) => rows.some((r) => r.level === 2), 120_000);
    await expandAll(page, 2);
    await waitForTree(page, 'the log agent', (rows) => logAgentRow(rows) !== undefined);
    before = agentResources();

    await agent.data('scan_recommendations', { namespace: 'monitoring' });
    const plan = await agent.data<{ plan_id: string }>('preview_changes', {
      recommendation_ids: [RECOMMENDATION],
    });
    const pending = waiting(
      agent.data<Confirmation>('request_confirmation', {
        plan_id: plan.plan_id,
        reason: 'right-size the log agent, then watch it',
      }),
    );
    const frame = await approvalFrame(page, 'right-size the log agent, then watch it');
    await frame.locator('vscode-button.approve').click();
    const answer = await pending;
    assert.equal(answer.status, 'approved', answer.message);
    await approvalPanelClosed(page);
    applied = await agent.data('apply_recommendations', { confirmation_token: answer.confirmation_token });
    assert.equal(applied.status, 'applied', applied.message);
    assert.ok(applied.verification_id, 'the apply names its verification');
    assert.notDeepEqual(agentResources(), before, 'the DaemonSet changed');

    const rows = await waitForTree(page, 'the verification badge', (r) =>
      /verifying…/.test(logAgentRow(r) ?? ''),
    );
    assert.match(logAgentRow(rows)!, /^log-agent verifying… · /);
  });

  test('the verdict: the row shows it, and the notification offers "Roll Back…" and "Show Details"', async () => {
    // The window is a minute of wall-clock time: the verdict comes when it ends.
    const toast = page.locator('.notification-toast', {
      hasText: /after the change, DaemonSet monitoring\/log-agent failed: /,
    });
    await toast.waitFor({ state: 'visible', timeout: 150_000 });
    const message = await toast.innerText();
    assert.match(message, /the rollout had not completed when the verification window ended/);
    assert.equal(await toast.locator('.monaco-button', { hasText: 'Roll Back…' }).count(), 1);
    assert.equal(await toast.locator('.monaco-button', { hasText: 'Show Details' }).count(), 1);
    await waitForTree(page, 'the failed badge', (r) => /^log-agent ✗ failed · /.test(logAgentRow(r) ?? ''));
    await screenshot(page, 'verification-notification');

    const verification = await agent.data<{ state: string; verdict: string; message: string }>(
      'get_verification',
      { verification_id: applied.verification_id },
    );
    assert.equal(verification.state, 'completed');
    assert.equal(verification.verdict, 'failed');
    assert.match(verification.message, new RegExp(`rollback_id "${applied.rollback_id}"`));
  });

  test('"Roll Back…" opens the rollback\'s own approval panel; nothing is undone before Approve there', async () => {
    const toast = page.locator('.notification-toast', { hasText: /log-agent failed: / });
    await toast.locator('.monaco-button', { hasText: 'Roll Back…' }).click();
    const frame = await approvalFrame(page, 'Approve the rollback of an applied change');
    const shown = await frame.locator('#approval').innerText();
    assert.ok(
      shown.includes(`Restores what the apply with rollback id ${applied.rollback_id} changed`),
      shown,
    );
    assert.match(shown, /log-agent/);
    await screenshot(page, 'verification-rollback-panel');
    assert.notDeepEqual(agentResources(), before, 'the panel is open: nothing was rolled back yet');

    await frame.locator('vscode-button.approve').click();
    await approvalPanelClosed(page);
    await eventually('the rollback to land', () =>
      JSON.stringify(agentResources()) === JSON.stringify(before) ? true : undefined,
    ).catch(async (error: Error) => {
      await screenshot(page, 'verification-rollback-not-landed');
      throw new Error(
        `${error.message}: before ${JSON.stringify(before)}, now ${JSON.stringify(agentResources())}`,
      );
    });
    // The rollback is verified in turn; a rollback's verification offers no rollback of itself.
    await waitForTree(page, 'the rollback being verified', (r) => /verifying…/.test(logAgentRow(r) ?? ''));
    assert.equal(await treeRow(page, /^log-agent/).count(), 1);
  });
});
