import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

// The npm package as a user gets it: `npm pack`, then a clean install of the tarball in an empty project.
// The bundles need nothing at run time, so the install must add krr-mcp and nothing else (it used to add
// 141 packages, 116 MB, that the bundles never load).

const root = fileURLToPath(new URL('../../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'krr-mcp-pack-'));
let tarball: string;

function npm(args: string[], cwd: string) {
  const run = spawnSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, npm_config_cache: join(dir, 'npm-cache') },
  });
  assert.equal(run.status, 0, `npm ${args.join(' ')}: ${run.stderr}`);
  return run.stdout;
}

before(() => {
  const packed = JSON.parse(npm(['pack', '--json', '--pack-destination', dir], root)) as Array<{
    filename: string;
  }>;
  tarball = join(dir, packed[0]!.filename);
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('a clean install of the tarball installs krr-mcp alone, offline, and its command runs', () => {
  const project = join(dir, 'project');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'user-project', private: true }));
  // Offline: a package with no dependencies needs nothing from a registry.
  npm(['install', '--offline', tarball], project);
  const installed = readdirSync(join(project, 'node_modules')).filter((n) => !n.startsWith('.'));
  assert.deepEqual(installed, ['krr-mcp']);
  const version = spawnSync(join(project, 'node_modules', '.bin', 'krr-mcp'), ['version'], {
    encoding: 'utf8',
  });
  assert.equal(version.status, 0, version.stderr);
  assert.match(version.stdout, /^\d+\.\d+\.\d+/);
});
