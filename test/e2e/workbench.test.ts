import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { paletteRow, pickQuickPickRow, quickPickRows, runCommand, screenshot } from './support/browser.js';
import { startE2eEnvironment, type E2eEnvironment } from './support/e2e-environment.js';

// A real VS Code (code-server) in a real browser with the built extension installed: its contributions
// show up where a person looks for them.

let env: E2eEnvironment;

before(async () => {
  env = await startE2eEnvironment('workbench');
});

after(async () => {
  await env?.stop();
});

test('the command palette offers "krr-mcp: Scan Cluster"', async () => {
  const { page } = env.browser;
  await paletteRow(page, '>krr-mcp:', 'krr-mcp: Scan Cluster');
  const rows = await quickPickRows(page);
  await screenshot(page, 'palette-krr-mcp');
  assert.ok(
    rows.some((r) => r.includes('krr-mcp: Scan Cluster')),
    JSON.stringify(rows),
  );
  await page.keyboard.press('Escape');
  // The palette only renders the rows that fit: each of the others is typed in (paletteRow fails without it).
  for (const title of ['Scan Context…', 'Select Context', 'Configure Prometheus', 'Verify Audit Log']) {
    await paletteRow(page, `>krr-mcp: ${title}`, `krr-mcp: ${title}`);
    await page.keyboard.press('Escape');
  }
});

test('"MCP: List Servers" lists the server of our provider, "krr-mcp"', async () => {
  const { page } = env.browser;
  await runCommand(page, 'MCP: List Servers');
  await page
    .locator('.quick-input-list .monaco-list-row', { hasText: 'krr-mcp' })
    .first()
    .waitFor({ timeout: 30_000 });
  await screenshot(page, 'mcp-list-servers');
  const rows = await quickPickRows(page);
  assert.ok(
    rows.some((r) => /krr-mcp/.test(r)),
    `krr-mcp missing from ${JSON.stringify(rows)}`,
  );
  await page.keyboard.press('Escape');
});

test('"krr-mcp: Scan Cluster" fills the Recommendations tree from the simulator and the real Prometheus', async () => {
  const { page } = env.browser;
  await runCommand(page, 'krr-mcp: Focus on Recommendations View');
  await runCommand(page, 'krr-mcp: Scan Cluster');
  const tree = (name: RegExp) => page.getByRole('treeitem', { name }).first();
  await tree(/engine-test/).waitFor({ timeout: 60_000 });
  await tree(/monitoring/).click();
  await tree(/log-agent/).click();
  await tree(/agent/).waitFor({ timeout: 15_000 });
  await page.waitForTimeout(300);
  await screenshot(page, 'recommendations-tree');
  const items = await page.locator('.pane [role="treeitem"]').allInnerTexts();
  assert.ok(
    items.some((t) => t.includes('log-agent')),
    `log-agent missing from ${JSON.stringify(items)}`,
  );

  await runCommand(page, 'krr-mcp: Open Last Scan as JSON');
  await page
    .locator('.editor-instance .view-lines', { hasText: '"scans"' })
    .first()
    .waitFor({ timeout: 30_000 });
  await screenshot(page, 'scan-json');
});

test('starting "krr-mcp" from "MCP: List Servers" runs our server in the editor (per-spawn secret path) and lists its twelve tools', async () => {
  const { page } = env.browser;
  await runCommand(page, 'MCP: List Servers');
  await pickQuickPickRow(page, /krr-mcp/, 30_000);
  await pickQuickPickRow(page, /Start Server/);
  const deadline = Date.now() + 60_000;
  let rows: string[];
  for (;;) {
    await runCommand(page, 'MCP: List Servers');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'krr-mcp' }).first().waitFor();
    rows = await quickPickRows(page);
    if (rows.some((r) => /krr-mcp.*Running/s.test(r))) break;
    await page.keyboard.press('Escape');
    if (Date.now() > deadline) break;
    await page.waitForTimeout(1_000);
  }
  await screenshot(page, 'mcp-server-running');
  await page.keyboard.press('Escape');
  assert.ok(
    rows.some((r) => /krr-mcp.*Running/s.test(r)),
    `krr-mcp not running: ${JSON.stringify(rows)}`,
  );

  // VS Code logs the tools it discovered in the server's output: all ten of ours.
  await runCommand(page, 'MCP: List Servers');
  await pickQuickPickRow(page, /krr-mcp/, 30_000);
  await pickQuickPickRow(page, /Show Output/);
  await page
    .locator('.part.panel .view-lines', { hasText: 'Discovered 12 tools' })
    .first()
    .waitFor({ timeout: 30_000 });
  await screenshot(page, 'mcp-server-tools');
});
