import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { after, test } from 'node:test';
import { CLI_PATH } from '../support/cli/run-cli.js';
import { launchBrowser, runCommand, screenshot, type Browser } from './support/browser.js';
import { e2eCacheDir, missingPrerequisite } from './support/e2e-paths.js';

// `krr-mcp demo` as a newcomer runs it: it starts the demo cluster, opens code-server with the extension and
// prints the URL and password; the person logs in, scans, and Ctrl-C stops everything.

let demo: ChildProcess | undefined;
let browser: Browser | undefined;

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

after(async () => {
  await browser?.close();
  if (demo?.pid !== undefined && groupAlive(demo.pid)) process.kill(-demo.pid, 'SIGKILL');
});

test('krr-mcp demo opens code-server on the demo cluster; Ctrl-C stops everything it started', async () => {
  const missing = missingPrerequisite();
  if (missing) throw new Error(`E2E prerequisites: ${missing}`);
  const { DISPLAY: _display, WAYLAND_DISPLAY: _wayland, ...env } = process.env;
  demo = spawn(process.execPath, [CLI_PATH, 'demo', '--editor', 'code-server'], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...env, KRR_E2E_CACHE: e2eCacheDir() },
  });
  let stdout = '';
  let stderr = '';
  demo.stdout?.on('data', (c: Buffer) => (stdout += c));
  demo.stderr?.on('data', (c: Buffer) => (stderr += c));
  const exited = new Promise<number | null>((resolve) => demo!.once('exit', (code) => resolve(code)));

  const deadline = Date.now() + 240_000;
  while (!stdout.includes('Ctrl-C stops the demo.')) {
    assert.ok(Date.now() < deadline, `the demo did not start in time:\n${stdout}\n${stderr}`);
    assert.equal(demo.exitCode, null, `the demo exited:\n${stdout}\n${stderr}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  const url = /VS Code:\s+(\S+)/.exec(stdout)?.[1];
  const password = /password:\s+(\S+)/.exec(stdout)?.[1];
  const kubeconfig = /kubeconfig (\S+)\)/.exec(stdout)?.[1];
  const prometheus = /Prometheus:\s+(\S+)/.exec(stdout)?.[1];
  assert.ok(url && password && kubeconfig && prometheus, stdout);
  assert.ok(existsSync(kubeconfig));

  browser = await launchBrowser();
  const { page } = browser;
  await page.goto(url, { timeout: 60_000 });
  await page.locator('input[type="password"]').fill(password);
  await page.keyboard.press('Enter');
  await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
  // The extension is active and reads the demo's kubeconfig: its status bar item names the context.
  await page.locator('.statusbar-item', { hasText: 'krr-mcp-demo' }).first().waitFor({ timeout: 60_000 });

  await runCommand(page, 'krr-mcp: Focus on Recommendations View');
  await runCommand(page, 'krr-mcp: Scan Cluster');
  const tree = (name: RegExp) => page.getByRole('treeitem', { name }).first();
  await tree(/^prod/).waitFor({ timeout: 90_000 });
  await tree(/^prod/).click();
  await tree(/checkout-api/).waitFor({ timeout: 15_000 });
  await tree(/payments-worker/).waitFor({ timeout: 15_000 });
  // The demo's workspace is the shop's Git repository: the tree finds the worker's manifest in it.
  await page
    .locator('.monaco-list-row', { hasText: /payments-worker[\s\S]*in workspace/ })
    .first()
    .waitFor({ timeout: 60_000 });
  await page.waitForTimeout(300);
  await screenshot(page, 'demo-recommendations');
  await browser.close();

  const codeServer = new URL(url).origin;
  demo.kill('SIGINT');
  const code = await Promise.race([
    exited,
    new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 30_000)),
  ]);
  assert.equal(code, 0, `exit ${String(code)}:\n${stderr}`);
  assert.match(stderr, /Stopping the demo/);
  // Nothing it started is left: the demo, code-server (with its extension host) and Prometheus.
  assert.equal(groupAlive(demo.pid!), false, 'the demo left processes behind');
  await assert.rejects(fetch(`${codeServer}/healthz`, { signal: AbortSignal.timeout(2000) }));
  await assert.rejects(fetch(`${prometheus}/-/ready`, { signal: AbortSignal.timeout(2000) }));
  assert.equal(existsSync(kubeconfig), false, 'the demo directory is removed');
});
