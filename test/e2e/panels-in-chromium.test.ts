import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ARTIFACTS_DIR, missingPrerequisite } from './support/e2e-paths.js';
import { launchChromium, untilTrue, type Chromium, type WatchedPage } from './support/plain-chromium.js';
import {
  approvalView,
  approvalViewWithResize,
  detailsViewWithCharts,
  HOSTILE_POD,
} from './support/panel-views.js';
import { startWebviewHarness, type WebviewHarness } from './support/webview-harness.js';

// The panels' pages in Chromium with the real shell and its nonce-only CSP, fed hand-made usage histories
// (src/core/evidence's model): charts per container with the proposed lines, hover values, theme colours,
// the bounded reason, only the person's own clicks, and not one CSP violation. The same pages run in VS Code
// in approval.test.ts and details.test.ts.

const PANEL_ID = 'harness-panel-id-0123456789';
let harness: WebviewHarness;
let chromium: Chromium;

before(async () => {
  const missing = missingPrerequisite();
  if (missing) throw new Error(`E2E prerequisites: ${missing}`);
  harness = await startWebviewHarness();
  chromium = await launchChromium();
});

after(async () => {
  await chromium?.close();
  await harness?.close();
});

/** Opens a page of the harness (nothing may load from elsewhere) and posts `message` once it said ready. */
async function openPage(
  page: 'approval' | 'details',
  message: Record<string, unknown>,
): Promise<WatchedPage> {
  const origin = new URL(harness.url(page, PANEL_ID)).origin;
  const watched = await chromium.open({ allow: (url) => url.startsWith(origin), height: 1400 });
  await watched.page.goto(harness.url(page, PANEL_ID));
  await untilTrue(watched.page, '(window.krrPosted ?? []).some((m) => m.type === "ready")', 15_000);
  await watched.page.evaluate(`window.postMessage(${JSON.stringify(message)}, '*')`);
  return watched;
}

async function shot(watched: WatchedPage, name: string): Promise<void> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  await watched.page.screenshot({ path: join(ARTIFACTS_DIR, `${name}.png`), fullPage: true });
}

/** No violation seen by the page's own listener, none in the console, no error, nothing from elsewhere. */
async function assertClean(watched: WatchedPage): Promise<void> {
  assert.deepEqual(await watched.page.evaluate('window.krrCspViolations'), []);
  assert.deepEqual(
    watched.console.filter((line) => /^(error|pageerror)|Content Security Policy/i.test(line)),
    [],
  );
  const origin = new URL(harness.url('approval', PANEL_ID)).origin;
  assert.deepEqual(
    watched.requests.filter((url) => !url.startsWith(origin)),
    [],
  );
}

const legendLabels = (watched: WatchedPage, figure: number) =>
  watched.page.evaluate<string[][]>(
    `[...document.querySelectorAll('.usage-figure')[${figure}].querySelectorAll('.u-legend')].map((legend) =>
       [...legend.querySelectorAll('.u-series .u-label')].map((l) => l.textContent))`,
  );

