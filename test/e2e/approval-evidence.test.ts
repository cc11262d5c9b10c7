import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { screenshot, type Frame } from './support/browser.js';
import { startE2eEnvironment, type E2eEnvironment } from './support/e2e-environment.js';
import {
  approvalFrame,
  approvalPanelClosed,
  OutsideAgent,
  waiting,
  type Confirmation,
} from './support/outside-agent.js';

// What the person judges by, in the real approval panel (code-server, the authority reading the real
// Prometheus): a usage chart per changed container with the proposed request and limit, the agent's reason
// after the diff and bounded however tall, and a page that never trips its nonce-only CSP.

const RECOMMENDATION = 'engine-test/monitoring/DaemonSet/log-agent/agent';
/** request_confirmation takes 2,000 characters at most: 1,960 newlines, a bidi override among the words. */
const TALL_REASON = `Right-size the log agent\u202E now.${'\n'.repeat(1960)}Thanks.`;

let env: E2eEnvironment;
let agent: OutsideAgent;

before(async () => {
  env = await startE2eEnvironment('approval-evidence');
  agent = new OutsideAgent((await env.connectOutsideClient()).client);
});

after(async () => {
  await env?.stop();
});

/** Asks for krr's recommendation for the DaemonSet with `reason`; returns the panel and the waiting call. */
async function askForApproval(reason: string): Promise<{ frame: Frame; pending: Promise<Confirmation> }> {
  await agent.data('scan_recommendations', { namespace: 'monitoring' });
  const plan = await agent.data<{ plan_id: string; blocked: boolean }>('preview_changes', {
    recommendation_ids: [RECOMMENDATION],
  });
  assert.equal(plan.blocked, false);
  const pending = waiting(
    agent.data<Confirmation>('request_confirmation', { plan_id: plan.plan_id, reason }),
  );
  // A call that fails (a reason over the limit, say) must fail the test now, not after the frame's timeout.
  const failed = pending.then((answer) => {
    throw new Error(`request_confirmation answered without a panel: ${JSON.stringify(answer)}`);
  });
  const frame = await Promise.race([approvalFrame(env.browser.page, 'Right-size the log agent'), failed]);
  return { frame, pending };
}

async function reject(frame: Frame, pending: Promise<Confirmation>): Promise<void> {
  await frame.locator('vscode-button.reject').click();
  assert.equal((await pending).status, 'rejected');
  await approvalPanelClosed(env.browser.page);
}

describe('the evidence in the approval panel', () => {
  test("the agent's tallest reason (1,960 newlines) comes after the diff, a few lines high, its bidi override visible", async () => {
    const { frame, pending } = await askForApproval(TALL_REASON);
    await frame.locator('.reason-box').waitFor({ timeout: 15_000 });
    const text = (await frame.locator('.reason-text').textContent()) ?? '';
    assert.equal(text, 'Right-size the log agent⟨U+202E⟩ now.\n\nThanks.');
    const height = await frame.evaluate<number>(
      `document.querySelector('.reason-box').getBoundingClientRect().height`,
    );
    assert.ok(height < 200, `the box is ${height}px high`);
    assert.equal(
      await frame.evaluate(
        `!!(document.querySelector('.diff-section').compareDocumentPosition(document.querySelector('.agent-reason')) & Node.DOCUMENT_POSITION_FOLLOWING)`,
      ),
      true,
      'after the diff',
    );
    assert.deepEqual(await frame.evaluate('window.krrCspViolations'), [], 'no CSP violation');
    await screenshot(env.browser.page, 'approval-panel-tall-reason');
    await reject(frame, pending);
  });

  test('a usage chart per changed container, with the proposed request and limit, and no CSP violation', async () => {
    const { frame, pending } = await askForApproval('Right-size the log agent.');
    const containers = await frame.evaluate<number>(
      `new Set([...document.querySelectorAll('vscode-table.changes vscode-table-row')].map((r) => r.firstElementChild?.textContent)).size`,
    );
    await frame
      .locator('.usage-figure canvas')
      .first()
      .waitFor({ timeout: 15_000 })
      .catch(() => {});
    // The view docs/images/approval-panel.png shows: the changes, then the usage behind them.
    await frame.evaluate(`document.querySelector('.changes-section').scrollIntoView()`);
    await screenshot(env.browser.page, 'approval-panel');
    await frame.evaluate(`document.querySelector('.usage-section').scrollIntoView()`);
    await screenshot(env.browser.page, 'approval-panel-usage');
    const figures = await frame.evaluate<string[]>(
      `[...document.querySelectorAll('.usage-figure figcaption')].map((c) => c.textContent)`,
    );
    assert.equal(containers, 1);
    assert.deepEqual(figures, ['DaemonSet monitoring/log-agent · container agent']);
    const labels = await frame.evaluate<string[]>(
      `[...document.querySelectorAll('.usage-figure .u-legend .u-label')].map((l) => l.textContent)`,
    );
    assert.ok(labels.includes('request proposed'), `the proposed request line: ${labels.join(', ')}`);
    assert.ok(labels.includes('CPU used') && labels.includes('memory used'), labels.join(', '));
    assert.equal((await frame.locator('.usage-figure .chart-plot canvas').count()) >= 2, true);
    assert.deepEqual(await frame.evaluate('window.krrCspViolations'), [], 'no CSP violation');
    await reject(frame, pending);
  });
});
