// An agent outside the editor (the real MCP SDK client on `krr-mcp serve`) and the approval panel it makes
// VS Code show: the helpers the approval tests share.

import assert from 'node:assert/strict';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { findFrameWith, type Frame, type Page } from './browser.js';

export type ToolResult = {
  isError?: boolean;
  content: Array<{ type: string; text?: string }>;
  structuredContent?: Record<string, unknown>;
};
export type Confirmation = {
  plan_id: string;
  status: string;
  confirmation_token: string | null;
  expires_at: string | null;
  message: string;
};
export type Applied = {
  status: string;
  rollback_id: string | null;
  message: string;
  objects: Array<{ namespace: string; kind: string; name: string; status: string }>;
};

export class OutsideAgent {
  constructor(readonly client: Client) {}

  async call(name: string, args: Record<string, unknown> = {}): Promise<ToolResult> {
    return (await this.client.callTool({ name, arguments: args }, undefined, {
      timeout: 180_000,
    })) as ToolResult;
  }

  /** The tool's structured answer; fails the test with the tool's text when the call failed. */
  async data<T>(name: string, args: Record<string, unknown> = {}): Promise<T> {
    const result = await this.call(name, args);
    assert.notEqual(result.isError, true, textOf(result));
    return result.structuredContent as T;
  }
}

export function textOf(result: ToolResult): string {
  return result.content.map((c) => c.text ?? '').join('\n');
}

/** A tool call left waiting when a test fails must not turn into an unhandled rejection later. */
export function waiting<T>(result: Promise<T>): Promise<T> {
  result.catch(() => {});
  return result;
}

/**
 * The content frame of the approval panel showing `expected` (a previous panel may still be going away:
 * its frame is skipped), once the page has rendered the change.
 */
export async function approvalFrame(page: Page, expected: string, timeout = 60_000): Promise<Frame> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const frame = await findFrameWith(page, 'vscode-button.approve', Math.max(1, deadline - Date.now()));
    const shown = await frame
      .locator('#approval')
      .innerText({ timeout: 2_000 })
      .catch(() => '');
    if (shown.includes(expected) && !frame.isDetached()) {
      await frame.locator('vscode-button.approve').waitFor({ state: 'visible', timeout: 15_000 });
      return frame;
    }
    if (Date.now() > deadline) throw new Error(`no approval panel shows ${JSON.stringify(expected)}`);
    await page.waitForTimeout(250);
  }
}

/** How many frames show an approval panel now. */
export async function openApprovalPanels(page: Page): Promise<number> {
  let open = 0;
  for (const frame of page.frames()) {
    if (frame.isDetached()) continue;
    if (
      (await frame
        .locator('vscode-button.approve')
        .count()
        .catch(() => 0)) > 0
    )
      open++;
  }
  return open;
}

/** Waits until no frame shows an approval panel (the panel closes itself once decided). */
export async function approvalPanelClosed(page: Page, timeout = 15_000): Promise<void> {
  const deadline = Date.now() + timeout;
  while ((await openApprovalPanels(page)) > 0) {
    if (Date.now() > deadline) throw new Error('the approval panel is still open after the decision');
    await page.waitForTimeout(250);
  }
}

/** Polls `probe` until it returns a value (not undefined), or fails after `timeout` ms. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeout = 30_000,
  interval = 250,
): Promise<T> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, interval));
  }
}