describe('the approval page', () => {
  test('draws a chart per container with the proposed lines, under the nonce-only CSP, with no violation', async () => {
    const view = approvalView();
    const watched = await openPage('approval', { type: 'show', approvalId: PANEL_ID, view });
    await watched.page.locator('.usage-figure canvas').first().waitFor({ timeout: 10_000 });
    await shot(watched, 'harness-approval-panel');
    const { page } = watched;
    assert.equal(await page.locator('.usage-figure').count(), 3, 'one figure per changed container');
    assert.deepEqual(
      await page.evaluate(
        `[...document.querySelectorAll('.usage-figure figcaption')].map((c) => c.textContent)`,
      ),
      [
        'Deployment shop/api · container app',
        'Deployment shop/api · container sidecar',
        'StatefulSet shop/postgres · container db',
      ],
    );
    // app: CPU, memory and throttling; the others CPU and memory. Each chart is drawn (a canvas with pixels).
    assert.equal(await page.locator('.usage-figure .chart-plot canvas').count(), 7);
    const [cpu, memory, throttling] = await legendLabels(watched, 0);
    assert.deepEqual(cpu, ['Time', 'CPU used', 'p95', 'request now', 'request proposed']);
    assert.deepEqual(memory, [
      'Time',
      'memory used',
      'peak',
      'request now',
      'limit now',
      'request proposed',
      'limit proposed',
      'OOM kill',
    ]);
    assert.deepEqual(throttling, ['Time', 'throttled', 'throttled above']);
    assert.ok((await legendLabels(watched, 1))[0]!.includes('request proposed'), 'the sidecar');
    assert.ok((await legendLabels(watched, 2))[1]!.includes('request proposed'), 'the database');
    assert.match(
      (await page.locator('.usage-figure .sr-summary').first().textContent()) ?? '',
      /^CPU: p95 [\d.]+ cores over 14 days; request 0\.5 cores → 0\.25 cores; limit unset\. Memory: .* 2 OOM kills/,
    );
    await assertClean(watched);
  });

  test('hovering a chart shows its values in the legend', async () => {
    const watched = await openPage('approval', { type: 'show', approvalId: PANEL_ID, view: approvalView() });
    const over = watched.page.locator('.usage-figure .chart-cpu .u-over >> nth=0');
    await over.waitFor({ timeout: 10_000 });
    const box = (await over.boundingBox())!;
    await watched.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const values = await watched.page.evaluate<string[]>(
      `[...document.querySelector('.usage-figure .chart-cpu .u-legend').querySelectorAll('.u-series .u-value')].map((v) => v.textContent)`,
    );
    assert.match(values[0]!, /^2024-12-2\d /, 'the time under the cursor');
    assert.match(values[1]!, /^[\d.]+ cores$/, 'the usage there');
    assert.equal(values[4], '0.25 cores', 'the proposed request');
    await assertClean(watched);
  });

  test("the agent's reason comes after the diff, a few lines high with a 2,000-newline reason, escapes visible", async () => {
    const watched = await openPage('approval', { type: 'show', approvalId: PANEL_ID, view: approvalView() });
    const { page } = watched;
    await page.locator('.agent-reason .reason-box').waitFor({ timeout: 10_000 });
    assert.equal(
      await page.evaluate(
        `!!(document.querySelector('.diff-section').compareDocumentPosition(document.querySelector('.agent-reason')) & Node.DOCUMENT_POSITION_FOLLOWING)`,
      ),
      true,
      'after the diffs',
    );
    const text = (await page.locator('.reason-text').textContent()) ?? '';
    assert.ok(text.startsWith('Right-size the api⟨U+202E⟩ and its sidecar⟨U+200B⟩.'), text.slice(0, 80));
    assert.ok(text.split('\n').length <= 6, `${text.split('\n').length} lines`);
    const height = await page.evaluate<number>(
      `document.querySelector('.reason-box').getBoundingClientRect().height`,
    );
    assert.ok(height < 200, `the box is ${height}px high`);
    assert.match((await page.locator('.reason-escapes').textContent()) ?? '', /^2 invisible/);
    const toggle = page.locator('vscode-button.reason-toggle');
    assert.equal(await toggle.textContent(), 'Show all (1001 lines)');
    await toggle.click();
    const expanded = await page.evaluate<{ client: number; scroll: number }>(
      `(() => { const b = document.querySelector('.reason-box'); return { client: b.clientHeight, scroll: b.scrollHeight }; })()`,
    );
    assert.ok(expanded.client <= 400, `expanded, it scrolls within ${expanded.client}px`);
    assert.ok(expanded.scroll > expanded.client * 5, 'all the lines are there, behind a scroll bar');
    // The buttons stay in view however long the page.
    const actions = (await page.locator('.approval > .actions').boundingBox())!;
    assert.ok(actions.y + actions.height <= 1400 && actions.y > 0, `actions at ${actions.y}`);
    await shot(watched, 'harness-approval-reason-expanded');
    await assertClean(watched);
  });

  test("only the person's own click or key press approves; a script's does nothing", async () => {
    const watched = await openPage('approval', { type: 'show', approvalId: PANEL_ID, view: approvalView() });
    const { page } = watched;
    const approve = page.locator('vscode-button.approve');
    await approve.waitFor({ timeout: 10_000 });
    await page.evaluate(`(() => {
      const button = document.querySelector('vscode-button.approve');
      button.click();
      button.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
      button.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    })()`);
    await page.waitForTimeout(300);
    const posted = () =>
      page.evaluate<Array<{ type: string }>>('window.krrPosted.map((m) => ({ type: m.type }))');
    assert.deepEqual(await posted(), [{ type: 'ready' }], 'nothing but ready');
    // Keyboard: Enter on the focused button (vscode-button turns it into its own, untrusted, click).
    await approve.focus();
    await page.keyboard.press('Enter');
    assert.deepEqual(await posted(), [{ type: 'ready' }, { type: 'approve' }]);
    assert.equal(
      await page.evaluate(`document.querySelector('vscode-button.approve').getAttribute('aria-disabled')`),
      'true',
    );
    await page.keyboard.press('Enter');
    assert.equal((await posted()).length, 2, 'once');
    await assertClean(watched);
  });

  test('a mouse click on Reject rejects; the buttons are vscode-elements components', async () => {
    const watched = await openPage('approval', {
      type: 'show',
      approvalId: PANEL_ID,
      view: approvalView('short'),
    });
    const { page } = watched;
    await page.locator('vscode-button.reject').click();
    assert.deepEqual(await page.evaluate('window.krrPosted.map((m) => m.type)'), ['ready', 'reject']);
    assert.equal(await page.evaluate(`customElements.get('vscode-button') !== undefined`), true);
    assert.equal(await page.locator('vscode-table.changes').count(), 2, 'a table per workload');
    assert.equal(await page.locator('.changes-section vscode-collapsible').count(), 2);
    await assertClean(watched);
  });

  test('the charts follow the theme: a new colour or high contrast redraws them', async () => {
    const watched = await openPage('approval', {
      type: 'show',
      approvalId: PANEL_ID,
      view: approvalView('short'),
    });
    const { page } = watched;
    await page.locator('.usage-figure canvas').first().waitFor({ timeout: 10_000 });
    const proposedMarker = `(() => {
      const legend = document.querySelector('.usage-figure .chart-cpu .u-legend');
      const row = [...legend.querySelectorAll('.u-series')].find((r) => r.textContent.includes('request proposed'));
      return getComputedStyle(row.querySelector('.u-marker')).borderTopColor;
    })()`;
    assert.equal(await page.evaluate(proposedMarker), 'rgb(137, 209, 133)', "the dark theme's green");
    await page.evaluate(`(() => {
      document.body.style.setProperty('--vscode-charts-green', '#00ff00');
      document.body.className = 'vscode-high-contrast';
    })()`);
    await untilTrue(page, `${proposedMarker} === 'rgb(0, 255, 0)'`);
    await assertClean(watched);
  });
});

