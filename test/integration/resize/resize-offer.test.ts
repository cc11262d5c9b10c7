// What the plan offers for in-place resize, and what it does not: a QoS class change, a lower memory limit
// on 1.33 (allowed from 1.34), nothing at all on 1.32, a StatefulSet by its update strategy; and Infeasible
// reported per pod after the apply.

import assert from 'node:assert/strict';
import { afterEach, test, type TestContext } from 'node:test';
import { AppsV1Api, CoreV1Api } from '@kubernetes/client-node';
import { parseChangeRequest } from '../../../src/core/changes/change-request.js';
import type { ApplyEvent } from '../../../src/core/changes/executor.js';
import { buildChangePlan } from '../../../src/core/changes/plan-builder.js';
import type { KubernetesVersion } from '../../../src/demo/kube-simulator/index.js';
import { createDeployment, testContainer, type ClusterUnderTest } from '../../support/cluster-under-test.js';
import {
  applyWithEvents,
  planOptions,
  readDeployment,
  startWebCluster,
  webChange,
  webPods,
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

test('a change that would change the QoS class is shown as not possible, and nothing is offered', async (t) => {
  const env = await start(t);
  // web stays Burstable whatever app gets (its sidecar has no cpu limit); a Guaranteed pod would not:
  await createDeployment(env, {
    name: 'solo',
    containers: [
      testContainer('app', {
        requests: { cpu: '250m', memory: '256Mi' },
        limits: { cpu: '250m', memory: '256Mi' },
      }),
    ],
  });
  const plan = await buildChangePlan(
    env.kube,
    parseChangeRequest({
      workloads: [
        {
          kind: 'Deployment',
          namespace: env.namespace,
          name: 'solo',
          containers: [{ container: 'app', source: 'agent', requests: { cpu: '200m' } }],
        },
      ],
    }),
    { ...planOptions, inPlaceResize: 'resize' },
  );
  const section = plan.workloads[0]!.inPlaceResize!;
  assert.equal(section.offered, false);
  assert.equal(plan.resizeRunningPods, undefined, 'nothing to choose');
  assert.equal(section.pods.length, 2);
  for (const pod of section.pods) {
    assert.equal(pod.outcome, 'not-possible');
    assert.equal(pod.patch, null);
    assert.match(pod.reason, /QoS class would change from Guaranteed to Burstable/);
  }
  assert.match(section.reason!, /cannot be resized in place: .*QoS class would change/);
});

test('Infeasible: the kubelet refuses a resize above the node allocatable; it is reported per pod, the template lands', async (t) => {
  const env = await start(t);
  if (!env.sim) return t.skip('needs the simulator: the test shrinks its nodes');
  for (const node of env.sim.behaviour.nodes) env.sim.behaviour.setAllocatable(node.name, { cpu: '400m' });
  const plan = await buildChangePlan(
    env.kube,
    webChange(env, [{ container: 'app', requests: { cpu: '400m' } }]),
    { ...planOptions, inPlaceResize: 'resize' },
  );
  assert.equal(plan.workloads[0]!.inPlaceResize!.offered, true);
  const events: ApplyEvent[] = [];
  const result = await applyWithEvents(env, plan, events);
  assert.equal(result.status, 'applied');
  for (const pod of result.resizes![0]!.pods) {
    assert.equal(pod.state, 'infeasible');
    assert.equal(pod.message, "Node didn't have enough capacity: cpu, requested: 450, capacity: 400");
  }
  assert.equal(events.filter((e) => e.type === 'pod-resize-pending').length, 2);
  const after = await webPods(env);
  const condition = after[0]!.status!.conditions!.find((c) => c.type === 'PodResizePending');
  assert.equal(condition?.reason, 'Infeasible');
  // The kubelet still runs the old values; the spec asks for the new ones.
  assert.equal(
    after[0]!.status!.containerStatuses!.find((s) => s.name === 'app')!.resources!.requests!.cpu,
    '250m',
  );
  const deployment = await readDeployment(env, 'web');
  assert.equal(deployment.spec!.template.spec!.containers[0]!.resources!.requests!.cpu, '400m');
});

test('1.32: no resize offer; the change rolls the pods as before', async (t) => {
  const env = await start(t, '1.32');
  const before = await webPods(env);
  const plan = await buildChangePlan(
    env.kube,
    webChange(env, [{ container: 'app', requests: { cpu: '200m' } }]),
    { ...planOptions, inPlaceResize: 'resize' },
  );
  const section = plan.workloads[0]!.inPlaceResize!;
  assert.deepEqual(
    { supported: section.supported, offered: section.offered, pods: section.pods },
    { supported: false, offered: false, pods: [] },
  );
  assert.match(section.reason!, /Kubernetes v1\.32\.\d+; in-place pod resize needs 1\.33 or later/);
  assert.equal(plan.resizeRunningPods, undefined);
  const result = await applyWithEvents(env, plan);
  assert.equal(result.resizes, undefined);
  const after = await webPods(env);
  assert.ok(
    after.every((p) => !before.some((b) => b.metadata!.uid === p.metadata!.uid)),
    'every pod was replaced',
  );
});

test('1.33 keeps memory limits from going down in place (NotRequired); 1.35 allows it', async (t) => {
  const cut = [{ container: 'app', limits: { memory: '384Mi' } }];
  const env133 = await start(t);
  const refused = await buildChangePlan(env133.kube, webChange(env133, cut), {
    ...planOptions,
    inPlaceResize: 'offer',
  });
  assert.equal(refused.workloads[0]!.inPlaceResize!.offered, false);
  assert.match(
    refused.workloads[0]!.inPlaceResize!.pods[0]!.reason,
    /Kubernetes 1\.33 lowers a memory limit in place only when the container's memory resizePolicy is RestartContainer/,
  );
  await env133.stop();
  env = undefined;
  if (!(await start(t, '1.35')).sim) return;
  const allowed = await buildChangePlan(env!.kube, webChange(env!, cut), {
    ...planOptions,
    inPlaceResize: 'offer',
  });
  assert.equal(
    allowed.workloads[0]!.inPlaceResize!.offered,
    true,
    allowed.workloads[0]!.inPlaceResize!.reason,
  );
  assert.equal(allowed.resizeRunningPods, undefined, "'offer' offers, the person chooses");
});

test('a StatefulSet: RollingUpdate would replace its pods (not offered); OnDelete keeps them and they are resized', async (t) => {
  const env = await start(t);
  const apps = env.kube.kubeConfig.makeApiClient(AppsV1Api);
  for (const [name, type] of [
    ['rolling', 'RollingUpdate'],
    ['ondelete', 'OnDelete'],
  ] as const) {
    const labels = { app: name };
    await apps.createNamespacedStatefulSet({
      namespace: env.namespace,
      body: {
        metadata: { name, labels },
        spec: {
          replicas: 1,
          serviceName: name,
          selector: { matchLabels: labels },
          updateStrategy: { type },
          template: {
            metadata: { labels },
            spec: { containers: [testContainer('db', { requests: { cpu: '250m', memory: '256Mi' } })] },
          },
        },
      },
    });
  }
  const change = (name: string) =>
    parseChangeRequest({
      workloads: [
        {
          kind: 'StatefulSet',
          namespace: env.namespace,
          name,
          containers: [{ container: 'db', source: 'agent', requests: { cpu: '200m' } }],
        },
      ],
    });
  const rolling = await buildChangePlan(env.kube, change('rolling'), {
    ...planOptions,
    inPlaceResize: 'resize',
  });
  assert.equal(rolling.workloads[0]!.inPlaceResize!.offered, false);
  assert.match(rolling.workloads[0]!.inPlaceResize!.reason!, /updateStrategy RollingUpdate/);
  const onDelete = await buildChangePlan(env.kube, change('ondelete'), {
    ...planOptions,
    inPlaceResize: 'resize',
  });
  const section = onDelete.workloads[0]!.inPlaceResize!;
  assert.equal(section.offered, true, section.reason);
  assert.equal(section.replicaSet, undefined);
  assert.deepEqual(
    section.pods.map((p) => [p.name, p.outcome]),
    [['ondelete-0', 'in-place']],
  );
  const result = await applyWithEvents(env, onDelete);
  assert.deepEqual(
    result.resizes?.[0]?.pods.map((p) => [p.pod, p.uid, p.state]),
    [['ondelete-0', section.pods[0]!.uid, 'resized']],
  );
  const pod = await env.kube.kubeConfig
    .makeApiClient(CoreV1Api)
    .readNamespacedPod({ namespace: env.namespace, name: 'ondelete-0' });
  assert.equal(pod.metadata!.uid, section.pods[0]!.uid);
  assert.equal(pod.spec!.containers[0]!.resources!.requests!.cpu, '200m');
});
