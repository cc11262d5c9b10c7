import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { paletteRow, runCommand, screenshot, type Page } from './support/browser.js';
import { startE2eEnvironment, type E2eEnvironment } from './support/e2e-environment.js';
import { eventually, textOf } from './support/outside-agent.js';
import { waitForTree } from './support/tree.js';

// Changes where they live, in a real VS Code: the workspace keeps the engine test cluster's shop/web in Git.
// After a scan, its manifest shows the recommendation as a CodeLens and a problem, the workspace command
// shows VS Code's refactor preview before writing anything, and the Quick Fix writes the recommendation into
// the file (its comments kept).
// The workspace also holds a .vscode/settings.json that tries to raise the safety limit: it must not.

const FIXTURE = fileURLToPath(new URL('../fixtures/engine-cluster-manifests', import.meta.url));
const WEB = readFileSync(join(FIXTURE, 'apps', 'web.yaml'), 'utf8');

let env: E2eEnvironment;
let page: Page;

before(async () => {
  env = await startE2eEnvironment('manifests', {
    settings: { 'krrMcp.namespaces': ['shop'] },
    workspaceFiles: {
      'README.md': '# The shop, as kept in Git\n',
      'apps/web.yaml': WEB,
      // An agent that can write to the repository writes this: the gate must ignore it.
      '.vscode/settings.json': JSON.stringify({ 'krrMcp.maxResourceChangePercent': 100000 }),
    },
  });
  page = env.browser.page;
});

after(async () => {
  await env?.stop();
});

describe('recommendations in the workspace manifests', () => {
  test("a scan puts the recommendation on web's manifest: a CodeLens and a problem", async () => {
    await runCommand(page, 'krr-mcp: Focus on Recommendations View');
    await runCommand(page, 'krr-mcp: Scan Cluster');
    await waitForTree(page, 'the scanned context', (rows) => rows.some((r) => r.level === 1));
    const input = await paletteRow(page, 'apps/web.yaml', 'web.yaml');
    await input.press('Enter');
    const lens = page.locator('.codelens-decoration', { hasText: 'krr:' }).first();
    await lens.waitFor({ timeout: 60_000 });
    assert.match(await lens.innerText(), /krr: cpu 500m → 400m · memory 512Mi → 692Mi/);
    await runCommand(page, 'View: Focus Problems');
    const problem = page.locator('.markers-panel .monaco-list-row', { hasText: 'krr' }).first();
    await problem.waitFor({ timeout: 30_000 });
    assert.match(await problem.innerText(), /requests\.cpu 500m → 400m/);
    await screenshot(page, 'manifest-codelens');
  });

  test('Apply Recommendations to Workspace Manifests shows the refactor preview before writing', async () => {
    const before = readFileSync(join(env.codeServer.workspace, 'apps', 'web.yaml'), 'utf8');
    await runCommand(page, 'krr-mcp: Apply Recommendations to Workspace Manifests');
    // The namespaces to write, all ticked: accept.
    const ok = page.locator('.quick-input-widget .monaco-button', { hasText: 'OK' }).first();
    await ok.waitFor({ timeout: 15_000 });
    await ok.click();
    const preview = page.getByRole('tab', { name: /Refactor Preview/ }).first();
    await preview.waitFor({ timeout: 30_000 }).catch(async (error: Error) => {
      await screenshot(page, 'manifest-refactor-preview-missing');
      throw error;
    });
    await screenshot(page, 'manifest-refactor-preview');
    // Each change is an entry the person ticks before Apply: the CPU request with its comment among them.
    const entries = page.locator('.monaco-list-row', { hasText: 'sized for the launch' }).first();
    await entries.waitFor({ timeout: 15_000 });
    assert.equal(
      readFileSync(join(env.codeServer.workspace, 'apps', 'web.yaml'), 'utf8'),
      before,
      'nothing is written while the preview is open',
    );
    await page.getByRole('button', { name: 'Discard' }).click();
    await preview.waitFor({ state: 'hidden', timeout: 15_000 });
  });

  test('the Quick Fix writes the recommendation into the file, comments kept', async () => {
    // The cursor on the `resources:` line of container app (the first one), then the Quick Fix menu.
    await page
      .locator('.monaco-editor .view-line', { hasText: /^\s*resources:$/ })
      .first()
      .click();
    await runCommand(page, 'Quick Fix...');
    const fix = page
      .locator('.action-widget .monaco-list-row', { hasText: 'Apply krr recommendation' })
      .first();
    await fix.waitFor({ timeout: 15_000 });
    await fix.click();
    await runCommand(page, 'File: Save');
    const saved = await eventually(
      'the saved file',
      () => {
        const text = readFileSync(join(env.codeServer.workspace, 'apps', 'web.yaml'), 'utf8');
        return text.includes('cpu: 400m') ? text : undefined;
      },
      30_000,
    );
    assert.match(saved, /^# The storefront's web tier\.\n/, 'the leading comment');
    assert.match(saved, /cpu: 400m # sized for the launch\n/, 'the comment on the edited line');
    assert.match(saved, /memory: 692Mi/);
    assert.doesNotMatch(saved, /cpu: "1"/, "krr's simple strategy removes the CPU limit");
  });
});

describe("a workspace's settings cannot loosen the gate", () => {
  test('.vscode/settings.json raising maxResourceChangePercent does not change the limit the authority enforces', async () => {
    // The agent's own server is told a huge limit too: only the authority (the person's settings) decides.
    const { client } = await env.connectOutsideClient({ MAX_RESOURCE_CHANGE_PERCENT: '100000' });
    const call = async (name: string, args: Record<string, unknown>) =>
      (await client.callTool({ name, arguments: args }, undefined, { timeout: 120_000 })) as Parameters<
        typeof textOf
      >[0] & { isError?: boolean; structuredContent?: Record<string, unknown> };
    const preview = await call('preview_changes', {
      changes: [
        {
          kind: 'Deployment',
          namespace: 'shop',
          name: 'idle',
          containers: [{ container: 'app', requests: { cpu: '2' } }],
        },
      ],
    });
    assert.notEqual(preview.isError, true, textOf(preview));
    assert.equal(
      (preview.structuredContent as { blocked: boolean }).blocked,
      false,
      "the agent's server allowed it",
    );
    const refused = await call('request_confirmation', {
      plan_id: (preview.structuredContent as { plan_id: string }).plan_id,
    });
    assert.equal(refused.isError, true);
    assert.match(textOf(refused), /100m → 2 is a 1900% change, above the 500% limit/);
  });
});
