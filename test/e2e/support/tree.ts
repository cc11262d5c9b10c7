// The Recommendations tree and the quick picks of its commands, as a person sees them in the workbench.

import type { Locator, Page } from './browser.js';
import { eventually } from './outside-agent.js';

const TREE = '[role="tree"][aria-label="Recommendations"]';

export interface TreeRow {
  /** The row's accessible name: label and description ("postgres StatefulSet · saves $20.58/mo"). */
  name: string;
  /** 1 context, 2 namespace, 3 workload, 4 container. */
  level: number;
  /** true or false for rows that can expand, undefined for leaves. */
  expanded?: boolean;
}

/** The rows the Recommendations tree renders now, top to bottom. */
export async function treeRows(page: Page): Promise<TreeRow[]> {
  return page.evaluate<TreeRow[]>(`(() => {
    const tree = document.querySelector(${JSON.stringify(TREE)});
    if (!tree) return [];
    return [...tree.querySelectorAll('[role="treeitem"]')]
      .map((row) => ({
        name: (row.getAttribute('aria-label') ?? '').replace(/, has actions$/, ''),
        level: Number(row.getAttribute('aria-level')),
        expanded: row.hasAttribute('aria-expanded') ? row.getAttribute('aria-expanded') === 'true' : undefined,
        top: row.getBoundingClientRect().top,
      }))
      .sort((a, b) => a.top - b.top)
      .map(({ top, ...row }) => row);
  })()`);
}

/** Waits until the tree's rows satisfy `accept` (the tree re-renders asynchronously after a command). */
export async function waitForTree(
  page: Page,
  what: string,
  accept: (rows: TreeRow[]) => boolean,
  timeout = 30_000,
): Promise<TreeRow[]> {
  let last: TreeRow[] = [];
  try {
    return await eventually(
      what,
      async () => {
        last = await treeRows(page);
        return accept(last) ? last : undefined;
      },
      timeout,
    );
  } catch (error) {
    throw new Error(
      `${(error as Error).message}; the tree shows ${JSON.stringify(last.map((r) => r.name))}`,
      {
        cause: error,
      },
    );
  }
}

/** The first tree row whose text matches. */
export function treeRow(page: Page, text: string | RegExp): Locator {
  return page.locator(`${TREE} [role="treeitem"]`, { hasText: text }).first();
}

/** Names (first word of the label) of the rows at `level`. */
export function namesAt(rows: TreeRow[], level: number): string[] {
  return rows.filter((r) => r.level === level).map((r) => r.name.split(' ')[0]!);
}

/** The tree view's message line ("Filtered: …"), or '' when it shows none. */
export async function treeMessage(page: Page): Promise<string> {
  return page.evaluate<string>(`(() => {
    const pane = document.querySelector(${JSON.stringify(TREE)})?.closest('.pane');
    const message = pane?.querySelector('.message');
    return message && !message.classList.contains('hide') ? message.textContent ?? '' : '';
  })()`);
}

/** Waits until the tree view's message line reads `expected` ('' for none); it updates apart from the rows. */
export async function waitForTreeMessage(page: Page, expected: string, timeout = 15_000): Promise<void> {
  let last = '';
  await eventually(
    `the tree message ${JSON.stringify(expected)}`,
    async () => ((last = await treeMessage(page)) === expected ? true : undefined),
    timeout,
  ).catch((error: Error) => {
    throw new Error(`${error.message}; it reads ${JSON.stringify(last)}`, { cause: error });
  });
}

/** Expands every collapsed row at `level` (VS Code forgets the expansion of rows a filter removed). */
export async function expandAll(page: Page, level: number): Promise<void> {
  for (;;) {
    const collapsed = (await treeRows(page)).find((r) => r.level === level && r.expanded === false);
    if (!collapsed) return;
    const label = collapsed.name.split(' ')[0]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const row = treeRow(page, new RegExp(`^${label}`));
    const expanded = async () =>
      (await treeRows(page)).some((r) => r.name === collapsed.name && r.expanded) ? true : undefined;
    await row.click();
    // A refresh of the tree (risk signals arriving, a scan's rows) can swallow the click. Right arrow then
    // expands the focused row, and unlike a second click never collapses one that did open.
    for (let attempt = 1; ; attempt++) {
      try {
        await eventually(`${collapsed.name} to expand`, expanded, attempt < 6 ? 5_000 : 30_000);
        break;
      } catch (error) {
        if (attempt >= 6) throw error;
        // The click focused the row in the tree, which keeps the keyboard focus.
        await page.keyboard.press('ArrowRight');
      }
    }
  }
}

/** Waits for the quick pick whose placeholder contains `placeholder`. */
export async function waitForQuickPick(page: Page, placeholder: string, timeout = 15_000): Promise<void> {
  await page
    .locator(`.quick-input-widget .quick-input-box input[placeholder*=${JSON.stringify(placeholder)}]`)
    .waitFor({ state: 'visible', timeout });
}

/** Ticks the rows of a multi-select quick pick and accepts them with OK. */
export async function pickMany(page: Page, labels: string[]): Promise<void> {
  for (const label of labels) {
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first();
    await row.waitFor({ timeout: 10_000 });
    await row.locator('.quick-input-list-checkbox, input[type="checkbox"], .monaco-checkbox').first().click();
  }
  await page.locator('.quick-input-widget .monaco-button', { hasText: 'OK' }).first().click();
}
