import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import { DebouncedRefresh } from '../../../../src/extension/manifests/debounced-refresh.js';
import {
  EXCLUDED_GLOB,
  MANIFEST_GLOB,
} from '../../../../src/extension/manifests/workspace-manifest-files.js';
import { WorkspaceManifests } from '../../../../src/extension/manifests/workspace-manifests.js';
import { double, Range, Uri, window } from '../../../support/vscode-double/vscode.js';
import {
  FakeScans,
  FIXTURE_ROWS,
  loadFixtureWorkspace,
  nextRefresh,
  uri,
  type Log,
} from './manifest-workspace.js';

beforeEach(() => double.reset());

const log = () => window.createOutputChannel('krr-mcp') as unknown as Log;

function model(
  scans = new FakeScans(),
  options: Partial<ConstructorParameters<typeof WorkspaceManifests>[0]> = {},
) {
  return new WorkspaceManifests({ scans, log: log(), debounceMs: 0, ...options });
}

const definitionPaths = (manifests: WorkspaceManifests) =>
  [...new Set(manifests.manifestIndex().containers.map((c) => c.location.path))].sort();

test('finds manifests with one capped findFiles, skipping node_modules, .git and stray .tpl files', async () => {
  loadFixtureWorkspace();
  const deployment = double.files.get('/ws/plain/cache.yaml')!;
  double.files.set('/ws/node_modules/chart/x.yaml', deployment.replace('name: cache', 'name: vendored'));
  double.files.set('/ws/.git/x.yaml', deployment.replace('name: cache', 'name: in-git'));
  double.files.set('/ws/docs/notes.tpl', '{{ oops');
  const manifests = model();
  await manifests.settled();
  assert.deepEqual(double.findFilesCalls, [
    { include: MANIFEST_GLOB, exclude: EXCLUDED_GLOB, maxResults: 5001 },
  ]);
  const names = manifests.manifestIndex().containers.map((c) => c.name);
  assert.ok(names.includes('cache'));
  assert.ok(!names.includes('vendored') && !names.includes('in-git'));
  assert.deepEqual(manifests.readErrors(), []);
  assert.equal(manifests.manifestIndex().fileErrors.length, 0, 'notes.tpl is not read as a manifest');
});

test('the caps on file count and size are kept and reported', async () => {
  loadFixtureWorkspace();
  const few = model(new FakeScans(), { limits: { maxFiles: 3, maxFileBytes: 10_000 } });
  await few.settled();
  assert.deepEqual(few.readErrors(), [
    { path: '(workspace)', message: 'more than 3 manifest files; the rest were not read' },
  ]);
  const small = model(new FakeScans(), { limits: { maxFiles: 100, maxFileBytes: 400 } });
  await small.settled();
  assert.ok(
    small
      .readErrors()
      .some((e) => e.path === '/ws/plain/shop.yaml' && e.message === 'larger than 400 bytes; not read'),
  );
  assert.ok(!definitionPaths(small).includes('/ws/plain/shop.yaml'));
});

test('an open document is read instead of the disk: unsaved edits count', async () => {
  loadFixtureWorkspace();
  double.openDocument(
    uri('plain/cache.yaml'),
    double.files.get('/ws/plain/cache.yaml')!.replace('cpu: 100m', 'cpu: 700m'),
  );
  const manifests = model();
  await manifests.settled();
  const cache = manifests.manifestIndex().containers.find((c) => c.name === 'cache')!;
  assert.equal(cache.resources.requests.cpu, '700m');
});

test('typing, file events and closing an unsaved document refresh the model, after the pause', async () => {
  loadFixtureWorkspace();
  const manifests = model();
  await manifests.settled();
  const cacheCpu = () =>
    manifests.manifestIndex().containers.find((c) => c.name === 'cache')?.resources.requests.cpu;

  const document = double.openDocument(uri('plain/cache.yaml'));
  const typed = nextRefresh(manifests);
  const at = document.getText().indexOf('100m');
  double.editDocument(document, new Range(document.positionAt(at), document.positionAt(at + 4)), '90m');
  assert.equal(cacheCpu(), '100m', 'not replanned synchronously on the keystroke');
  await typed;
  assert.equal(cacheCpu(), '90m');

  const closed = nextRefresh(manifests);
  double.closeDocument(document);
  await closed;
  assert.equal(cacheCpu(), '100m', 'closed without saving: the disk again');

  const watcher = double.fileWatchers.find((w) => w.pattern === MANIFEST_GLOB)!;
  double.files.set(
    '/ws/plain/new.yaml',
    double.files.get('/ws/plain/cache.yaml')!.replace('name: cache', 'name: fresh'),
  );
  const created = nextRefresh(manifests);
  watcher.fire('create', uri('plain/new.yaml'));
  await created;
  assert.ok(manifests.manifestIndex().containers.some((c) => c.name === 'fresh'));

  double.files.delete('/ws/plain/new.yaml');
  const deleted = nextRefresh(manifests);
  watcher.fire('delete', uri('plain/new.yaml'));
  await deleted;
  assert.ok(!manifests.manifestIndex().containers.some((c) => c.name === 'fresh'));
});

