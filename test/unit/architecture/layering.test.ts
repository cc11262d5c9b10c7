import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { emptyScopes, LAYER_RULES, layeringViolations, PANEL_PROTOCOL } from './layering-rules.js';
import { readSourceFiles, type SourceFile } from './module-graph.js';

// The engine, the MCP server and the CLI run outside VS Code (a terminal, CI, another editor's agent),
// and the webview runs in a browser: an import across these lines crashes them at load time or drags
// extension-host code into a page.
const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const files = [...readSourceFiles(repoRoot, 'src'), ...readSourceFiles(repoRoot, 'webview')];

for (const rule of LAYER_RULES) {
  test(`${rule.scope} ${rule.says}`, () => {
    assert.deepEqual(emptyScopes(files, [rule]), [], `${rule.scope} holds no TypeScript file: moved?`);
    assert.deepEqual(layeringViolations(files, [rule]), []);
  });
}

const fake = (path: string, ...imports: SourceFile['imports']): SourceFile => ({ path, imports });
const module = (path: string) => ({ kind: 'module' as const, path });
const pkg = (name: string) => ({ kind: 'package' as const, name });

test('the rules catch a planted violation of each, and let the allowed imports through', () => {
  const planted = [
    fake('src/core/a.ts', pkg('vscode'), module('src/mcp/x.ts'), module('src/demo/d.ts'), pkg('zod')),
    fake('src/core/b.ts', module('src/extension/e.ts'), module('src/cli/c.ts'), module('src/core/a.ts')),
    fake('src/mcp/x.ts', module('src/extension/e.ts'), module('src/core/a.ts')),
    fake('src/cli/c.ts', module('src/extension/e.ts'), module('src/mcp/x.ts')),
    fake('src/demo/d.ts', pkg('vscode')),
    fake('src/extension/e.ts', pkg('vscode'), module('src/mcp/x.ts')),
    fake('webview/p.ts', module(PANEL_PROTOCOL), module('webview/q.ts'), pkg('@vscode-elements/elements')),
    fake('webview/q.ts', module('src/extension/approval/approval-html.ts'), module('src/core/a.ts')),
    fake('webview/r.ts', pkg('node:fs'), pkg('path'), pkg('vscode'), {
      kind: 'unresolved',
      specifier: './gone.js',
    }),
    fake(PANEL_PROTOCOL, pkg('zod'), module('src/extension/approval/approval-view.ts')),
  ];
  assert.deepEqual(
    layeringViolations(planted).map((line) => line.slice(0, line.indexOf(':'))),
    [
      'src/core/a.ts imports the package "vscode"',
      'src/core/a.ts imports src/mcp/x.ts',
      'src/core/a.ts imports src/demo/d.ts',
      'src/core/b.ts imports src/extension/e.ts',
      'src/core/b.ts imports src/cli/c.ts',
      'src/mcp/x.ts imports src/extension/e.ts',
      'src/cli/c.ts imports src/extension/e.ts',
      'src/demo/d.ts imports the package "vscode"',
      'webview/q.ts imports src/extension/approval/approval-html.ts',
      'webview/q.ts imports src/core/a.ts',
      'webview/r.ts imports the package "node',
      'webview/r.ts imports the package "path"',
      'webview/r.ts imports the package "vscode"',
      'webview/r.ts imports "./gone.js", which names no file',
      `${PANEL_PROTOCOL} imports src/extension/approval/approval-view.ts`,
    ],
  );
  assert.deepEqual(emptyScopes(planted.filter((f) => !f.path.startsWith('src/demo/'))), ['src/demo']);
});

test('imports are found and resolved however they are written: .js to .ts, index, type-only, export from, import()', () => {
  const root = mkdtempSync(join(tmpdir(), 'krr-mcp-layering-'));
  try {
    const write = (path: string, text: string) => {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    };
    write(
      'src/core/a.ts',
      [
        `export type { E } from '../extension/e.js';`,
        `export const load = () => import('../mcp/m.js');`,
        `import type { C } from '../cli/index.js';`,
        `// import '../demo/d.js' is a comment, not an import`,
        `import { b } from './b.js';`,
      ].join('\n'),
    );
    write('src/core/b.ts', 'export const b = 1;');
    write('src/extension/e.ts', 'export type E = 1;');
    write('src/mcp/m.ts', 'export {};');
    write('src/cli/index.ts', 'export type C = 1;');
    write('src/demo/d.ts', 'export {};');
    assert.deepEqual(readSourceFiles(root, 'src').find((f) => f.path === 'src/core/a.ts')?.imports, [
      module('src/extension/e.ts'),
      module('src/mcp/m.ts'),
      module('src/cli/index.ts'),
      module('src/core/b.ts'),
    ]);
    assert.deepEqual(
      layeringViolations(readSourceFiles(root, 'src')).map((line) => line.slice(0, line.indexOf(':'))),
      [
        'src/core/a.ts imports src/extension/e.ts',
        'src/core/a.ts imports src/mcp/m.ts',
        'src/core/a.ts imports src/cli/index.ts',
      ],
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
