import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { npmPackageFiles, vsixFiles, zipEntryNames } from '../../../scripts/package-contents.js';

// What ships, file by file. The .vsix takes its list from .vscodeignore and the npm package from
// .npmignore (vsce refuses a .vscodeignore beside package.json `files`); a change to either, or a new
// file that one of them lets through, shows here. The bundles are packaged as built (`npm test` builds
// them first); their source maps must not ship. To see the lists after a deliberate change:
// `node --import tsx scripts/package-contents.ts`.

const root = fileURLToPath(new URL('../../..', import.meta.url));

/** The npm package: the CLI (`npx krr-mcp`), and the same documents and bundles as the extension. */
const NPM_PACKAGE_FILES = [
  'CHANGELOG.md',
  'LICENSE',
  'README.md',
  'dist/cli.cjs',
  'dist/extension.cjs',
  'dist/webview/approval.css',
  'dist/webview/approval.js',
  'dist/webview/details.css',
  'dist/webview/details.js',
  'docs/architecture.md',
  'docs/configuration.md',
  'docs/deployment.md',
  'docs/engine.md',
  'docs/images/approval-panel.png',
  'docs/images/demo-tree.png',
  'docs/images/details-panel.png',
  'docs/images/recommendations-tree.png',
  'docs/installation.md',
  'docs/manifests.md',
  'docs/safety.md',
  'docs/tools.md',
  'docs/troubleshooting.md',
  'docs/user-guide.md',
  'media/approval.css',
  'media/krr-mcp.svg',
  'package.json',
];

/** The .vsix: vsce adds its manifest and renames README/CHANGELOG/LICENSE. */
const VSIX_FILES = [
  '[Content_Types].xml',
  'extension.vsixmanifest',
  'extension/LICENSE.txt',
  'extension/changelog.md',
  'extension/dist/cli.cjs',
  'extension/dist/extension.cjs',
  'extension/dist/webview/approval.css',
  'extension/dist/webview/approval.js',
  'extension/dist/webview/details.css',
  'extension/dist/webview/details.js',
  'extension/docs/architecture.md',
  'extension/docs/configuration.md',
  'extension/docs/deployment.md',
  'extension/docs/engine.md',
  'extension/docs/images/approval-panel.png',
  'extension/docs/images/demo-tree.png',
  'extension/docs/images/details-panel.png',
  'extension/docs/images/recommendations-tree.png',
  'extension/docs/installation.md',
  'extension/docs/manifests.md',
  'extension/docs/safety.md',
  'extension/docs/tools.md',
  'extension/docs/troubleshooting.md',
  'extension/docs/user-guide.md',
  'extension/media/approval.css',
  'extension/media/krr-mcp.svg',
  'extension/package.json',
  'extension/readme.md',
];

function assertBuilt(): void {
  const bundles = [
    'dist/cli.cjs',
    'dist/extension.cjs',
    'dist/webview/approval.js',
    'dist/webview/details.js',
  ];
  const missing = bundles.filter((bundle) => !existsSync(join(root, bundle)));
  assert.deepEqual(missing, [], 'run `npm run build` first: the packages are listed from the built bundles');
}

test('the npm package holds exactly the expected files', () => {
  assertBuilt();
  assert.deepEqual(npmPackageFiles(root), NPM_PACKAGE_FILES);
});

test('the .vsix holds exactly the expected files', () => {
  assertBuilt();
  assert.deepEqual(vsixFiles(root), VSIX_FILES);
});

test('the zip listing reads every entry of a zip, names with folders included', () => {
  // A zip made by hand: two stored entries, their central directory, and the end record.
  const entries = ['a.txt', 'dir/b.txt'];
  const local = entries.map((name) => {
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(name.length, 26);
    return Buffer.concat([header, Buffer.from(name)]);
  });
  let offset = 0;
  const central = entries.map((name, index) => {
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(name.length, 28);
    header.writeUInt32LE(offset, 42);
    offset += local[index]!.length;
    return Buffer.concat([header, Buffer.from(name)]);
  });
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  assert.deepEqual(zipEntryNames(Buffer.concat([...local, directory, end])), entries);
  assert.throws(() => zipEntryNames(Buffer.from('not a zip')), /not a zip file/);
});
