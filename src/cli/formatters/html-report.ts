// `krr-mcp scan -f html`: one self-contained page that opens offline in any browser. Its script and
// stylesheet are inline (no file beside it, nothing from the network), its data is JSON in a
// <script type="application/json"> that the page reads and renders with DOM text nodes: no name from the
// cluster is ever part of the markup. A Content-Security-Policy pins the page to exactly its own script and
// stylesheet (by hash) and forbids every fetch, so the report cannot reach the network even if opened
// from a web server.
import { createHash } from 'node:crypto';
import type { ContainerUsageHistory } from '../../core/evidence/usage-history-model.js';
import type { ScanResult } from '../../core/recommend/model.js';
import { reportAssets, type ReportAssets } from './html-assets.js';
import { reportData } from './html-report-data.js';

/** The id of the JSON island the page reads (webview/report/main.ts). */
export const REPORT_DATA_ID = 'krr-report-data';

/** JSON that cannot end its <script> element: every "<" is written as \u003c (JSON.parse reads it back). */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/**
 * Inline script or style text that cannot end its element early: "</script" or "</style" (any case) and
 * "<!--" are written with an escaped character, which means the same inside strings, comments and regular
 * expressions, the only places a bundle can contain them.
 */
export function inlineSafe(code: string, tag: 'script' | 'style'): string {
  const closing = new RegExp(`</(${tag})`, 'gi');
  return code
    .replace(closing, tag === 'script' ? '<\\/$1' : '\\3c/$1')
    .replace(/<!--/g, tag === 'script' ? '<\\!--' : '\\3c!--');
}

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

export function htmlReport(
  result: ScanResult,
  histories: readonly ContainerUsageHistory[],
  scoreLine: string,
  assets: ReportAssets = reportAssets(),
  now: Date = new Date(),
): string {
  const script = inlineSafe(assets.script, 'script');
  const style = inlineSafe(assets.style, 'style');
  const csp = [
    "default-src 'none'",
    `script-src ${sha256(script)}`,
    `style-src ${sha256(style)}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const data = scriptSafeJson(reportData(result, histories, scoreLine, now));
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta name="referrer" content="no-referrer">
<title>krr-mcp report</title>
<style>${style}</style>
</head>
<body>
<main id="report"><noscript>This report draws its tables and charts with JavaScript: allow scripts for this file.</noscript></main>
<script type="application/json" id="${REPORT_DATA_ID}">${data}</script>
<script>${script}</script>
</body>
</html>
`;
}
