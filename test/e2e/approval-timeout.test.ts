import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { screenshot, type Page } from './support/browser.js';
import { startE2eEnvironment, type E2eEnvironment } from './support/e2e-environment.js';
import {
  approvalFrame,
  approvalPanelClosed,
  OutsideAgent,
  textOf,
  type Confirmation,
} from './support/outside-agent.js';

// The request expires: krrMcp.approvalExpirySeconds is 15 here, and nobody clicks. The panel closes by itself,
// the agent is told "expired" with no token, and the cluster is unchanged.

const EXPIRY_SECONDS = 15;
const REASON = 'this one will expire';

let env: E2eEnvironment;
let page: Page;
let agent: OutsideAgent;

before(async () => {
  env = await startE2eEnvironment('approval-timeout', {
    settings: { 'krrMcp.approvalExpirySeconds': EXPIRY_SECONDS },
  });
  page = env.browser.page;
  agent = new OutsideAgent((await env.connectOutsideClient({ CONFIRMATION_TIMEOUT: '3' })).client);
});

after(async () => {
  await env?.stop();
});

test('an approval request nobody decides expires: the panel closes, no token, nothing written', async () => {
  const daemonSet = () => JSON.stringify(env.engine.kube.store.get('DaemonSet', 'monitoring', 'log-agent'));
  await agent.data('scan_recommendations', { namespace: 'monitoring' });
  const plan = await agent.data<{ plan_id: string }>('preview_changes', {
    changes: [
      {
        kind: 'DaemonSet',
        namespace: 'monitoring',
        name: 'log-agent',
        containers: [{ container: 'agent', requests: { cpu: '40m' } }],
      },
    ],
  });
  const before = daemonSet();
  const first = await agent.data<Confirmation>('request_confirmation', {
    plan_id: plan.plan_id,
    reason: REASON,
  });
  assert.deepEqual([first.status, first.confirmation_token], ['pending', null], first.message);

  const frame = await approvalFrame(page, REASON);
  const countdown = await frame.locator('.countdown').innerText();
  assert.match(countdown, /^0:(0\d|1[0-5])$/, `a countdown from ${EXPIRY_SECONDS} s: ${countdown}`);
  await screenshot(page, 'approval-timeout-counting');
  await approvalPanelClosed(page, (EXPIRY_SECONDS + 20) * 1000);

  const last = await agent.data<Confirmation>('request_confirmation', { plan_id: plan.plan_id });
  assert.deepEqual([last.status, last.confirmation_token], ['expired', null], last.message);
  const refused = await agent.call('apply_recommendations', {});
  assert.equal(refused.isError, true, textOf(refused));
  assert.equal(daemonSet(), before, 'the DaemonSet is untouched');
  const writes = env.engine.kube.requests.filter((r) => r.method !== 'GET' && r.query.dryRun !== 'All');
  assert.deepEqual(writes, [], 'the simulator saw no write (dry runs aside)');
});
