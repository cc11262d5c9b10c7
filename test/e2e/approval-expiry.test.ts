import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { screenshot, type Page } from './support/browser.js';
import { startE2eEnvironment, type E2eEnvironment } from './support/e2e-environment.js';
import {
  approvalFrame,
  approvalPanelClosed,
  openApprovalPanels,
  OutsideAgent,
  textOf,
  type Confirmation,
} from './support/outside-agent.js';

// Nobody clicks. The agent outside the editor runs with CONFIRMATION_TIMEOUT=3 (what `krr-mcp serve`
// reads; VS Code passes krrMcp.confirmationTimeoutSeconds to the servers it starts), so request_confirmation
// stops waiting after 3 s and answers "pending" without a token. The request itself stays open in the panel
// for krrMcp.approvalExpirySeconds (10 minutes by default; approval-timeout.test.ts lets one expire), until the person
// decides or closes the panel, which is a no. At no point does the agent get a token or the cluster change.

const WAIT_SECONDS = 3;
const REASON = 'nobody is going to click';

let env: E2eEnvironment;
let page: Page;
let agent: OutsideAgent;

const daemonSet = () => JSON.stringify(env.engine.kube.store.get('DaemonSet', 'monitoring', 'log-agent'));
/** Requests that could change an object: anything but GET, apart from the dry runs previews make. */
const writes = () =>
  env.engine.kube.requests
    .filter((r) => r.method !== 'GET' && r.query.dryRun !== 'All')
    .map((r) => `${r.method} ${r.path}`);

before(async () => {
  env = await startE2eEnvironment('approval-expiry');
  page = env.browser.page;
  agent = new OutsideAgent(
    (await env.connectOutsideClient({ CONFIRMATION_TIMEOUT: String(WAIT_SECONDS) })).client,
  );
});

after(async () => {
  await env?.stop();
});

describe('a request nobody approves', () => {
  let planId: string;
  let before: string;

  test('request_confirmation answers "pending" after CONFIRMATION_TIMEOUT: no token, nothing written', async () => {
    await agent.data('scan_recommendations', { namespace: 'monitoring' });
    const plan = await agent.data<{ plan_id: string; blocked: boolean }>('preview_changes', {
      changes: [
        {
          kind: 'DaemonSet',
          namespace: 'monitoring',
          name: 'log-agent',
          containers: [{ container: 'agent', requests: { cpu: '40m' } }],
        },
      ],
    });
    assert.equal(plan.blocked, false);
    planId = plan.plan_id;
    before = daemonSet();
    const t0 = Date.now();
    const answer = await agent.data<Confirmation>('request_confirmation', {
      plan_id: planId,
      reason: REASON,
    });
    const waited = Date.now() - t0;
    console.log(`# request_confirmation answered "${answer.status}" after ${waited} ms`);
    assert.equal(answer.status, 'pending', answer.message);
    assert.equal(answer.confirmation_token, null, 'no token');
    assert.ok(waited >= WAIT_SECONDS * 1000 - 100, `it waited for the person (${waited} ms)`);
    assert.ok(waited < WAIT_SECONDS * 1000 + 20_000, `it stopped waiting (${waited} ms)`);

    // The person still sees the request (it stays open), with the time it has left.
    const frame = await approvalFrame(page, REASON);
    const countdown = await frame.locator('.countdown').innerText();
    await screenshot(page, 'approval-expiry-pending');
    // The request stays open for the authority's decision timeout: 10 minutes.
    assert.match(countdown, /^(9|10):\d\d$/, `a countdown from 10 minutes: ${countdown}`);
    assert.equal(await frame.locator('vscode-button.approve').isDisabled(), false);
    assert.equal(daemonSet(), before, 'nothing was written');

    const refused = await agent.call('apply_recommendations', {});
    assert.equal(refused.isError, true, textOf(refused));
    const forged = await agent.call('apply_recommendations', { confirmation_token: `krr1.${planId}.forged` });
    assert.equal(forged.isError, true, textOf(forged));
    assert.equal(daemonSet(), before, 'the DaemonSet is untouched');
  });

  test('asking again joins the open request: still pending, still one panel, still no token', async () => {
    const answer = await agent.data<Confirmation>('request_confirmation', { plan_id: planId });
    assert.deepEqual([answer.status, answer.confirmation_token], ['pending', null], answer.message);
    assert.equal(await openApprovalPanels(page), 1, 'one panel for one plan');
    assert.equal(daemonSet(), before);
  });

  test('closing the panel without a click is a no: the agent is told "rejected", and nothing changes', async () => {
    const tab = page.locator('.tabs-container .tab', { hasText: 'Approve:' }).first();
    await tab.hover();
    await tab.locator('.tab-actions .action-label').first().click();
    await approvalPanelClosed(page);
    await screenshot(page, 'approval-expiry-closed');
    const answer = await agent.data<Confirmation>('request_confirmation', { plan_id: planId });
    assert.deepEqual([answer.status, answer.confirmation_token], ['rejected', null], answer.message);
    const refused = await agent.call('apply_recommendations', {});
    assert.equal(refused.isError, true, textOf(refused));
    assert.equal(daemonSet(), before, 'the DaemonSet is untouched');
    assert.deepEqual(writes(), [], 'the simulator saw no write (dry runs aside)');
  });
});
