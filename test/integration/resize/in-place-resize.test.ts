// In-place resize through the product's pipeline on a 1.33 cluster: the apply patches the template and
// resizes the running pods (same uids, same restart counts unless a resizePolicy says RestartContainer), a
// failed apply is undone keeping the pods, and the rollback resizes them back.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { afterEach, test, type TestContext } from 'node:test';
import { parseChangeRequest } from '../../../src/core/changes/change-request.js';
import type { ApplyEvent } from '../../../src/core/changes/executor.js';
import { buildChangePlan } from '../../../src/core/changes/plan-builder.js';
import { buildRollbackRequest, readLiveVersions } from '../../../src/core/changes/rollback.js';
import { SnapshotStore } from '../../../src/core/changes/snapshot-store.js';
import type { KubernetesVersion } from '../../../src/demo/kube-simulator/index.js';
import { createDeployment, testContainer, type ClusterUnderTest } from '../../support/cluster-under-test.js';
import {
  applyWithEvents,
  planOptions,
  podIdentity,
  readDeployment,
  startWebCluster,
  webChange,
  webPods,
  webReplicaSets,
} from '../../support/resize-cluster.js';

let env: ClusterUnderTest | undefined;
afterEach(async () => {
  await env?.stop();
  env = undefined;
});

async function start(t: TestContext, version: KubernetesVersion = '1.33'): Promise<ClusterUnderTest> {
  env = await startWebCluster(version);
  if (!env.sim && version !== '1.33') t.skip('a real cluster has the version it has');
  return env;
}

test('1.33: running pods are resized in place with the template — same pods, same restart counts, no rollout', async (t) => {
  const env = await start(t);
  const before = await webPods(env);
  const plan = await buildChangePlan(
    env.kube,
    webChange(env, [{ container: 'app', requests: { cpu: '200m' } }]),
    { ...planOptions, inPlaceResize: 'resize' },
  );
  const section = plan.workloads[0]!.inPlaceResize!;
  assert.equal(section.supported, true);
  assert.equal(section.offered, true, section.reason);
  assert.equal(plan.resizeRunningPods, true);
  assert.deepEqual(
    section.pods.map((p) => [p.name, p.uid, p.outcome, p.qosBefore, p.qosAfter]),
    before.map((p) => [p.metadata!.name, p.metadata!.uid, 'in-place', 'Burstable', 'Burstable']),
  );
  assert.equal(section.pods[0]!.reason, 'resized in place, no container restarts');
  assert.equal(section.replicaSet?.name, (await webReplicaSets(env))[0]!.metadata!.name);
  const events: ApplyEvent[] = [];
  const result = await applyWithEvents(env, plan, events);
  assert.equal(result.status, 'applied');
  assert.deepEqual(
    result.resizes?.[0]?.pods.map((p) => p.state),
    ['resized', 'resized'],
  );
  const after = await webPods(env);
  assert.deepEqual(podIdentity(after), podIdentity(before));
  for (const pod of after) {
    assert.equal(pod.spec!.containers[0]!.resources!.requests!.cpu, '200m');
    assert.equal(
      pod.status!.containerStatuses!.find((s) => s.name === 'app')!.resources!.requests!.cpu,
      '200m',
    );
  }
  const deployment = await readDeployment(env, 'web');
  assert.equal(
    deployment.spec!.template.spec!.containers[0]!.resources!.requests!.cpu,
    '200m',
    'the template patch landed',
  );
  const sets = await webReplicaSets(env);
  assert.equal(sets.length, 1, 'no new ReplicaSet: the controller kept the running pods');
  assert.equal(sets[0]!.spec!.template!.spec!.containers[0]!.resources!.requests!.cpu, '200m');
  assert.equal(deployment.status?.updatedReplicas, 2);
  assert.deepEqual(
    events.map((e) => e.type),
    [
      'snapshot-written',
      'replicaset-aligned',
      'object-applied',
      'pod-resize-requested',
      'pod-resized',
      'pod-resize-requested',
      'pod-resized',
      'apply-finished',
    ],
  );
});

