import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import { double } from '../../../support/vscode-double/vscode.js';
import {
  clearFilter,
  createRecommendationsView,
  setFilter,
  setSort,
} from '../../../../src/extension/tree/recommendations-view.js';
import { describeFilter } from '../../../../src/extension/tree/tree-filter.js';
import { aRecommendation, FakeSource } from './builders.js';
import { ids, walk } from './tree-walk.js';

beforeEach(() => double.reset());

const fixture = () => [
  aRecommendation({ namespace: 'shop', name: 'api', severity: 'CRITICAL', monthly_savings_usd: 5 }),
  aRecommendation({ namespace: 'shop', name: 'cart', severity: 'WARNING', monthly_savings_usd: 50 }),
  aRecommendation({
    namespace: 'shop',
    kind: 'StatefulSet',
    name: 'db',
    severity: 'OK',
    monthly_savings_usd: 20,
  }),
  aRecommendation({ namespace: 'billing', name: 'invoice', severity: 'UNKNOWN', monthly_savings_usd: 0 }),
];

const workloadIds = (view: ReturnType<typeof createRecommendationsView>) =>
  ids(walk(view.provider)).filter((id) => id.split('/').length === 4);

test('workloads are sorted by monthly savings by default, or by name', () => {
  const recommendations = createRecommendationsView(new FakeSource(fixture()));
  assert.deepEqual(workloadIds(recommendations), [
    'prod/billing/Deployment/invoice',
    'prod/shop/Deployment/cart',
    'prod/shop/StatefulSet/db',
    'prod/shop/Deployment/api',
  ]);
  setSort(recommendations, 'name');
  assert.deepEqual(workloadIds(recommendations), [
    'prod/billing/Deployment/invoice',
    'prod/shop/Deployment/api',
    'prod/shop/Deployment/cart',
    'prod/shop/StatefulSet/db',
  ]);
});

test('filters by minimum severity, namespaces and kinds, and refresh the tree', () => {
  const recommendations = createRecommendationsView(new FakeSource(fixture()));
  const fired: unknown[] = [];
  recommendations.provider.onDidChangeTreeData((e) => fired.push(e));

  setFilter(recommendations, { minSeverity: 'WARNING' });
  assert.deepEqual(fired, [undefined]);
  assert.deepEqual(workloadIds(recommendations), ['prod/shop/Deployment/cart', 'prod/shop/Deployment/api']);

  setFilter(recommendations, { minSeverity: 'OK', kinds: new Set(['StatefulSet']) });
  assert.deepEqual(workloadIds(recommendations), ['prod/shop/StatefulSet/db']);

  setFilter(recommendations, { namespaces: new Set(['billing']) });
  assert.deepEqual(workloadIds(recommendations), ['prod/billing/Deployment/invoice']);

  setFilter(recommendations, { namespaces: new Set(['gone']) });
  const [context] = recommendations.provider.getChildren();
  assert.equal(recommendations.provider.getTreeItem(context!).description, 'no matching workloads');

  clearFilter(recommendations);
  assert.equal(workloadIds(recommendations).length, 4);
});

test('the view message names the active filter, and clears with it', () => {
  const recommendations = createRecommendationsView(new FakeSource(fixture()));
  assert.equal(recommendations.view.message, undefined);
  setFilter(recommendations, { minSeverity: 'WARNING', kinds: new Set(['Deployment']) });
  assert.equal(recommendations.view.message, 'Filtered: severity ≥ WARNING, kind Deployment');
  clearFilter(recommendations);
  assert.equal(recommendations.view.message, undefined);
});

test('filter descriptions stay short with many values', () => {
  assert.equal(describeFilter({}), undefined);
  assert.equal(describeFilter({ namespaces: new Set() }), undefined);
  assert.equal(
    describeFilter({
      namespaces: new Set(['b', 'a']),
      kinds: new Set(['Job', 'CronJob', 'DaemonSet', 'Rollout']),
    }),
    'Filtered: namespace a or b, kind 4 selected',
  );
});

test('without results the filter message stays off, so the welcome content can show', () => {
  const source = new FakeSource();
  const recommendations = createRecommendationsView(source);
  setFilter(recommendations, { minSeverity: 'CRITICAL' });
  assert.equal(recommendations.view.message, undefined);
  source.publish(fixture());
  assert.equal(recommendations.view.message, 'Filtered: severity ≥ CRITICAL');
});

test('filter and sort set context keys for the title-bar menus', () => {
  const recommendations = createRecommendationsView(new FakeSource(fixture()));
  double.executed.length = 0;
  setFilter(recommendations, { minSeverity: 'WARNING' });
  setSort(recommendations, 'name');
  clearFilter(recommendations);
  const keys = double.executed
    .filter((e) => e.command === 'setContext' && e.args[0] !== 'krrMcp.state')
    .map((e) => e.args);
  assert.deepEqual(keys, [
    ['krrMcp.filtered', true],
    ['krrMcp.sort', 'savings'],
    ['krrMcp.filtered', true],
    ['krrMcp.sort', 'name'],
    ['krrMcp.filtered', false],
    ['krrMcp.sort', 'name'],
  ]);
});
