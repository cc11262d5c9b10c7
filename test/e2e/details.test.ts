import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { findFrameWith, runCommand, screenshot, type Locator, type Page } from './support/browser.js';
import { startE2eEnvironment, type E2eEnvironment } from './support/e2e-environment.js';
import { eventually } from './support/outside-agent.js';
import { expandAll, treeRow, waitForTree } from './support/tree.js';

// Recommendation Details from the tree: a right click on a container (or workload) row, "Show
// Recommendation Details", and the panel shows krr's recommendation next to the current values and the usage
// behind it, read-only, under the same nonce-only CSP as the approval panel.

let env: E2eEnvironment;
let page: Page;

before(async () => {
  env = await startE2eEnvironment('details');
  page = env.browser.page;
});

after(async () => {
  await env?.stop();
});

/** Right-clicks `row` and picks `item` in the context menu VS Code opens. */
async function contextMenu(row: Locator, item: string): Promise<void> {
  await (row as Locator & { click(options: { button: 'right' }): Promise<void> }).click({ button: 'right' });
  const entry = page.locator('.context-view .monaco-menu .action-item', { hasText: item }).first();
  await entry.waitFor({ timeout: 10_000 });
  // The menu runs an entry on the key press or on a mouse-up that follows its own mouse-down; hovering
  // focuses the entry, Enter runs it.
  await entry.hover();
  await page.keyboard.press('Enter');
  await entry.waitFor({ state: 'hidden', timeout: 10_000 });
}

describe('the Recommendation Details panel', () => {
  test('opens from a container row of the tree and shows its recommendation, with no CSP violation', async () => {
    await runCommand(page, 'krr-mcp: Focus on Recommendations View');
    await runCommand(page, 'krr-mcp: Scan Cluster');
    await waitForTree(page, 'the monitoring namespace', (rows) => rows.some((r) => r.level === 2));
    await expandAll(page, 2);
    await waitForTree(page, 'the log agent', (rows) => rows.some((r) => r.name.startsWith('log-agent')));
    await expandAll(page, 3);
    await waitForTree(page, "the log agent's container", (rows) => rows.some((r) => r.level === 4));
    await contextMenu(treeRow(page, /^agent/), 'Show Recommendation Details');

    const frame = await findFrameWith(page, '.details-container', 60_000);
    const shown = await eventually('the details', async () => {
      const text = await frame.locator('#details').innerText();
      return /DaemonSet monitoring\/log-agent · container agent/.test(text) ? text : undefined;
    });
    await frame
      .locator('.usage-figure canvas')
      .first()
      .waitFor({ timeout: 10_000 })
      .catch(() => {});
    await screenshot(page, 'details-panel');
    assert.match(shown, /Recommendation details/);
    assert.match(shown, /CPU request\s+unset\s+50m/, "krr's CPU request next to the current value");
    assert.match(shown, /Memory request\s+unset\s+\d+Mi/);
    assert.equal(await frame.locator('vscode-button').count(), 0, 'read-only: nothing to click');
    assert.deepEqual(await frame.evaluate('window.krrCspViolations'), [], 'no CSP violation');
    // The tab says what it shows.
    await page
      .locator('.tabs-container .tab', { hasText: 'Details: monitoring/log-agent' })
      .first()
      .waitFor();
    const charts = await frame.locator('.usage-figure').count();
    console.log(
      `# details panel: ${charts} usage figure(s) (the history source wired in activate.ts decides)`,
    );
  });

  test('a workload row opens the same panel for all its containers', async () => {
    // The panel is reused: mark what it shows now, so that the test reads the workload's view, not the
    // container's from the test before (every view replaces #details' children).
    const before = await findFrameWith(page, '.details-container', 30_000);
    await before.evaluate(
      "document.getElementById('details').append(Object.assign(document.createElement('i'), { id: 'shown-before' }))",
    );
    await contextMenu(treeRow(page, /^log-agent/), 'Show Recommendation Details');
    const frame = await findFrameWith(page, '.details-container', 30_000);
    const containers = await eventually("the workload's view", async () =>
      (await frame.locator('#shown-before').count()) === 0 &&
      (await frame.locator('.details-container').count()) > 0
        ? frame.locator('.details-container').count()
        : undefined,
    );
    assert.equal(containers, 1, 'the log agent has one container');
    assert.deepEqual(await frame.evaluate('window.krrCspViolations'), []);
  });
});
