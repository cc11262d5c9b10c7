import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalJson } from '../../../../src/core/canonical-json.js';
import { planHash, type PlannedWorkload } from '../../../../src/core/changes/plan.js';
import { buildWorkloadPatch } from '../../../../src/core/changes/workload-patch.js';

test('canonical JSON sorts keys at every level', () => {
  assert.equal(
    canonicalJson({ b: 1, a: { d: [2, { z: 1, y: null }], c: 'x' } }),
    '{"a":{"c":"x","d":[2,{"y":null,"z":1}]},"b":1}',
  );
});

test('the plan hash covers cluster, targets, uids, resourceVersions and patches only', () => {
  const workload = {
    target: { kind: 'Deployment', namespace: 'shop', name: 'web' },
    uid: 'u1',
    resourceVersion: '7',
    patch: { type: 'strategic-merge', body: { metadata: { resourceVersion: '7' } } },
    diff: 'one',
  } as unknown as PlannedWorkload;
  const cluster = { context: 'c', cluster: 'c', server: 'https://k', user: 'u' };
  const hash = planHash({ cluster, workloads: [workload] });
  assert.match(hash, /^[0-9a-f]{64}$/);
  assert.equal(
    planHash({ cluster: { ...cluster, user: 'other' }, workloads: [{ ...workload, diff: 'two' }] }),
    hash,
  );
  for (const changed of [
    { cluster: { ...cluster, server: 'https://other' }, workloads: [workload] },
    { cluster: { ...cluster, context: 'd' }, workloads: [workload] },
    { cluster, workloads: [{ ...workload, uid: 'u2' }] },
    { cluster, workloads: [{ ...workload, resourceVersion: '8' }] },
    { cluster, workloads: [{ ...workload, patch: { type: 'strategic-merge' as const, body: {} } }] },
  ])
    assert.notEqual(planHash(changed), hash);
});

const edit = (index: number, name: string, raw: unknown, current: object, desired: object) => ({
  index,
  name,
  rawResources: raw,
  current: { requests: {}, limits: {}, ...current },
  desired: { requests: {}, limits: {}, ...desired },
});

test('strategic merge patches name only changed containers and fields, with the precondition', () => {
  const patch = buildWorkloadPatch('StatefulSet', '42', [
    edit(
      0,
      'db',
      {},
      { requests: { cpu: '1' }, limits: { cpu: '2' } },
      { requests: { cpu: '1000m' }, limits: {} },
    ),
    edit(1, 'same', {}, { requests: { cpu: '1' } }, { requests: { cpu: '1' } }),
  ]);
  assert.deepEqual(patch, {
    type: 'strategic-merge',
    body: {
      metadata: { resourceVersion: '42' },
      spec: { template: { spec: { containers: [{ name: 'db', resources: { limits: { cpu: null } } }] } } },
    },
  });
});

test('JSON patches for Rollouts create missing maps and remove fields', () => {
  const patch = buildWorkloadPatch('Rollout', '9', [
    edit(2, 'app', undefined, {}, { requests: { cpu: '100m' } }),
    edit(0, 'old', { limits: { cpu: '1' } }, { limits: { cpu: '1' } }, {}),
  ]);
  assert.deepEqual(patch.body, [
    { op: 'replace', path: '/metadata/resourceVersion', value: '9' },
    { op: 'test', path: '/spec/template/spec/containers/2/name', value: 'app' },
    { op: 'add', path: '/spec/template/spec/containers/2/resources', value: {} },
    { op: 'add', path: '/spec/template/spec/containers/2/resources/requests', value: {} },
    { op: 'add', path: '/spec/template/spec/containers/2/resources/requests/cpu', value: '100m' },
    { op: 'test', path: '/spec/template/spec/containers/0/name', value: 'old' },
    { op: 'remove', path: '/spec/template/spec/containers/0/resources/limits/cpu' },
  ]);
});
