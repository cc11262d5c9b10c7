import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, test } from 'node:test';
import type { TreeNode } from '../../../../src/extension/tree/nodes/tree-node.js';
import type { RecommendationsProvider } from '../../../../src/extension/tree/recommendations-provider.js';
import { double, type WorkspaceEditOperation } from '../../../support/vscode-double/vscode.js';
import { childLabelled } from '../tree/tree-walk.js';
import { rowsOfSelection } from '../../../../src/extension/manifests/manifest-commands.js';
import { CONTEXT, startFeatures, stopFeatures } from './manifest-workspace.js';

beforeEach(() => double.reset());
afterEach(() => stopFeatures());

const COMMAND = 'krrMcp.applyToManifests';

function node(tree: RecommendationsProvider, ...labels: string[]): TreeNode {
  let current: TreeNode | undefined;
  for (const label of [CONTEXT, ...labels]) current = childLabelled(tree, current, label);
  return current!;
}

/** Each operation as (file, kind, metadata): the refactor preview's lines. */
const entries = (operations: WorkspaceEditOperation[]) =>
  operations.map((o) => [
    o.uri.path.replace('/ws/', ''),
    o.type === 'createFile' ? 'create' : 'text',
    o.metadata?.needsConfirmation,
    o.metadata?.label,
    o.metadata?.description,
  ]);

test('a workload from the tree: one edit, every entry through the refactor preview, then a summary', async () => {
  const { tree } = await startFeatures();
  const web = node(tree, 'shop', 'web');
  double.messageAnswers.push('Show Details');
  await double.commands.get(COMMAND)!(web, [web]);
  assert.equal(double.appliedEdits.length, 1);
  const [{ edit, metadata, applied }] = double.appliedEdits as [(typeof double.appliedEdits)[number]];
  assert.equal(applied, true);
  assert.equal(
    metadata,
    undefined,
    'not isRefactoring: with it, VS Code would save the files after the preview',
  );
  const preview = ['plain/shop.yaml', 'text', true, 'krr: Deployment shop/web app, proxy', 'plain/shop.yaml'];
  assert.deepEqual(entries(edit.operations), Array(6).fill(preview));
  assert.deepEqual(
    double.messages.map((m) => [m.level, m.message]),
    [['info', 'krr-mcp: wrote 2 containers into 1 file (not saved).']],
  );
  assert.deepEqual(double.shownLogs, ['krr-mcp'], 'Show Details opens the log');
  const shop = double.textDocuments.find((d) => d.uri.path === '/ws/plain/shop.yaml')!;
  assert.match(
    shop.getText(),
    /- name: proxy\n.*\n {10}resources:\n {12}requests:\n {14}cpu: 20m\n {14}memory: 64Mi\n {12}limits:\n {14}memory: 64Mi\n/,
  );
  assert.equal(shop.isDirty, true);
  assert.equal(double.files.get('/ws/plain/shop.yaml')!.includes('cpu: 20m'), false, 'nothing saved');
});

test('several namespaces: their CRITICAL and WARNING rows, a new patch file first, and what was not written', async () => {
  const { tree } = await startFeatures();
  const selected = ['shop', 'staging', 'nowhere'].map((ns) => node(tree, ns));
  await double.commands.get(COMMAND)!(selected[0], selected);
  const [{ edit }] = double.appliedEdits as [(typeof double.appliedEdits)[number]];
  const staging = ['krr: Deployment staging/staging-web app'];
  const patch = 'kustomize/overlays/staging/krr-resources-web.yaml';
  const summary = entries(edit.operations).map((e) => e.join(' | '));
  assert.deepEqual(
    [...new Set(summary)],
    [
      `${patch} | create | true | ${staging} | ${patch} (new Kustomize patch)`,
      `${patch} | text | true | ${staging} | ${patch} (new Kustomize patch)`,
      'plain/shop.yaml | text | true | krr: Deployment shop/web app, proxy | plain/shop.yaml',
      `kustomize/overlays/staging/kustomization.yaml | text | true | ${staging} | kustomize/overlays/staging/kustomization.yaml`,
    ],
  );
  assert.ok(
    !edit.operations.some((o) => o.uri.path.endsWith('cache.yaml')),
    'the OK row of shop is left out',
  );
  assert.deepEqual(
    double.messages.map((m) => m.message),
    ['krr-mcp: wrote 3 containers into 3 files (not saved). 1 not found.'],
  );
  const log = double.logs.map((l) => l.message).join('\n');
  assert.match(
    log,
    /Deployment nowhere\/ghost container x: not-found \(no file defines Deployment nowhere\/ghost\)/,
  );
  assert.match(
    log,
    /Deployment shop\/web container app: edited at plain\/shop\.yaml:30: requests\.cpu 500m → 120m/,
  );
  assert.match(
    log,
    /note: kustomize\/overlays\/staging\/kustomization\.yaml: Deployment staging\/staging-web container app: base kustomize\/base\/deployment\.yaml is shared/,
  );
  assert.ok(!log.includes('/ws/'), 'paths are workspace-relative');
  assert.deepEqual(double.shownLogs, [], 'the log is opened only on request');
});

