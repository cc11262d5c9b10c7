// The panels' pages in plain Chromium, outside VS Code: the real shell (src/extension/approval/webview-shell.ts,
// with its nonce-only CSP, served as VS Code serves it) and the real bundles, with a stand-in for VS Code's
// `acquireVsCodeApi` that records what the page posts. The host's messages are posted by the test. This lets
// the tests hand the pages any view (hand-made usage histories, hostile text) and watch every CSP violation.

import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { panelHtml, type PanelShell } from '../../../src/extension/approval/webview-shell.js';
import { REPO_ROOT } from './e2e-paths.js';

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css' };

/** VS Code's dark theme, as far as the panels read it (variables on the body, its class). */
const DARK_THEME = `body {
  --vscode-font-family: system-ui, sans-serif; --vscode-font-size: 13px;
  --vscode-editor-font-family: monospace; --vscode-editor-font-size: 13px;
  --vscode-foreground: #cccccc; --vscode-editor-background: #1f1f1f; --vscode-descriptionForeground: #9d9d9d;
  --vscode-errorForeground: #f85149; --vscode-editorWarning-foreground: #cca700;
  --vscode-button-background: #0078d4; --vscode-button-foreground: #ffffff;
  --vscode-button-secondaryBackground: #313131; --vscode-button-secondaryForeground: #cccccc;
  --vscode-badge-background: #616161; --vscode-badge-foreground: #f8f8f8;
  --vscode-widget-border: #313131; --vscode-textCodeBlock-background: #2b2b2b;
  --vscode-charts-blue: #3794ff; --vscode-charts-green: #89d185; --vscode-charts-yellow: #cca700;
  --vscode-charts-orange: #d18616; --vscode-charts-red: #f14c4c; --vscode-charts-purple: #b180d7;
  --vscode-charts-foreground: #cccccc; --vscode-charts-lines: rgba(204, 204, 204, 0.5);
}`;

export interface WebviewHarness {
  /** The page's URL: `approval` or `details`, with the given panel id. */
  url(page: PanelShell['page'], panelId: string): string;
  close(): Promise<void>;
}

const NONCE = 'harness-nonce-0123456789abcdef';

/** The shell as VS Code would get it, plus the stand-in API (a nonce'd script: the CSP allows exactly that). */
function shell(origin: string, page: PanelShell['page'], panelId: string): string {
  const host = { cspSource: origin, asset: (...path: string[]) => `${origin}/${path.join('/')}` };
  const html = panelHtml(host, {
    page,
    title: page,
    idMeta: { name: page === 'approval' ? 'krr-approval-id' : 'krr-details-panel-id', value: panelId },
    mainId: page === 'approval' ? 'approval' : 'details',
    loading: 'Loading…',
    nonce: NONCE,
  });
  const stand = `<script nonce="${NONCE}">
window.krrPosted = [];
window.acquireVsCodeApi = () => ({ postMessage: (message) => window.krrPosted.push(message) });
</script>
<link rel="stylesheet" nonce="${NONCE}" href="${origin}/theme.css">`;
  return html
    .replace('<body>', '<body class="vscode-dark">')
    .replace(`<script nonce="${NONCE}"`, `${stand}\n<script nonce="${NONCE}"`);
}

export async function startWebviewHarness(): Promise<WebviewHarness> {
  let origin = '';
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', origin);
    const page = /^\/(approval|details)$/.exec(url.pathname)?.[1] as PanelShell['page'] | undefined;
    if (page) {
      const html = shell(origin, page, url.searchParams.get('id') ?? '');
      const csp = /content="([^"]+)"/.exec(html.slice(html.indexOf('Content-Security-Policy')))![1]!;
      // Header and meta alike: the stricter of the two would apply anyway.
      response.writeHead(200, { 'content-type': 'text/html', 'content-security-policy': csp });
      response.end(html);
      return;
    }
    if (url.pathname === '/theme.css') {
      response.writeHead(200, { 'content-type': 'text/css' });
      response.end(DARK_THEME);
      return;
    }
    const path = normalize(url.pathname).replace(/^\/+/, '');
    if (!/^(dist\/webview|media)\/[\w.-]+$/.test(path)) {
      response.writeHead(404).end();
      return;
    }
    try {
      const body = readFileSync(join(REPO_ROOT, path));
      response.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' });
      response.end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: (page, panelId) => `${origin}/${page}?id=${encodeURIComponent(panelId)}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
