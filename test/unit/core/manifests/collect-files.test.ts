import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { collectManifestFiles } from '../../../../src/core/manifests/index.js';
import { fixtureFiles } from './manifest-fixtures.js';

const root = mkdtempSync(join(tmpdir(), 'krr-manifests-'));
after(() => rmSync(root, { recursive: true, force: true }));

function write(path: string, text = 'a: 1\n'): void {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), text);
}

write('app.yaml');
write('db.YML');
write('README.md', '# not a manifest');
write('.git/config.yaml');
write('node_modules/pkg/deployment.yaml');
write('.github/workflows/ci.yaml');
write('overlay/Kustomization');
write('chart/templates/_helpers.tpl', '{{- define "x" }}{{ end }}');
write('chart/templates/deployment.yaml');
write('scripts/notes.tpl', 'not a template folder');
write('big/huge.yaml', `a: "${'x'.repeat(2048)}"\n`);
symlinkSync(root, join(root, 'loop'), 'dir');

test('folders are walked for YAML, Kustomization and Helm template files; .git, node_modules and hidden folders are not', async () => {
  const { files, errors } = await collectManifestFiles([root], { maxFileBytes: 1024 });
  assert.deepEqual(
    files.map((f) => f.path.slice(root.length + 1)),
    [
      'app.yaml',
      'chart/templates/_helpers.tpl',
      'chart/templates/deployment.yaml',
      'db.YML',
      'overlay/Kustomization',
    ],
  );
  assert.equal(files[0]!.text, 'a: 1\n');
  assert.deepEqual(errors, [{ path: `${root}/big/huge.yaml`, message: 'larger than 1024 bytes; not read' }]);
});

test('missing paths are errors, not exceptions; a file given by name is read whatever its name', async () => {
  const { files, errors } = await collectManifestFiles([
    join(root, 'nope'),
    join(root, 'README.md'),
    join(root, 'app.yaml'),
  ]);
  assert.deepEqual(
    files.map((f) => f.path),
    [join(root, 'README.md'), join(root, 'app.yaml')],
  );
  assert.deepEqual(errors, [{ path: join(root, 'nope'), message: 'does not exist' }]);
});

test('the number of files is capped, with one clear error', async () => {
  const { files, errors } = await collectManifestFiles([root], { maxFiles: 2, maxFileBytes: 1024 });
  assert.equal(files.length, 2);
  assert.deepEqual(
    errors.map((e) => e.message),
    ['larger than 1024 bytes; not read', 'more than 2 manifest files; the rest were not read'],
  );
});

test('the fixture repository reads without errors', async () => {
  const files = await fixtureFiles();
  assert.equal(files.length, 16);
  assert.ok(files.some((f) => f.path === 'helm/payments/templates/_helpers.tpl'));
  assert.ok(!files.some((f) => f.path.endsWith('.prettierrc.yaml')));
});
