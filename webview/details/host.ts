// The details page's only handle on the extension host (acquired once, kept in this module).
import type { DetailsPageMessage } from '../../src/extension/approval/panel-protocol.js';

declare function acquireVsCodeApi(): { postMessage(message: unknown): void };

const vscodeApi = acquireVsCodeApi();

export function postToHost(message: DetailsPageMessage): void {
  vscodeApi.postMessage(message);
}