describe('the approval page offering to resize running pods', () => {
  const cells = (watched: WatchedPage, table: number) =>
    watched.page.evaluate<string[][]>(
      `[...document.querySelectorAll('.running-pods-table')[${table}].querySelectorAll('vscode-table-row')].map((row) =>
         [...row.querySelectorAll('vscode-table-cell')].map((cell) => cell.textContent))`,
    );

  test('lists per workload which pods are resized in place, which restart a container, which cannot, as text', async () => {
    const watched = await openPage('approval', {
      type: 'show',
      approvalId: PANEL_ID,
      view: approvalViewWithResize(),
    });
    const { page } = watched;
    await page.locator('.running-pods vscode-table-cell').first().waitFor({ timeout: 10_000 });
    await shot(watched, 'harness-approval-resize');
    await page
      .locator('.running-pods')
      .screenshot({ path: join(ARTIFACTS_DIR, 'harness-approval-running-pods.png') });
    assert.equal(await page.locator('.running-pods > h2').textContent(), 'Running pods');
    assert.deepEqual(await cells(watched, 0), [
      [HOSTILE_POD, 'resized in place, no restart', 'Burstable', 'resized in place, no container restarts'],
      [
        'api-7d9f-k2x',
        'resized in place; container sidecar restarts',
        'Burstable',
        'resized in place; sidecar restarts (resizePolicy RestartContainer)',
      ],
    ]);
    const [postgres] = await cells(watched, 1);
    assert.deepEqual(postgres!.slice(0, 3), [
      'postgres-0',
      'cannot be resized in place',
      'Guaranteed → Burstable (would change)',
    ]);
    assert.deepEqual(
      await page.evaluate(
        `[...document.querySelectorAll('.running-pods .pods-headline')].map((p) => p.textContent)`,
      ),
      [
        '2 running pod(s): 1 resized in place without a restart, 1 resized with a container restart.',
        `Not resized in place: pod postgres-0 cannot be resized in place: ${postgres![3]}. Its pods are replaced by the rollout, as with Approve.`,
      ],
    );
    // The pod's name is text: no element was made of it, and nothing it names ran.
    assert.equal(await page.locator('img').count(), 0);
    assert.equal(await page.evaluate('window.krrPwned === undefined'), true);
    // The section sits between the changes and the usage; the second button beside Approve.
    assert.equal(
      await page.evaluate(
        `[...document.querySelector('.approval').children].filter((e) => e.tagName === 'SECTION').map((e) => e.className).slice(2, 5).join(' ')`,
      ),
      'changes-section running-pods usage-section',
    );
    assert.deepEqual(
      await page.evaluate(
        `[...document.querySelectorAll('.actions vscode-button')].map((b) => [b.className, b.textContent])`,
      ),
      [
        ['approve', 'Approve'],
        ['approve-resize', 'Approve and resize running pods'],
        ['reject', 'Reject'],
      ],
    );
    await assertClean(watched);
  });

  test("the person's click on the resize button asks for it; a script's does nothing; a declined confirmation re-enables both", async () => {
    const watched = await openPage('approval', {
      type: 'show',
      approvalId: PANEL_ID,
      view: approvalViewWithResize(),
    });
    const { page } = watched;
    const resize = page.locator('vscode-button.approve-resize');
    await resize.waitFor({ timeout: 10_000 });
    await page.evaluate(`document.querySelector('vscode-button.approve-resize').click()`);
    await page.waitForTimeout(300);
    assert.deepEqual(await page.evaluate('window.krrPosted.map((m) => m.type)'), ['ready']);
    await resize.click();
    assert.deepEqual(await page.evaluate('window.krrPosted.slice(1)'), [
      { type: 'approve', approvalId: PANEL_ID, resizeRunningPods: true },
    ]);
    const disabled = `['approve', 'approve-resize'].map((c) => document.querySelector('vscode-button.' + c).getAttribute('aria-disabled'))`;
    assert.deepEqual(await page.evaluate(disabled), ['true', 'true'], 'one click, one answer');
    await page.evaluate(
      `window.postMessage(${JSON.stringify({ type: 'confirmationDeclined', approvalId: PANEL_ID })}, '*')`,
    );
    await untilTrue(page, `${disabled}.every((a) => a === null)`).catch(() => {});
    const enabled = await page.evaluate<Array<string | null>>(disabled);
    assert.deepEqual(enabled, [null, null], 'both may be clicked again');
    await assertClean(watched);
  });

  test('without an offer there is no Running pods section and no resize button', async () => {
    const watched = await openPage('approval', {
      type: 'show',
      approvalId: PANEL_ID,
      view: approvalView('short'),
    });
    const { page } = watched;
    await page.locator('vscode-button.approve').waitFor({ timeout: 10_000 });
    assert.equal(await page.locator('.running-pods').count(), 0);
    assert.equal(await page.locator('vscode-button.approve-resize').count(), 0);
    assert.doesNotMatch((await page.locator('#approval').innerText()) ?? '', /resize|Running pods/i);
    await assertClean(watched);
  });
});

describe('the details page', () => {
  test("shows krr's values and the same charts, read-only, with no violation", async () => {
    const view = detailsViewWithCharts();
    const watched = await openPage('details', { type: 'show', panelId: PANEL_ID, view });
    const { page } = watched;
    await page.locator('.usage-figure canvas').first().waitFor({ timeout: 10_000 });
    await shot(watched, 'harness-details-panel');
    assert.equal(await page.locator('.details-container').count(), 2);
    assert.equal(await page.locator('.usage-figure').count(), 1, 'the container with a history');
    assert.match((await page.locator('#details').innerText()) ?? '', /No usage history for this container\./);
    assert.ok((await legendLabels(watched, 0))[0]!.includes('request proposed'));
    assert.equal(await page.locator('vscode-button').count(), 0, 'nothing to click');
    await assertClean(watched);
  });
});
