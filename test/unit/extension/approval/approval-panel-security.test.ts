import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { beforeEach, test } from 'node:test';
import { double } from '../../../support/vscode-double/vscode.js';
import { ATTRIBUTE_BREAKOUT, hostileRequest, openPanel, SCRIPT_NAME } from './approval-fixtures.js';

beforeEach(() => double.reset());

function cspOf(html: string): string {
  const match = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html);
  assert.ok(match?.[1], 'the shell declares a CSP');
  return match[1];
}

function nonceOf(csp: string): string {
  const match = /script-src 'nonce-([A-Za-z0-9_-]+)'/.exec(csp);
  assert.ok(match?.[1], 'scripts are allowed by nonce only');
  return match[1];
}

test('the shell carries a nonce-only CSP, and the nonce is fresh for every panel', () => {
  const first = openPanel().panel;
  const second = openPanel().panel;
  const csp = cspOf(first.webview.html);
  const nonce = nonceOf(csp);
  const source = first.webview.cspSource;
  assert.equal(
    csp,
    `default-src 'none'; script-src 'nonce-${nonce}'; style-src ${source} 'nonce-${nonce}'; img-src ${source}; font-src ${source}`,
  );
  assert.ok(nonce.length >= 22, 'at least 128 bits');
  assert.notEqual(nonceOf(cspOf(second.webview.html)), nonce);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*|https:|data:/);
  // Every script and stylesheet in the shell carries the nonce; nothing is inline.
  const scripts = [...first.webview.html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
  assert.equal(scripts.length, 1);
  assert.match(
    scripts[0]!,
    new RegExp(`^<script nonce="${nonce}" src="vscode-webview:[^"]*/ext/dist/webview/approval\\.js">$`),
  );
  // The panel's stylesheet, and the one bundled with the page's modules (uPlot's and the charts'): no more.
  const links = [...first.webview.html.matchAll(/<link\b[^>]*>/g)].map((m) => m[0]);
  assert.deepEqual(links, [
    `<link rel="stylesheet" nonce="${nonce}" href="vscode-webview:/ext/media/approval.css">`,
    `<link rel="stylesheet" nonce="${nonce}" href="vscode-webview:/ext/dist/webview/approval.css">`,
  ]);
  assert.doesNotMatch(first.webview.html, /<style|\sstyle=|\son[a-z]+=/i);
});

test('the panel opens in front with scripts on, forms off, and only its own folders readable', () => {
  const { panel } = openPanel();
  assert.equal(panel.viewType, 'krrMcp.approval');
  assert.deepEqual(panel.showOptions, { viewColumn: -1, preserveFocus: false });
  const { localResourceRoots, ...rest } = panel.options as { localResourceRoots: Array<{ path: string }> };
  assert.deepEqual(rest, { enableScripts: true, enableForms: false });
  assert.deepEqual(
    localResourceRoots.map((u) => u.path),
    ['/ext/dist/webview', '/ext/media'],
  );
  assert.ok(!('enableCommandUris' in panel.options), 'no command URIs');
  assert.ok(!('retainContextWhenHidden' in panel.options), 'no retained hidden context');
});

test('the title is text built from the context and the workload count', () => {
  const { panel } = openPanel(hostileRequest({ cluster: { context: 'prod\n eu', server: 'https://k' } }));
  assert.equal(panel.title, 'Approve: prod eu — 1 workload(s)');
});

test('the shell holds no request data: names, diff, reason and cluster all arrive by message', () => {
  const request = hostileRequest();
  const { panel } = openPanel(request);
  const html = panel.webview.html;
  for (const text of [
    SCRIPT_NAME,
    ATTRIBUTE_BREAKOUT,
    'alert(1)',
    'onerror',
    request.cluster.context,
    request.cluster.server,
    request.planId,
    request.planHash,
    'Deployment',
    '500m',
    'trust me',
  ]) {
    assert.ok(!html.includes(text), `the shell must not contain ${JSON.stringify(text)}`);
  }
});

test('each panel gets its own random approval id', () => {
  const first = openPanel();
  const second = openPanel();
  assert.match(first.approvalId, /^[A-Za-z0-9_-]{22,}$/);
  assert.notEqual(first.approvalId, second.approvalId);
});

// Every page (approval, details, the HTML report) and the modules they share.
const webviewFolder = new URL('../../../../webview/', import.meta.url);
const webviewSources = readdirSync(webviewFolder, { recursive: true })
  .map(String)
  .filter((file) => file.endsWith('.ts'))
  .map((file) => ({ file, text: readFileSync(new URL(file, webviewFolder), 'utf8') }));

test('the page code never parses strings as HTML or code', () => {
  for (const page of ['approval', 'details', 'report'])
    assert.ok(
      webviewSources.some((s) => s.file === `${page}/main.ts`),
      page,
    );
  const forbidden = [
    /innerHTML/,
    /outerHTML/,
    /insertAdjacentHTML/,
    /createContextualFragment/,
    /DOMParser/,
    /document\.write/,
    /\beval\(/,
    /new Function/,
    // Lit's ways of rendering strings as markup: the components' own templates are the only Lit markup.
    /unsafeHTML|unsafeSVG|\bhtml`/,
  ];
  for (const { file, text } of webviewSources) {
    for (const pattern of forbidden) assert.doesNotMatch(text, pattern, `${file} uses ${pattern.source}`);
    // Attributes are set only to fixed strings, never from data.
    for (const call of text.matchAll(/setAttribute\(([^)]*)\)/g)) {
      assert.match(call[1]!, /^'[a-z-]+', '[^']*'$/, `${file}: setAttribute(${call[1]}) takes literals only`);
    }
  }
});

test('each panel page acquires the VS Code API exactly once and keeps it in its module', () => {
  const calls = webviewSources.flatMap(({ file, text }) =>
    [...text.matchAll(/acquireVsCodeApi\(\)(?!\s*:)/g)].map(() => file),
  );
  // The HTML report is a file in a browser: it has no host to talk to.
  assert.deepEqual(calls.sort(), ['approval/host.ts', 'details/host.ts']);
  for (const file of calls) {
    const host = webviewSources.find((s) => s.file === file)!.text;
    assert.doesNotMatch(host, /export\s+(const|let|var)\s+vscodeApi|window\.|globalThis/);
  }
});
