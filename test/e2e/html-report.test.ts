import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import { formatResult } from '../../src/cli/formatters/formatters.js';
import { runCli } from '../support/cli/run-cli.js';
import { startEngineEnvironment, type EngineEnvironment } from '../support/engine-environment.js';
import { HOSTILE_NAME, reportHistories, reportScan } from '../unit/cli/html-report-fixtures.js';
import { ARTIFACTS_DIR, missingPrerequisite } from './support/e2e-paths.js';
import { launchChromium, type Chromium, type WatchedPage } from './support/plain-chromium.js';

// `krr-mcp scan -f html` opened in headless Chromium as a person opens it, from disk: every chart drawn,
// no console error, no CSP violation, and no request but the file itself (every other one is routed to the
// test and refused, so an attempt would show).

let chromium: Chromium;
let dir: string;

before(async () => {
  const missing = missingPrerequisite();
  if (missing) throw new Error(`E2E prerequisites: ${missing}`);
  chromium = await launchChromium();
  dir = mkdtempSync(join(tmpdir(), 'krr-mcp-e2e-report-'));
});

after(async () => {
  await chromium?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function openReport(file: string, colorScheme: 'light' | 'dark'): Promise<WatchedPage> {
  const url = pathToFileURL(file).href;
  const watched = await chromium.open({ allow: (requested) => requested === url, colorScheme, height: 900 });
  await watched.page.goto(url);
  return watched;
}

function assertOffline(watched: WatchedPage, file: string): void {
  assert.deepEqual(watched.requests, [pathToFileURL(file).href], 'the file, and nothing else');
  assert.deepEqual(watched.console, [], 'no console message at all: no error, no CSP violation');
}

for (const colorScheme of ['light', 'dark'] as const) {
  test(`the report draws every chart from its own data, offline (${colorScheme})`, async () => {
    const file = join(dir, `report-${colorScheme}.html`);
    writeFileSync(file, formatResult(reportScan, 'html', undefined, undefined, reportHistories));
    const watched = await openReport(file, colorScheme);
    const { page } = watched;
    await page.locator('.usage-figure canvas').first().waitFor({ timeout: 10_000 });
    await page.waitForTimeout(300);
    mkdirSync(ARTIFACTS_DIR, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS_DIR, `html-report-${colorScheme}.png`), fullPage: true });
    assert.equal(await page.locator('.usage-figure').count(), 3, 'a figure per container');
    // app: CPU, memory, throttling; sidecar and worker: CPU and memory.
    assert.equal(await page.locator('.usage-figure .chart-plot canvas').count(), 7);
    const drawn = await page.evaluate<
      number[]
    >(`[...document.querySelectorAll('.chart-plot canvas')].map((c) => {
      const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let painted = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted++;
      return painted;
    })`);
    for (const [i, painted] of drawn.entries())
      assert.ok(painted > 1000, `canvas ${i} is drawn (${painted} px)`);
    assert.equal(await page.locator('table.krr-table tbody tr').count(), 3);
    const text = await page.locator('#report').innerText();
    assert.ok(text.includes(HOSTILE_NAME.replace('\u202E', '⟨U+202E⟩')), 'the markup in a name is text');
    assert.equal(await page.locator('#report img').count(), 0);
    assert.equal(await page.evaluate('typeof window.krrCanary'), 'undefined');
    assertOffline(watched, file);
  });
}

test('a report whose data was tampered with says so and draws nothing', async () => {
  const file = join(dir, 'tampered.html');
  const html = formatResult(reportScan, 'html', undefined, undefined, reportHistories);
  writeFileSync(file, html.replace('"containers":3', '"containers":"3"'));
  const watched = await openReport(file, 'light');
  assert.match(await watched.page.locator('#report').innerText(), /^This report cannot be shown/);
  assertOffline(watched, file);
});

let engine: EngineEnvironment | undefined;
after(async () => {
  await engine?.stop();
});

test('krr-mcp scan -f html --fileoutput FILE: the built CLI writes a complete page (its script inside)', async () => {
  engine = await startEngineEnvironment();
  const file = join(dir, 'scan.html');
  const run = await runCli(['scan', '-p', engine.prometheus.url, '-f', 'html', '--fileoutput', file], {
    KUBECONFIG: engine.kubeconfig,
  });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, '', 'the report goes to the file');
  const html = readFileSync(file, 'utf8');
  const data = JSON.parse(
    /<script type="application\/json" id="krr-report-data">([^]*?)<\/script>/.exec(html)![1]!,
  ) as {
    containers: number;
    charted: number;
  };
  const watched = await openReport(file, 'light');
  const { page } = watched;
  await page.locator('table.krr-table').waitFor({ timeout: 10_000 });
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(ARTIFACTS_DIR, 'html-report-scan.png'), fullPage: true });
  assert.ok(data.containers > 0);
  assert.equal(await page.locator('table.krr-table tbody tr').count(), data.containers);
  assert.equal(
    await page.locator('.usage-figure').count(),
    data.charted,
    'a figure per container with a history',
  );
  console.log(
    `# the scan's report: ${data.containers} container(s), ${data.charted} with charts, ${html.length} bytes`,
  );
  assertOffline(watched, file);
});