test('a burst of edits is one refresh; the index is computed again only after a change', async () => {
  loadFixtureWorkspace();
  const manifests = model(new FakeScans(), { debounceMs: 60_000 });
  await manifests.settled();
  const index = manifests.manifestIndex();
  assert.equal(manifests.manifestIndex(), index, 'cached');
  let refreshes = 0;
  manifests.onDidRefresh(() => refreshes++);
  const document = double.openDocument(uri('plain/cache.yaml'));
  for (let i = 0; i < 5; i++) double.editDocument(document, new Range(0, 0, 0, 0), `# ${i}\n`);
  assert.equal(refreshes, 0, 'waiting for the pause');
  await manifests.settled();
  assert.equal(refreshes, 1);
  assert.notEqual(manifests.manifestIndex(), index);
  manifests.dispose();
});

test('files outside the workspace folders, other schemes and other documents are not followed', async () => {
  loadFixtureWorkspace();
  const manifests = model();
  await manifests.settled();
  let refreshes = 0;
  manifests.onDidRefresh(() => refreshes++);
  const outside = double.openDocument(Uri.file('/elsewhere/x.yaml'), 'kind: Deployment');
  double.editDocument(outside, new Range(0, 0, 0, 0), '#');
  const oldVersion = double.openDocument(Uri.parse('git:/ws/plain/cache.yaml'), 'kind: Deployment');
  double.editDocument(oldVersion, new Range(0, 0, 0, 0), '#');
  const json = double.openDocument(uri('package.json'), '{}', 'json');
  double.editDocument(json, new Range(0, 0, 0, 0), ' ');
  await manifests.settled();
  assert.equal(refreshes, 0);
});

test('the plan follows the scan: none before one, every row after, onDidRefresh when ready', async () => {
  loadFixtureWorkspace();
  const scans = new FakeScans();
  const manifests = model(scans);
  await manifests.settled();
  assert.equal(manifests.current(), undefined);
  assert.equal(manifests.planFor(['x']), null);
  const planned = nextRefresh(manifests);
  scans.publish([FIXTURE_ROWS.shopApp, FIXTURE_ROWS.ghost]);
  await planned;
  assert.deepEqual(
    manifests.current()!.containers.map((c) => `${c.id}: ${c.outcome.status}`),
    ['prod-cluster/shop/Deployment/web/app: edited', 'prod-cluster/nowhere/Deployment/ghost/x: not-found'],
  );
  const source = manifests.sourceOf([manifests.current()!.containers[0]!.item]);
  assert.deepEqual(
    source && { path: source.uri.path, label: source.label, line: source.line, column: source.column },
    { path: '/ws/plain/shop.yaml', label: 'plain/shop.yaml', line: 30, column: 11 },
  );
});

test('DebouncedRefresh runs again when asked during a run, and flush waits for both runs', async () => {
  const runs: number[] = [];
  let release: () => void = () => {};
  const refresh = new DebouncedRefresh(
    async () => {
      runs.push(runs.length);
      if (runs.length === 1) await new Promise<void>((resolve) => (release = resolve));
    },
    60_000,
    () => {},
  );
  refresh.request();
  const flushed = refresh.flush();
  await Promise.resolve();
  refresh.request();
  const again = refresh.flush();
  release();
  await Promise.all([flushed, again]);
  assert.deepEqual(runs, [0, 1]);
  refresh.dispose();
});

test('a failing refresh is reported and does not stop later ones', async () => {
  const errors: unknown[] = [];
  let calls = 0;
  const refresh = new DebouncedRefresh(
    async () => {
      calls++;
      if (calls === 1) throw new Error('boom');
    },
    0,
    (e) => errors.push(e),
  );
  refresh.request();
  await refresh.flush();
  refresh.request();
  await refresh.flush();
  assert.equal(calls, 2);
  assert.deepEqual(
    errors.map((e) => (e as Error).message),
    ['boom'],
  );
});
