import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ClusterLabelNameSchema,
  ClusterLabelValuesSchema,
  clusterLabelFor,
} from '../../../../src/core/prometheus/shared-prometheus.js';

test("a context's value is the mapped one, else its own name; without a shared Prometheus, none", () => {
  const shared = { labelName: 'cluster', values: { 'arn:aws:eks:eu-west-1:1:cluster/shop': 'shop-prod' } };
  assert.deepEqual(clusterLabelFor(shared, 'arn:aws:eks:eu-west-1:1:cluster/shop'), {
    name: 'cluster',
    value: 'shop-prod',
  });
  assert.deepEqual(clusterLabelFor(shared, 'kind-dev'), { name: 'cluster', value: 'kind-dev' });
  assert.equal(clusterLabelFor(undefined, 'kind-dev'), undefined);
});

test("a context named like an Object property is its own name, not the prototype's", () => {
  const shared = { labelName: 'cluster', values: {} };
  for (const context of ['constructor', 'toString', '__proto__'])
    assert.deepEqual(clusterLabelFor(shared, context), { name: 'cluster', value: context });
});

test('only label names pass: the name is written into PromQL as it is', () => {
  for (const name of ['cluster', '_x', 'k8s_cluster2'])
    assert.ok(ClusterLabelNameSchema.safeParse(name).success);
  for (const name of ['', '2cluster', 'cluster-name', 'cluster="a"} or up{', 'a b', 'clüster'])
    assert.equal(ClusterLabelNameSchema.safeParse(name).success, false, name);
});

test('values: strings that are not empty, for at most 1,000 contexts', () => {
  assert.ok(ClusterLabelValuesSchema.safeParse({ east: 'us-east-1' }).success);
  assert.equal(ClusterLabelValuesSchema.safeParse({ east: '' }).success, false);
  assert.equal(ClusterLabelValuesSchema.safeParse({ east: 1 }).success, false);
  const many = Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`c${i}`, 'v']));
  assert.equal(ClusterLabelValuesSchema.safeParse(many).success, false);
});
