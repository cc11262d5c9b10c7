import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contextOfItem } from '../../../../src/core/recommend/recommendation-items.js';

const item = (id: string) => ({ id, namespace: 'shop', kind: 'Deployment', name: 'api', container: 'app' });

test('the context of a recommendation id is what precedes its own namespace/kind/name/container', () => {
  assert.equal(contextOfItem(item('prod/shop/Deployment/api/app')), 'prod');
  // EKS contexts are ARNs with a "/" in them.
  assert.equal(
    contextOfItem(item('arn:aws:eks:eu-west-1:123:cluster/prod/shop/Deployment/api/app')),
    'arn:aws:eks:eu-west-1:123:cluster/prod',
  );
  // A context named like a namespace path is still only the prefix.
  assert.equal(
    contextOfItem(item('shop/Deployment/api/app/shop/Deployment/api/app')),
    'shop/Deployment/api/app',
  );
});

test('an id that does not end with the item’s own names has no context', () => {
  assert.equal(contextOfItem(item('prod/billing/Deployment/api/app')), '');
});
