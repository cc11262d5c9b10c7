import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import { double } from '../../../support/vscode-double/vscode.js';
import { RecommendationsProvider } from '../../../../src/extension/tree/recommendations-provider.js';
import { aRecommendation, FakeSource } from './builders.js';
import { childLabelled, ids, walk } from './tree-walk.js';

beforeEach(() => double.reset());

const fixture = () => [
  aRecommendation({ namespace: 'shop', kind: 'Deployment', name: 'api', container: 'app' }),
  aRecommendation({ namespace: 'shop', kind: 'Deployment', name: 'api', container: 'envoy' }),
  aRecommendation({ namespace: 'shop', kind: 'StatefulSet', name: 'db', container: 'postgres' }),
  aRecommendation({ namespace: 'billing', kind: 'Deployment', name: 'api', container: 'app' }),
];

test('context → namespace → workload → container, with ids a path of the names', () => {
  const provider = new RecommendationsProvider(new FakeSource(fixture()));
  assert.deepEqual(ids(walk(provider)), [
    'prod',
    'prod/billing',
    'prod/billing/Deployment/api',
    'prod/billing/Deployment/api/app',
    'prod/shop',
    'prod/shop/Deployment/api',
    'prod/shop/Deployment/api/app',
    'prod/shop/Deployment/api/envoy',
    'prod/shop/StatefulSet/db',
    'prod/shop/StatefulSet/db/postgres',
  ]);
});

test('container ids are the recommendation ids agents and commands use', () => {
  const provider = new RecommendationsProvider(new FakeSource(fixture()));
  const leaves = walk(provider).filter((n) => provider.getChildren(n).length === 0);
  assert.deepEqual(
    ids(leaves).sort(),
    fixture()
      .map((i) => i.id)
      .sort(),
  );
});

test('tree item ids equal node ids, so VS Code keeps expansion by them', () => {
  const provider = new RecommendationsProvider(new FakeSource(fixture()));
  for (const node of walk(provider)) assert.equal(provider.getTreeItem(node).id, node.id);
});

test('getParent returns the node whose children included it, up to the root', () => {
  const provider = new RecommendationsProvider(new FakeSource(fixture()));
  const check = (parent: ReturnType<typeof provider.getChildren>[number] | undefined) => {
    for (const child of provider.getChildren(parent)) {
      assert.equal(provider.getParent(child), parent, child.id);
      check(child);
    }
  };
  check(undefined);
  const container = childLabelled(
    provider,
    childLabelled(
      provider,
      childLabelled(provider, childLabelled(provider, undefined, 'prod'), 'shop'),
      'api',
    ),
    'envoy',
  );
  const path: string[] = [];
  for (let n: typeof container | undefined = container; n; n = provider.getParent(n)) path.unshift(n.id);
  assert.deepEqual(path, ['prod', 'prod/shop', 'prod/shop/Deployment/api', 'prod/shop/Deployment/api/envoy']);
});

test('ids stay the same when a new scan arrives, and the whole tree is refreshed', () => {
  const source = new FakeSource(fixture());
  const provider = new RecommendationsProvider(source);
  const before = ids(walk(provider));
  const fired: unknown[] = [];
  provider.onDidChangeTreeData((e) => fired.push(e));
  source.publish(fixture().map((i) => ({ ...i, monthly_savings_usd: i.monthly_savings_usd + 1 })));
  assert.deepEqual(fired, [undefined]);
  assert.deepEqual(ids(walk(provider)), before);
});

test('no snapshot, or a scan without results, shows no rows so the welcome content can', () => {
  assert.deepEqual(new RecommendationsProvider(new FakeSource()).getChildren(), []);
  assert.deepEqual(new RecommendationsProvider(new FakeSource([])).getChildren(), []);
});

test('the context row starts expanded, namespaces and workloads collapsed, containers are leaves', () => {
  const provider = new RecommendationsProvider(new FakeSource(fixture()));
  const states = walk(provider).map((n) => [
    n.id.split('/').length,
    provider.getTreeItem(n).collapsibleState,
  ]);
  assert.deepEqual(
    new Map(states as Array<[number, number]>),
    new Map([
      [1, 2],
      [2, 1],
      [4, 1],
      [5, 0],
    ]),
  );
});
