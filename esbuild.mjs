// Bundles the three entry points: the extension (CommonJS, `vscode` external), the CLI/MCP server
// (CommonJS, runs on plain Node and on the extension host's Node), and the webview (browser IIFE).
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

const entries = [
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
  entries.push({
    ...common,
    entryPoints: ['src/extension/activate.ts'],
    outfile: 'dist/extension.cjs',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
  });
}
if (existsSync('webview/approval/main.ts')) {
  entries.push({
    ...common,
    entryPoints: ['webview/approval/main.ts'],
    outfile: 'dist/webview/approval.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  });
}

if (watch) {
  for (const options of entries) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(entries.map((options) => esbuild.build(options)));
}
