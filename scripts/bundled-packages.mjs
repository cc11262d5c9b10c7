import { readFileSync } from 'node:fs';

// The npm packages whose code esbuild copies into dist/ (the CLI, the extension and the webview bundles).
// They are devDependencies: the published package and the .vsix carry the bundles, not node_modules, so
// installing krr-mcp installs nothing else. The dependency audit checks these and everything they pull in;
// test/unit/architecture/bundled-packages.test.ts keeps this list equal to what src/ and webview/ import.
export const BUNDLED_PACKAGES = [
  '@kubernetes/client-node',
  '@modelcontextprotocol/sdk',
  '@vscode-elements/elements',
  'uplot',
  'yaml',
  'zod',
];

/** Lockfile paths (`node_modules/a/node_modules/b`) of the bundled packages and their dependencies. */
export function shippedPaths() {
  const { packages } = JSON.parse(readFileSync(new URL('../package-lock.json', import.meta.url), 'utf8'));
  // npm resolves a dependency from the nearest node_modules up the tree, as Node does.
  const resolve = (from, name) => {
    for (let base = from; ; base = base.slice(0, Math.max(0, base.lastIndexOf('/node_modules/')))) {
      const candidate = base ? `${base}/node_modules/${name}` : `node_modules/${name}`;
      if (packages[candidate]) return candidate;
      if (!base) return undefined;
    }
  };
  const seen = new Set();
  const queue = BUNDLED_PACKAGES.map((name) => `node_modules/${name}`);
  while (queue.length > 0) {
    const path = queue.pop();
    if (seen.has(path) || !packages[path]) continue;
    seen.add(path);
    const entry = packages[path];
    for (const name of Object.keys({
      ...entry.dependencies,
      ...entry.optionalDependencies,
      ...entry.peerDependencies,
    })) {
      const found = resolve(path, name);
      if (found) queue.push(found);
    }
  }
  return seen;
}
