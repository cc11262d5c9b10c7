// Bundles the entry points: the extension (CommonJS, `vscode` external), the CLI/MCP server (CommonJS, runs
// on plain Node and on the extension host's Node), the two panels' pages (browser IIFEs, each with the CSS
// its modules import: uPlot's and the charts'), and the HTML report's page script, which is not shipped as a
// file: the CLI carries it (define below) and inlines it into every report it writes.
// Type checking is `tsc --noEmit`; esbuild only strips types.
import * as esbuild from 'esbuild';
import { existsSync, readFileSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
const sdkVersion = JSON.parse(
  readFileSync('node_modules/@modelcontextprotocol/sdk/package.json', 'utf8'),
).version;

const common = {
  define: { __KRR_MCP_VERSION__: JSON.stringify(version), __MCP_SDK_VERSION__: JSON.stringify(sdkVersion) },
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
};

const page = (entry, outfile, options = {}) => ({
  ...common,
  entryPoints: [entry],
  outfile,
  platform: 'browser',
  format: 'iife',
  target: 'es2022',
  ...options,
});

const pages = [
  page('webview/approval/main.ts', 'dist/webview/approval.js'),
  page('webview/details/main.ts', 'dist/webview/details.js'),
  // Inlined into a file a person opens from disk: always minified, no source map pointing at nothing.
  page('webview/report/main.ts', 'dist/report/report.js', { minify: true, sourcemap: false }),
].filter((options) => existsSync(options.entryPoints[0]));

const node = [
  {
    ...common,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.cjs',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
  },
];
if (existsSync('src/extension/activate.ts')) {
  node.push({
    ...common,
    entryPoints: ['src/extension/activate.ts'],
    outfile: 'dist/extension.cjs',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
  });
}

/** The report page's script and stylesheet, for src/cli/formatters/html-assets.ts. */
function reportAssets() {
  if (!existsSync('dist/report/report.js')) return {};
  const assets = {
    script: readFileSync('dist/report/report.js', 'utf8'),
    style: readFileSync('dist/report/report.css', 'utf8'),
  };
  return { __KRR_REPORT_ASSETS__: JSON.stringify(assets) };
}

/** The CLI writes HTML reports; the extension does not. */
const withReport = (options) =>
  options.outfile === 'dist/cli.cjs'
    ? { ...options, define: { ...options.define, ...reportAssets() } }
    : options;

if (watch) {
  // The CLI keeps the report script it was started with; restart the watch to pick up report changes.
  for (const options of pages) await (await esbuild.context(options)).watch();
  for (const options of node) await (await esbuild.context(withReport(options))).watch();
} else {
  // The pages first: the CLI bundle carries the report's.
  await Promise.all(pages.map((options) => esbuild.build(options)));
  await Promise.all(node.map((options) => esbuild.build(withReport(options))));
}
