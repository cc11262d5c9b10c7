import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import { double, type ThemeIcon } from '../../../support/vscode-double/vscode.js';
import type { TreeNode } from '../../../../src/extension/tree/nodes/tree-node.js';
import { RecommendationsProvider } from '../../../../src/extension/tree/recommendations-provider.js';
import { aRecommendation, FakeSource } from './builders.js';
import { walk } from './tree-walk.js';

beforeEach(() => double.reset());

const quantities = (cpu: string | null, memory: string | null) => ({
  requests: { cpu, memory },
  limits: { cpu: null, memory },
});

function treeWith(...items: ReturnType<typeof aRecommendation>[]) {
  const provider = new RecommendationsProvider(new FakeSource(items));
  const nodes = walk(provider);
  const item = (id: string) => {
    const node = nodes.find((n: TreeNode) => n.id === id);
    assert.ok(node, `no node ${id}`);
    return provider.getTreeItem(node);
  };
  const icon = (id: string) => item(id).iconPath as unknown as ThemeIcon;
  return { item, icon };
}

test('a container shows its request change as description', () => {
  const { item } = treeWith(aRecommendation());
  assert.equal(item('prod/shop/Deployment/api/app').description, 'cpu 500m→250m · mem 1Gi→600Mi');
});

test('unset and "?" quantities are shown as such', () => {
  const { item } = treeWith(
    aRecommendation({ current: quantities(null, '1Gi'), recommended: quantities('100m', '?') }),
  );
  assert.equal(item('prod/shop/Deployment/api/app').description, 'cpu unset→100m · mem 1Gi→?');
});

test('severity icons carry theme colours', () => {
  const expected = {
    CRITICAL: ['error', 'charts.red'],
    WARNING: ['warning', 'charts.yellow'],
    OK: ['info', 'charts.blue'],
    GOOD: ['pass', 'charts.green'],
    UNKNOWN: ['question', 'disabledForeground'],
  } as const;
  for (const [severity, [id, color]] of Object.entries(expected)) {
    const { icon } = treeWith(aRecommendation({ severity: severity as keyof typeof expected }));
    assert.equal(icon('prod/shop/Deployment/api/app').id, id);
    assert.equal(icon('prod/shop/Deployment/api/app').color?.id, color);
  }
});

test('workloads, namespaces and the context take the worst severity below them, with a count', () => {
  const { item, icon } = treeWith(
    aRecommendation({ name: 'api', container: 'app', severity: 'OK', monthly_savings_usd: 1.5 }),
    aRecommendation({ name: 'api', container: 'envoy', severity: 'CRITICAL', monthly_savings_usd: 2 }),
    aRecommendation({ name: 'web', severity: 'GOOD', monthly_savings_usd: 0 }),
    aRecommendation({ name: 'worker', kind: 'Job', severity: 'CRITICAL', monthly_savings_usd: -4 }),
  );
  assert.equal(icon('prod/shop/Deployment/api').id, 'error');
  assert.equal(icon('prod/shop/Deployment/web').id, 'pass');
  assert.equal(icon('prod/shop').id, 'error');
  assert.equal(icon('prod').id, 'error');
  assert.equal(item('prod/shop').description, '3 workloads · 2 CRITICAL');
  assert.equal(item('prod').description, '3 workloads · 2 CRITICAL');
  assert.equal(item('prod/shop/Deployment/api').description, 'Deployment · 2 containers · saves $3.50/mo');
  assert.equal(item('prod/shop/Deployment/web').description, 'Deployment');
  assert.equal(item('prod/shop/Job/worker').description, 'Job · costs $4.00/mo more');
});

test('only recommendations that can be applied get the "applicable" context value', () => {
  const { item } = treeWith(
    aRecommendation({ name: 'lower', container: 'app' }),
    aRecommendation({ name: 'unknown', recommended: quantities('?', '600Mi') }),
    aRecommendation({ name: 'same', recommended: quantities('500m', '1Gi') }),
    aRecommendation({ name: 'mixed', container: 'a' }),
    aRecommendation({ name: 'mixed', container: 'b', recommended: quantities('?', '?') }),
  );
  assert.equal(item('prod/shop/Deployment/lower/app').contextValue, 'krrMcp.container;applicable');
  assert.equal(item('prod/shop/Deployment/lower').contextValue, 'krrMcp.workload;applicable');
  assert.equal(item('prod/shop/Deployment/unknown/app').contextValue, 'krrMcp.container');
  assert.equal(item('prod/shop/Deployment/unknown').contextValue, 'krrMcp.workload');
  assert.equal(item('prod/shop/Deployment/same/app').contextValue, 'krrMcp.container');
  assert.equal(item('prod/shop/Deployment/mixed').contextValue, 'krrMcp.workload;applicable');
  assert.equal(item('prod/shop').contextValue, 'krrMcp.namespace');
  assert.equal(item('prod').contextValue, 'krrMcp.context');
});

test('tree items carry no tooltip until VS Code resolves them', () => {
  const { item } = treeWith(aRecommendation());
  assert.equal(item('prod/shop/Deployment/api/app').tooltip, undefined);
});
