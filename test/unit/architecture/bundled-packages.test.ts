import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
// @ts-expect-error: a plain .mjs script without types; its exports are checked here.
import { BUNDLED_PACKAGES, shippedPaths } from '../../../scripts/bundled-packages.mjs';

// The bundles carry every library they use: the npm package and the .vsix declare no dependencies, so that
// `npx krr-mcp` from the tarball installs nothing else. The audit covers what the bundles contain.

const root = fileURLToPath(new URL('../../..', import.meta.url));
/** Static imports and re-exports (one statement up to its `;`), side-effect imports and dynamic imports. */
const IMPORT =
  /(?:^|\n)(?:import|export)[^;'"]*?from\s*['"]([^'"./][^'"]*)['"]|(?:^|\n)import\s*['"]([^'"./][^'"]*)['"]|\bimport\(\s*['"]([^'"./][^'"]*)['"]\s*\)/g;

function importedPackages(folder: string): Set<string> {
  const names = new Set<string>();
  for (const file of readdirSync(join(root, folder), { recursive: true }).map(String)) {
    if (!file.endsWith('.ts')) continue;
    for (const match of readFileSync(join(root, folder, file), 'utf8').matchAll(IMPORT)) {
      const specifier = match[1] ?? match[2] ?? match[3]!;
      if (specifier.startsWith('node:') || specifier === 'vscode') continue;
      const parts = specifier.split('/');
      names.add(specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!);
    }
  }
  return names;
}

test('the bundled packages are exactly what src/ and webview/ import', () => {
  const imported = new Set([...importedPackages('src'), ...importedPackages('webview')]);
  assert.deepEqual([...imported].sort(), [...(BUNDLED_PACKAGES as string[])].sort());
});

test('package.json declares no runtime dependencies; the bundled ones are devDependencies', () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
    devDependencies: Record<string, string>;
  };
  assert.equal(pkg.dependencies, undefined);
  for (const name of BUNDLED_PACKAGES as string[]) assert.ok(pkg.devDependencies[name], name);
});

test('the audit walks from the bundled packages through their dependencies, not into the dev tools', () => {
  const shipped = shippedPaths() as Set<string>;
  for (const name of BUNDLED_PACKAGES as string[]) assert.ok(shipped.has(`node_modules/${name}`), name);
  assert.ok(shipped.has('node_modules/zod-to-json-schema'), "the MCP SDK's own dependency");
  assert.ok(!shipped.has('node_modules/eslint'));
  assert.ok(!shipped.has('node_modules/typescript'));
});
