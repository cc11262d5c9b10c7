// Debian's chromium for pages outside the workbench (the panels' pages in the harness, the HTML report):
// a fresh context per page, every request routed through the test, every console message kept.

import { createRequire } from 'node:module';
import type { Frame, Locator } from './browser.js';
import { e2ePaths } from './e2e-paths.js';

export interface PlainPage extends Frame {
  goto(url: string): Promise<unknown>;
  mouse: { move(x: number, y: number): Promise<void> };
  keyboard: { press(key: string): Promise<void> };
  screenshot(options: { path: string; fullPage?: boolean }): Promise<Buffer>;
  waitForTimeout(ms: number): Promise<void>;
  locator(
    selector: string,
    options?: { hasText?: string | RegExp },
  ): Locator & {
    boundingBox(): Promise<{ x: number; y: number; width: number; height: number } | null>;
    focus(): Promise<void>;
  };
}

/**
 * Waits until `expression` is true in the page. Polled with evaluate (the DevTools protocol): Playwright's
 * waitForFunction evaluates its string with eval inside the page, which the panels' CSP rightly forbids.
 */
export async function untilTrue(page: PlainPage, expression: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await page.evaluate<boolean>(`Boolean(${expression})`))) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${expression}`);
    await page.waitForTimeout(50);
  }
}

export interface WatchedPage {
  page: PlainPage;
  /** Every URL the page asked for (the tests decide which are allowed). */
  requests: string[];
  /** Console messages ("type: text") and uncaught errors ("pageerror: message"). */
  console: string[];
}

interface Route {
  request(): { url(): string };
  continue(): Promise<void>;
  abort(): Promise<void>;
}
interface Context {
  newPage(): Promise<
    PlainPage & {
      route(pattern: string, handler: (route: Route) => Promise<void>): Promise<void>;
      on(event: 'console', listener: (m: { type(): string; text(): string }) => void): void;
      on(event: 'pageerror', listener: (e: Error) => void): void;
    }
  >;
  close(): Promise<void>;
}
interface PlainBrowser {
  newContext(options: {
    viewport: { width: number; height: number };
    colorScheme?: 'light' | 'dark';
  }): Promise<Context>;
  close(): Promise<void>;
}

export interface Chromium {
  /** A page in a fresh context; `allow(url)` says which requests may go through (the others are aborted). */
  open(options: {
    allow(url: string): boolean;
    colorScheme?: 'light' | 'dark';
    height?: number;
  }): Promise<WatchedPage>;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<Chromium> {
  const require = createRequire(import.meta.url);
  const { chromium } = require(e2ePaths.playwrightCore()) as {
    chromium: {
      launch(options: { executablePath: string; headless: boolean; args: string[] }): Promise<PlainBrowser>;
    };
  };
  const browser = await chromium.launch({
    executablePath: e2ePaths.chromium(),
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
    ],
  });
  const contexts: Context[] = [];
  return {
    async open({ allow, colorScheme = 'dark', height = 1000 }) {
      const context = await browser.newContext({ viewport: { width: 1200, height }, colorScheme });
      contexts.push(context);
      const page = await context.newPage();
      const requests: string[] = [];
      const console: string[] = [];
      page.on('console', (m) => console.push(`${m.type()}: ${m.text()}`));
      page.on('pageerror', (e) => console.push(`pageerror: ${e.message}`));
      await page.route('**/*', async (route) => {
        const url = route.request().url();
        requests.push(url);
        await (allow(url) ? route.continue() : route.abort());
      });
      return { page, requests, console };
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => {});
      await browser.close();
    },
  };
}
