// Debian's chromium driven by playwright-core (both installed by scripts/install-e2e-dependencies.sh, not
// project dependencies: playwright-core is loaded from the E2E cache, hence the small typings below).

import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ARTIFACTS_DIR, e2ePaths, removeOnExit } from './e2e-paths.js';

// ---- The part of Playwright's API these tests use ----------------------------------------------------
export interface Locator {
  waitFor(options?: {
    state?: 'attached' | 'detached' | 'visible' | 'hidden';
    timeout?: number;
  }): Promise<void>;
  click(options?: { timeout?: number; position?: { x: number; y: number } }): Promise<void>;
  hover(options?: { timeout?: number }): Promise<void>;
  fill(value: string, options?: { timeout?: number }): Promise<void>;
  first(): Locator;
  count(): Promise<number>;
  textContent(options?: { timeout?: number }): Promise<string | null>;
  innerText(options?: { timeout?: number }): Promise<string>;
  allInnerTexts(): Promise<string[]>;
  isVisible(): Promise<boolean>;
  isDisabled(): Promise<boolean>;
  locator(selector: string, options?: { hasText?: string | RegExp }): Locator;
  screenshot(options: { path: string }): Promise<Buffer>;
}
export interface Frame {
  url(): string;
  name(): string;
  locator(selector: string, options?: { hasText?: string | RegExp }): Locator;
  evaluate<R>(fn: string | (() => R)): Promise<R>;
  isDetached(): boolean;
}
export interface Page {
  goto(url: string, options?: { timeout?: number }): Promise<unknown>;
  waitForSelector(selector: string, options?: { timeout?: number }): Promise<unknown>;
  locator(selector: string, options?: { hasText?: string | RegExp }): Locator;
  getByRole(role: string, options?: { name?: string | RegExp }): Locator;
  evaluate<R>(fn: string | (() => R)): Promise<R>;
  frames(): Frame[];
  mouse: { move(x: number, y: number): Promise<void> };
  keyboard: { press(key: string): Promise<void>; type(text: string): Promise<void> };
  screenshot(options: { path: string; fullPage?: boolean }): Promise<Buffer>;
  on(event: 'pageerror', listener: (error: Error) => void): void;
  on(event: 'console', listener: (message: { type(): string; text(): string }) => void): void;
  waitForTimeout(ms: number): Promise<void>;
}
interface BrowserContext {
  pages(): Page[];
  newPage(): Promise<Page>;
  close(): Promise<void>;
}
interface PlaywrightCore {
  chromium: {
    launchPersistentContext(
      userDataDir: string,
      options: {
        executablePath: string;
        headless: boolean;
        viewport: { width: number; height: number };
        args: string[];
      },
    ): Promise<BrowserContext>;
  };
}
// -------------------------------------------------------------------------------------------------------

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  page: Page;
  /** Page errors seen so far (the workbench's own and ours). */
  errors: string[];
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<Browser> {
  const require = createRequire(import.meta.url);
  const { chromium } = require(e2ePaths.playwrightCore()) as PlaywrightCore;
  const profile = mkdtempSync(join(tmpdir(), 'krr-mcp-e2e-chromium-'));
  const forgetProfile = removeOnExit(profile);
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: e2ePaths.chromium(),
      headless: true,
      viewport: { width: 1400, height: 900 },
      args: CHROMIUM_ARGS,
    });
  } catch (error) {
    rmSync(profile, { recursive: true, force: true });
    throw error;
  }
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  let closed: Promise<void> | undefined;
  return {
    page,
    errors,
    close: () =>
      (closed ??= (async () => {
        await context.close().catch(() => {});
        rmSync(profile, { recursive: true, force: true, maxRetries: 3 });
        forgetProfile();
      })()),
  };
}

/** Opens the workbench and waits until the explorer shows the workspace file and extensions have loaded. */
export async function openWorkbench(page: Page, url: string, workspaceFile = 'README.md'): Promise<void> {
  await page.goto(url, { timeout: 60_000 });
  await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
  await page
    .getByRole('treeitem', { name: new RegExp(workspaceFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) })
    .waitFor({ timeout: 60_000 });
}