test('discarding the preview writes nothing', async () => {
  const { tree } = await startFeatures();
  const staging = node(tree, 'staging');
  double.previewAnswers.push('discard');
  await double.commands.get(COMMAND)!(staging, [staging]);
  assert.equal(double.appliedEdits[0]!.applied, false);
  assert.equal(double.files.has('/ws/kustomize/overlays/staging/krr-resources-web.yaml'), false);
  assert.ok(double.textDocuments.every((d) => !d.isDirty));
  assert.deepEqual(
    double.messages.map((m) => m.message),
    ['krr-mcp: nothing was written (the preview was discarded, or VS Code could not apply the edit).'],
  );
});

test('from the palette: the namespaces with CRITICAL or WARNING rows, all ticked; only the kept ones are written', async () => {
  await startFeatures();
  double.quickPickAnswers.push([{ label: 'prod' }]);
  await double.commands.get(COMMAND)!();
  const [{ items, options }] = double.quickPicks as [{ items: unknown; options: unknown }];
  assert.deepEqual(items, [
    { label: 'nowhere', description: '1 recommendation', picked: true },
    { label: 'payments', description: '1 recommendation', picked: true },
    { label: 'prod', description: '1 recommendation', picked: true },
    { label: 'shop', description: '2 recommendations', picked: true },
    { label: 'staging', description: '1 recommendation', picked: true },
  ]);
  assert.equal((options as { canPickMany: boolean }).canPickMany, true);
  const paths = new Set(double.appliedEdits[0]!.edit.operations.map((o) => o.uri.path));
  assert.deepEqual([...paths], ['/ws/kustomize/overlays/prod/web-resources.yaml']);
  assert.deepEqual(
    double.messages.map((m) => m.message),
    ['krr-mcp: wrote 1 container into 1 file (not saved).'],
  );
});

test('from the palette without a scan, or when the pick is dismissed, nothing happens', async () => {
  await startFeatures(null);
  await double.commands.get(COMMAND)!();
  assert.deepEqual(double.quickPicks, []);
  assert.match(double.messages[0]!.message, /no CRITICAL or WARNING recommendation to write/);
  stopFeatures();
  double.reset();
  await startFeatures();
  await double.commands.get(COMMAND)!();
  assert.equal(double.quickPicks.length, 1);
  assert.deepEqual(double.appliedEdits, []);
  assert.deepEqual(double.messages, []);
});

test('rows already in the files: nothing to write, and the summary says so', async () => {
  const { tree, manifests } = await startFeatures();
  const web = node(tree, 'prod', 'web');
  await double.commands.get(COMMAND)!(web, [web]);
  await manifests.settled();
  double.messages.length = 0;
  await double.commands.get(COMMAND)!(web, [web]);
  assert.equal(double.appliedEdits.length, 1);
  assert.deepEqual(
    double.messages.map((m) => m.message),
    ['krr-mcp: nothing to write to the workspace. 1 already up to date.'],
  );
});

test('the tree offers the command on workloads, namespaces and the context, not on containers', () => {
  const manifest = JSON.parse(readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8')) as {
    contributes: { menus: Record<string, Array<{ command: string; when?: string }>> };
  };
  const entry = manifest.contributes.menus['view/item/context']!.find((m) => m.command === COMMAND)!;
  const pattern = /viewItem =~ \/(.+)\/$/.exec(entry.when!)![1]!;
  const matches = (value: string) => new RegExp(pattern).test(value);
  assert.deepEqual(
    [
      'krrMcp.workload;applicable',
      'krrMcp.workload',
      'krrMcp.namespace',
      'krrMcp.context',
      'krrMcp.container;applicable',
    ].map(matches),
    [true, true, true, true, false],
  );
  const hidden = manifest.contributes.menus.commandPalette!.find(
    (m) => m.command === 'krrMcp.applyRecommendationToManifest',
  );
  assert.equal(hidden?.when, 'false');
});

test('selected rows: a container its own, a workload all, a namespace or context the flagged ones, once each', async () => {
  const { tree } = await startFeatures();
  const shop = node(tree, 'shop');
  const web = node(tree, 'shop', 'web');
  const proxy = node(tree, 'shop', 'web', 'proxy');
  const cache = node(tree, 'shop', 'cache');
  const ids = (nodes: TreeNode[]) =>
    rowsOfSelection(nodes[0], nodes)!.map((r) => r.id.replace(`${CONTEXT}/`, ''));
  assert.deepEqual(ids([proxy]), ['shop/Deployment/web/proxy']);
  assert.deepEqual(ids([cache]), ['shop/StatefulSet/cache/redis'], 'picked by hand: also an OK row');
  assert.deepEqual(ids([shop, web]).sort(), ['shop/Deployment/web/app', 'shop/Deployment/web/proxy']);
  assert.equal(rowsOfSelection(undefined, undefined), undefined);
  assert.deepEqual(rowsOfSelection(shop, []), rowsOfSelection(shop, [shop]), 'no list: the clicked node');
});
