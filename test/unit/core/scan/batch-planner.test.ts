import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HistoryWorkload } from '../../../../src/core/prometheus/history-loader.js';
import { planBatches } from '../../../../src/core/scan/batch-planner.js';

function workload(namespace: string, name: string, pods: number, containers = 1): HistoryWorkload {
  return {
    key: `${namespace}/Deployment/${name}`,
    namespace,
    containers: Array.from({ length: containers }, (_, i) => `c${i}`),
    pods: Array.from({ length: pods }, (_, i) => ({ name: `${name}-${i}`, deleted: false })),
  };
}

const limits = {
  maxSamplesPerQuery: 20_000_000,
  pointsPerSeries: 16128,
  concurrency: 1,
  maxPodRegexLength: 12_000,
  maxNamespacesPerQuery: 100,
};

test('small namespaces share one batch without a pod matcher', () => {
  const batches = planBatches(
    [workload('a', 'web', 2), workload('b', 'api', 3), workload('c', 'db', 1)],
    new Map(),
    limits,
  );
  assert.equal(batches.length, 1);
  assert.deepEqual(batches[0]!.namespaces, ['a', 'b', 'c']);
  assert.equal(batches[0]!.pods, undefined);
});

test('a namespace too big for one query is split by pods, never splitting a workload', () => {
  // budget = 20e6 / 16128 = 1240 series; 30 workloads × 50 pods × 1 container = 1500 series.
  const list = Array.from({ length: 30 }, (_, i) => workload('big', `w${i}`, 50));
  const batches = planBatches(list, new Map(), limits);
  assert.ok(batches.length >= 2);
  for (const b of batches) {
    assert.deepEqual(b.namespaces, ['big']);
    assert.ok(b.pods && b.pods.length <= 1240);
    for (const w of b.workloads) for (const p of w.pods) assert.ok(b.pods.includes(p.name));
  }
  assert.equal(batches.flatMap((b) => b.workloads).length, 30);
});

test("a filtered scan (few of the namespace's pods) names its pods", () => {
  const batches = planBatches([workload('shop', 'cart', 2)], new Map([['shop', 40]]), limits);
  assert.deepEqual(batches[0]!.pods, ['cart-0', 'cart-1']);
});

test('pod regexes stay under the length limit', () => {
  const list = Array.from({ length: 20 }, (_, i) => workload('ns', `a-very-long-workload-name-${i}`, 30));
  const batches = planBatches(list, new Map([['ns', 10_000]]), {
    ...limits,
    maxPodRegexLength: 2000,
    pointsPerSeries: 100,
  });
  for (const b of batches) assert.ok(b.pods!.join('|').length <= 2000 * 2);
  assert.ok(batches.length > 1);
});

test('workloads without pods get no query; work is spread over the workers', () => {
  assert.deepEqual(planBatches([workload('a', 'idle', 0)], new Map(), limits), []);
  const list = Array.from({ length: 8 }, (_, i) => workload(`ns${i}`, 'w', 20));
  assert.equal(planBatches(list, new Map(), { ...limits, concurrency: 4 }).length, 4);
});
