import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

// The engine, the MCP server and the CLI run outside VS Code (a terminal, CI, another editor's agent):
// importing `vscode` there would crash them at load time.
const root = fileURLToPath(new URL('../../../src', import.meta.url));
const IMPORTS_VSCODE = /from\s+['"]vscode['"]|require\(\s*['"]vscode['"]\s*\)|import\(\s*['"]vscode['"]\s*\)/;

for (const folder of ['core', 'mcp', 'cli', 'demo']) {
  test(`src/${folder} never imports vscode`, () => {
    if (!existsSync(join(root, folder))) return; // not written yet
    const files = readdirSync(join(root, folder), { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.ts'));
    const offenders = files.filter((f) => IMPORTS_VSCODE.test(readFileSync(join(root, folder, f), 'utf8')));
    assert.deepEqual(offenders, []);
  });
}

test('the check itself catches an import', () => {
  assert.ok(IMPORTS_VSCODE.test(`import * as vscode from 'vscode';`));
  assert.ok(IMPORTS_VSCODE.test(`const v = require("vscode")`));
  assert.ok(!IMPORTS_VSCODE.test(`import { x } from './vscode-helpers.js'`));
});
