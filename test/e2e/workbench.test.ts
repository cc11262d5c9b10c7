import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openPalette, quickPickRows, runCommand, screenshot } from './support/browser.js';
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
  await openPalette(page, '>krr-mcp:');
  await page
    .locator('.quick-input-list .monaco-list-row', { hasText: 'krr-mcp: Scan Cluster' })
    .first()
    .waitFor({ timeout: 15_000 });
  const rows = await quickPickRows(page);
  await screenshot(page, 'palette-krr-mcp');
  for (const title of ['Scan Cluster', 'Select Context', 'Configure Prometheus', 'Verify Audit Log']) {
    assert.ok(
      rows.some((r) => r.includes(`krr-mcp: ${title}`)),
      `"krr-mcp: ${title}" missing from ${JSON.stringify(rows)}`,
    );
  }
  await page.keyboard.press('Escape');
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

test('"krr-mcp: Scan Cluster" scans the simulator with the real Prometheus and opens the krr JSON', async () => {
  const { page } = env.browser;
  await runCommand(page, 'krr-mcp: Scan Cluster');
  // The result opens as an untitled JSON document; the first lines of krr's format are visible.
  const editor = page.locator('.editor-instance .view-lines', { hasText: '"scans"' }).first();
  await editor.waitFor({ timeout: 60_000 });
  await screenshot(page, 'scan-cluster-result');
  const text = await page.locator('.editor-instance .view-lines').first().innerText();
  assert.match(text, /log-agent|"scans"/);
});
