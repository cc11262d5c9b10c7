import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import { double } from '../../../support/vscode-double/vscode.js';
import {
  createRecommendationsView,
  showMore,
  VIEW_ID,
} from '../../../../src/extension/tree/recommendations-view.js';
import { aRecommendation, FakeSource, manyWorkloads } from './builders.js';
import { childLabelled } from './tree-walk.js';

beforeEach(() => double.reset());

const stateKeys = () =>
  double.executed
    .filter((e) => e.command === 'setContext' && e.args[0] === 'krrMcp.state')
    .map((e) => e.args[1]);

test('creates the view with collapse-all and multi-select', () => {
  const recommendations = createRecommendationsView(new FakeSource());
  const registered = double.treeViews.get(VIEW_ID);
  assert.equal(registered, recommendations.view as unknown);
  assert.equal(registered?.options.treeDataProvider, recommendations.provider);
  assert.equal(registered?.options.showCollapseAll, true);
  assert.equal(registered?.options.canSelectMany, true);
});

test('the badge counts applicable CRITICAL and WARNING recommendations, and clears at zero', () => {
  const unknown = { requests: { cpu: '?', memory: '?' }, limits: { cpu: null, memory: '?' } };
  const source = new FakeSource([
    aRecommendation({ name: 'a', severity: 'CRITICAL' }),
    aRecommendation({ name: 'b', severity: 'WARNING' }),
    aRecommendation({ name: 'c', severity: 'WARNING', recommended: unknown }),
    aRecommendation({ name: 'd', severity: 'OK' }),
    aRecommendation({ name: 'e', severity: 'GOOD' }),
  ]);
  const recommendations = createRecommendationsView(source);
  assert.deepEqual(recommendations.view.badge, { value: 2, tooltip: '2 recommendations to act on' });
  source.publish([aRecommendation({ severity: 'CRITICAL' })]);
  assert.deepEqual(recommendations.view.badge, { value: 1, tooltip: '1 recommendation to act on' });
  source.publish([aRecommendation({ severity: 'OK' })]);
  assert.equal(recommendations.view.badge, undefined);
});

test('the krrMcp.state context key follows the source, once per change of state', () => {
  const source = new FakeSource();
  createRecommendationsView(source);
  source.setState('no-prometheus');
  source.setState('scanning');
  source.setState('scanning');
  source.publish([aRecommendation()]);
  source.setState('error');
  source.publish([]);
  assert.deepEqual(stateKeys(), ['no-kubeconfig', 'no-prometheus', 'scanning', 'ready', 'error', 'empty']);
});

test('the exported showMore handler grows the parent it names and ignores anything else', () => {
  const recommendations = createRecommendationsView(new FakeSource(manyWorkloads(250)));
  const { provider } = recommendations;
  const namespace = childLabelled(provider, childLabelled(provider, undefined, 'prod'), 'big');
  showMore(recommendations, undefined);
  assert.equal(provider.getChildren(namespace).length, 201);
  showMore(recommendations, 'prod/big');
  assert.equal(provider.getChildren(namespace).length, 250);
});

test('dispose stops listening to the source', () => {
  const source = new FakeSource();
  const recommendations = createRecommendationsView(source);
  const fired: unknown[] = [];
  recommendations.provider.onDidChangeTreeData((e) => fired.push(e));
  recommendations.dispose();
  source.publish([aRecommendation({ severity: 'CRITICAL' })]);
  assert.deepEqual(fired, []);
  assert.equal(recommendations.view.badge, undefined);
});
