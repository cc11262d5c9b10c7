// The only handle on the extension host. VS Code lets a page acquire its API once, and the
// handle stays inside this module so no other script in the page can reach it through a global.
import type { PageMessage } from '../../src/extension/approval/panel-protocol.js';

declare function acquireVsCodeApi(): { postMessage(message: unknown): void };

const vscodeApi = acquireVsCodeApi();

export function postToHost(message: PageMessage): void {
  vscodeApi.postMessage(message);
}