test('RestartContainer is planned as a restart, and the container restarts (restartCount + 1, same pod)', async (t) => {
  const env = await start(t);
  const before = await webPods(env);
  const plan = await buildChangePlan(
    env.kube,
    webChange(env, [{ container: 'sidecar', requests: { memory: '96Mi' } }]),
    { ...planOptions, inPlaceResize: 'resize' },
  );
  const section = plan.workloads[0]!.inPlaceResize!;
  assert.equal(section.offered, true, section.reason);
  for (const pod of section.pods) {
    assert.equal(pod.outcome, 'restarts-container');
    assert.deepEqual(pod.restartingContainers, ['sidecar']);
    assert.match(pod.reason, /sidecar restarts \(resizePolicy RestartContainer\)/);
  }
  const result = await applyWithEvents(env, plan);
  assert.deepEqual(
    result.resizes?.[0]?.pods.map((p) => [p.state, p.restarted]),
    [
      ['restarted-container', ['sidecar']],
      ['restarted-container', ['sidecar']],
    ],
  );
  const after = await webPods(env);
  assert.deepEqual(
    after.map((p) => p.metadata!.uid),
    before.map((p) => p.metadata!.uid),
  );
  for (const pod of after) {
    const counts = Object.fromEntries(pod.status!.containerStatuses!.map((s) => [s.name, s.restartCount]));
    assert.deepEqual(counts, { app: 0, sidecar: 1 });
  }
});

test('the rollback restores the template and resizes the running pods back', async (t) => {
  const env = await start(t);
  const before = await webPods(env);
  const plan = await buildChangePlan(
    env.kube,
    webChange(env, [{ container: 'app', requests: { cpu: '200m' }, limits: { cpu: '400m' } }]),
    { ...planOptions, inPlaceResize: 'resize' },
  );
  const applied = await applyWithEvents(env, plan);
  const snapshot = await new SnapshotStore(join(env.dir, 'snapshots')).load(applied.rollbackId);
  // The Deployment controller wrote its status after our patch (observedGeneration): the resourceVersion moved,
  // as on any real cluster, but the generation did not, so this is no drift.
  const rollback = buildRollbackRequest(snapshot, await readLiveVersions(env.kube, snapshot));
  assert.deepEqual(rollback.blocks, []);
  const back = await buildChangePlan(env.kube, parseChangeRequest(rollback.request), {
    ...planOptions,
    inPlaceResize: 'resize',
  });
  assert.equal(back.workloads[0]!.inPlaceResize!.offered, true, back.workloads[0]!.inPlaceResize!.reason);
  const restored = await applyWithEvents(env, back);
  assert.deepEqual(
    restored.resizes?.[0]?.pods.map((p) => p.state),
    ['resized', 'resized'],
  );
  const after = await webPods(env);
  assert.deepEqual(podIdentity(after), podIdentity(before));
  for (const pod of after) {
    assert.deepEqual(JSON.parse(JSON.stringify(pod.spec!.containers[0]!.resources)), {
      requests: { cpu: '250m', memory: '256Mi' },
      limits: { cpu: '500m', memory: '512Mi' },
    });
  }
  assert.equal((await webReplicaSets(env)).length, 1);
});

test('a failed apply undoes an in-place write the same way: template and ReplicaSet back, Deployment resumed, pods untouched', async (t) => {
  const env = await start(t);
  if (!env.sim) return t.skip('needs the simulator: the test injects a failure');
  await createDeployment(env, {
    name: 'other',
    containers: [
      testContainer('app', {
        requests: { cpu: '250m', memory: '256Mi' },
        limits: { cpu: '500m', memory: '512Mi' },
      }),
    ],
  });
  const before = await webPods(env);
  const change = (name: string) => ({
    kind: 'Deployment' as const,
    namespace: env.namespace,
    name,
    containers: [{ container: 'app', source: 'agent' as const, requests: { cpu: '200m' } }],
  });
  const plan = await buildChangePlan(
    env.kube,
    parseChangeRequest({ workloads: [change('web'), change('other')] }),
    { ...planOptions, inPlaceResize: 'resize' },
  );
  assert.ok(plan.workloads.every((w) => w.inPlaceResize?.offered));
  env.sim.faults.add({ method: 'PATCH', path: /\/deployments\/other$/, status: 500 });
  const events: ApplyEvent[] = [];
  const result = await applyWithEvents(env, plan, events);
  assert.equal(result.status, 'failed-restored');
  assert.equal(result.resizes, undefined, 'no pod is resized when the apply fails');
  assert.ok(events.some((e) => e.type === 'replicaset-restored'));
  const web = await readDeployment(env, 'web');
  assert.equal(web.spec!.template.spec!.containers[0]!.resources!.requests!.cpu, '250m');
  assert.equal(web.spec!.paused, false);
  const sets = await webReplicaSets(env);
  assert.equal(sets.length, 1);
  assert.equal(sets[0]!.spec!.template!.spec!.containers[0]!.resources!.requests!.cpu, '250m');
  assert.deepEqual(podIdentity(await webPods(env)), podIdentity(before));
});
