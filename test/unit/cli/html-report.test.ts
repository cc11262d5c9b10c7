import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { FORMATS, formatResult, scoreLine } from '../../../src/cli/formatters/formatters.js';
import {
  htmlReport,
  inlineSafe,
  REPORT_DATA_ID,
  scriptSafeJson,
} from '../../../src/cli/formatters/html-report.js';
import { reportData } from '../../../src/cli/formatters/html-report-data.js';
import { REPORT_DATA_ID as PAGE_DATA_ID, ReportDataSchema } from '../../../webview/report/report-data.js';
import { HOSTILE_NAME, reportHistories, reportScan } from './html-report-fixtures.js';

// Stand-ins for the bundled page script and stylesheet; one test below uses the real build's.
const ASSETS = { script: 'console.log("page</script><!-- x")', style: 'body { color: red } /* </style> */' };
const NOW = new Date('2025-01-01T12:00:00Z');
const report = htmlReport(reportScan, reportHistories, scoreLine(reportScan), ASSETS, NOW);

const tags = (html: string, tag: string) =>
  [...html.matchAll(new RegExp(`<${tag}\\b[^>]*>`, 'gi'))].map((m) => m[0]);
const island = (html: string) =>
  new RegExp(`<script type="application/json" id="${REPORT_DATA_ID}">([^]*?)</script>`).exec(html)?.[1];

test('html is one of the formats, and formatResult writes the report with the histories', () => {
  assert.ok(FORMATS.includes('html'));
  const html = formatResult(reportScan, 'html', undefined, undefined, reportHistories);
  assert.match(html, /^<!DOCTYPE html>/);
  const data = JSON.parse(island(html)!) as { charts: unknown[] };
  assert.equal(data.charts.length, 3);
});

test('nothing is loaded from anywhere: no src, no href, no url(), and a CSP that forbids every fetch', () => {
  // The data island is text the page reads (a name may well say "src="); the rest is the markup.
  const markup = report.replace(island(report)!, '');
  assert.doesNotMatch(markup, /\bsrc=|\bhref=|url\(|@import/i);
  assert.doesNotMatch(markup, /<(script|link|img|iframe)\b[^>]*(https?:)?\/\//i);
  assert.deepEqual(tags(report, 'link'), []);
  assert.deepEqual(tags(report, 'script'), [
    `<script type="application/json" id="${REPORT_DATA_ID}">`,
    '<script>',
  ]);
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(report)?.[1] ?? '';
  assert.ok(csp.startsWith("default-src 'none'; "), csp);
  assert.doesNotMatch(csp, /unsafe-|https?:|\*|data:/);
});

test("the CSP pins exactly the report's own script and stylesheet by hash", () => {
  const hash = (text: string) => createHash('sha256').update(text).digest('base64');
  const script = /<script>([^]*?)<\/script>\s*<\/body>/.exec(report)![1]!;
  const style = /<style>([^]*?)<\/style>/.exec(report)![1]!;
  assert.match(report, new RegExp(`script-src 'sha256-${hash(script).replace(/[+/]/g, '\\$&')}'`));
  assert.match(report, new RegExp(`style-src 'sha256-${hash(style).replace(/[+/]/g, '\\$&')}'`));
});

test('inline code cannot end its element early', () => {
  assert.equal(inlineSafe('a</SCRIPT>b<!--c', 'script'), 'a<\\/SCRIPT>b<\\!--c');
  assert.equal(inlineSafe('a</style>b', 'style'), 'a\\3c/style>b');
  assert.equal(tags(report, 'script').length, 2, 'the stand-in script with "</script>" stayed one element');
  assert.equal((report.match(/<\/script>/g) ?? []).length, 2);
  assert.equal((report.match(/<\/style>/g) ?? []).length, 1);
});

test('names with markup stay data: the JSON island holds no "<" and reads back to the same data', () => {
  const json = island(report)!;
  assert.ok(!json.includes('<'), 'every < is \\u003c');
  assert.ok(!report.includes(HOSTILE_NAME), 'the name is never in the markup as written');
  assert.ok(!report.includes('onerror="window'), 'not even its attribute');
  assert.deepEqual(
    JSON.parse(json),
    JSON.parse(JSON.stringify(reportData(reportScan, reportHistories, scoreLine(reportScan), NOW))),
  );
  assert.equal(scriptSafeJson({ a: '</script>' }), '{"a":"\\u003c/script>"}');
});

test('the page accepts what the CLI writes (its own schema), by the same island id', () => {
  assert.equal(PAGE_DATA_ID, REPORT_DATA_ID);
  const parsed = ReportDataSchema.safeParse(JSON.parse(island(report)!));
  assert.equal(parsed.success, true, parsed.success ? '' : parsed.error.message);
});

test("the data: krr's table with the at-risk column, a summary, and a chart per container with krr's values", () => {
  const data = reportData(reportScan, reportHistories, 'Score 41/100 (D)', NOW);
  assert.equal(data.table.header[8], 'At risk');
  assert.deepEqual(data.table.rows[0]!.slice(0, 9), [
    '1',
    'shop',
    'api',
    '2',
    '0',
    'Deployment',
    'app',
    'CRITICAL',
    'OOM-killed 2 time(s) in the window. CPU throttled in up to 45% of periods. Restarted 2 time(s).',
  ]);
  assert.deepEqual(data.table.rows[1]!.slice(0, 8), ['2', '', '', '', '', '', 'sidecar', 'CRITICAL']);
  assert.equal(data.table.rows[1]![9], '(-480m) 500m -> 20m');
  assert.deepEqual(data.severities, { CRITICAL: 3, WARNING: 0, OK: 0, GOOD: 0, UNKNOWN: 0 });
  assert.deepEqual([data.containers, data.charted, data.atRisk], [3, 3, 1]);
  assert.deepEqual(data.charts[0]!.proposed, {
    requests: { cpu: 0.25, memory: 384 * 1024 * 1024 },
    limits: { cpu: null, memory: 384 * 1024 * 1024 },
  });
});

test("without histories the table is krr's own columns and there are no charts", () => {
  const data = reportData(reportScan, [], 'Score', NOW);
  assert.ok(!data.table.header.includes('At risk'));
  assert.equal(data.table.rows[0]!.length, data.table.header.length);
  assert.deepEqual([data.charts, data.charted], [[], 0]);
});

test('the real page script is inlined (after npm run build): uPlot and the charts, nothing fetched', () => {
  const html = formatResult(reportScan, 'html', undefined, undefined, reportHistories);
  const script = /<script>([^]*?)<\/script>\s*<\/body>/.exec(html)![1]!;
  assert.ok(script.length > 20_000, 'the bundle, not a stand-in');
  assert.match(script, /u-legend/, "uPlot's legend");
  assert.doesNotMatch(script, /\bfetch\(|XMLHttpRequest|WebSocket|sendBeacon/);
  assert.match(/<style>([^]*?)<\/style>/.exec(html)![1]!, /\.uplot/, "uPlot's stylesheet");
});