/**
 * Opens the palette with `text` typed in and waits for a row containing `row`. The palette lists the
 * commands known when it opens, so while extensions are still being registered it is reopened until the
 * row shows up.
 */
export async function paletteRow(
  page: Page,
  text: string,
  row: string | RegExp,
  timeout = 30_000,
): Promise<Locator & { press(key: string): Promise<void> }> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const input = await openPalette(page, text);
    const found = await page
      .locator('.quick-input-list .monaco-list-row', { hasText: row })
      .first()
      .waitFor({ timeout: 3_000 })
      .then(() => true)
      .catch(() => false);
    if (found) return input;
    if (Date.now() > deadline) {
      await screenshot(page, 'palette-row-missing');
      throw new Error(
        `the palette (${text}) shows no row ${String(row)}: ${JSON.stringify(await quickPickRows(page))}`,
      );
    }
    await page.keyboard.press('Escape');
  }
}

/** F1, type the command (with the `>` prefix), wait for its row, Enter. */
export async function runCommand(
  page: Page,
  title: string,
  options: { timeout?: number } = {},
): Promise<void> {
  const input = await paletteRow(page, `>${title}`, title, options.timeout);
  await input.press('Enter');
}

/** Opens the command palette with `text` typed in; returns the input. */
export async function openPalette(
  page: Page,
  text: string,
): Promise<Locator & { press(key: string): Promise<void> }> {
  const input = page.locator('.quick-input-widget .quick-input-box input') as Locator & {
    press(key: string): Promise<void>;
  };
  // The workbench may take the palette away right after it opened (a server starting, a notification
  // taking focus): open it again, a few times, before giving up.
  for (let attempt = 1; ; attempt++) {
    try {
      // A quick pick may be open or still closing: close it, then open the palette afresh.
      if (await input.isVisible()) await page.keyboard.press('Escape');
      await input.waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => {});
      await page.keyboard.press('F1');
      const opened = await input
        .waitFor({ state: 'visible', timeout: 3_000 })
        .then(() => true)
        .catch(() => false);
      if (!opened) {
        // Focus was nowhere F1 reaches: click an empty part of the activity bar (never an editor or webview).
        await page.locator('.part.activitybar').click({ position: { x: 20, y: 600 } });
        await page.keyboard.press('F1');
        await input.waitFor({ state: 'visible', timeout: 10_000 });
      }
      await input.fill(text, { timeout: 5_000 });
      return input;
    } catch (error) {
      if (attempt >= 4) throw error;
      console.log(`# the palette went away while opening (attempt ${attempt}); opening it again`);
      await screenshot(page, `palette-retry-${attempt}`).catch(() => '');
    }
  }
}

/** Labels of the rows the quick pick shows now. */
export async function quickPickRows(page: Page): Promise<string[]> {
  return page.locator('.quick-input-list .monaco-list-row').allInnerTexts();
}

/** Picks the visible quick-pick row containing `text`. */
export async function pickQuickPickRow(page: Page, text: string | RegExp, timeout = 15_000): Promise<void> {
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: text }).first();
  await row.waitFor({ timeout });
  await row.click();
}

/**
 * The frame (webviews are nested iframes: the outer host frame and the inner content frame) in which
 * `selector` matches, found by scanning every frame of the page until the deadline.
 */
export async function findFrameWith(page: Page, selector: string, timeout = 30_000): Promise<Frame> {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      if (frame.isDetached()) continue;
      try {
        if ((await frame.locator(selector).count()) > 0) return frame;
      } catch {
        // the frame navigated or went away while we looked
      }
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`no frame contains ${selector} after ${timeout} ms`);
}

/** Saves a screenshot of the whole page to test-artifacts/e2e/<name>.png and returns the path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const path = join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path });
  return path;
}
