import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { RecommendationsProvider } from '../../../../src/extension/tree/recommendations-provider.js';
import { double, Range, type MarkdownString } from '../../../support/vscode-double/vscode.js';
import { childLabelled } from '../tree/tree-walk.js';
import {
  CONTEXT,
  FakeScans,
  FIXTURE_ROWS,
  nextRefresh,
  startFeatures,
  stopFeatures,
  uri,
} from './manifest-workspace.js';

beforeEach(() => double.reset());
afterEach(() => stopFeatures());

function workload(tree: RecommendationsProvider, namespace: string, name: string) {
  const node = childLabelled(
    tree,
    childLabelled(tree, childLabelled(tree, undefined, CONTEXT), namespace),
    name,
  );
  const item = tree.getTreeItem(node);
  return {
    item,
    tooltip: () => (tree.resolveTreeItem(item, node) as unknown as { tooltip: MarkdownString }).tooltip.value,
  };
}

test('a workload found in the workspace says so and opens its manifest at the resources: line', async () => {
  const { tree } = await startFeatures();
  const { item, tooltip } = workload(tree, 'shop', 'web');
  assert.equal(item.description, 'Deployment · 2 containers · saves $20.20/mo · in workspace');
  assert.equal(item.command?.command, 'vscode.open');
  const [target, options] = item.command!.arguments as [{ path: string }, { selection: Range }];
  assert.equal(target.path, uri('plain/shop.yaml').path);
  assert.deepEqual(options.selection, new Range(29, 10, 29, 10));
  assert.match(tooltip(), /\n\nIn the workspace: plain\/shop\\\.yaml:30$/);
});

test('a workload not in the workspace is shown as before', async () => {
  const { tree } = await startFeatures();
  const { item, tooltip } = workload(tree, 'nowhere', 'ghost');
  assert.equal(item.description, 'Deployment');
  assert.equal(item.command, undefined);
  assert.doesNotMatch(tooltip(), /In the workspace/);
});

test('the tree is refreshed when the workspace changes, and forgets the workspace when disposed', async () => {
  const { tree, manifests, disposables } = await startFeatures();
  let refreshes = 0;
  tree.onDidChangeTreeData(() => refreshes++);
  const done = nextRefresh(manifests);
  double.fileWatchers[0]!.fire('change', uri('plain/shop.yaml'));
  await done;
  assert.equal(refreshes, 1);
  for (const d of disposables) d.dispose();
  assert.equal(tree.options.sources, undefined);
  assert.equal(workload(tree, 'shop', 'web').item.command, undefined);
});

test('without the manifests feature the tree needs nothing from it', () => {
  const tree = new RecommendationsProvider(new FakeScans([FIXTURE_ROWS.shopApp]));
  const node = childLabelled(
    tree,
    childLabelled(tree, childLabelled(tree, undefined, CONTEXT), 'shop'),
    'web',
  );
  assert.equal(tree.getTreeItem(node).description, 'Deployment · saves $18.82/mo');
});
