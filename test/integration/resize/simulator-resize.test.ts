// The simulator's pods/resize subresource through the real @kubernetes/client-node: discovery and version,
// ValidatePodResize's refusals with kube-apiserver's messages, and the kubelet's conditions (Deferred until
// there is room, PodResizeInProgress while actuating) and restarts.

import assert from 'node:assert/strict';
import { afterEach, test, type TestContext } from 'node:test';
import {
  ApiException,
  AppsV1Api,
  CoreV1Api,
  PatchStrategy,
  setHeaderOptions,
  VersionApi,
  type V1Pod,
} from '@kubernetes/client-node';
import type { KubernetesVersion } from '../../../src/demo/kube-simulator/index.js';
import {
  createDeployment,
  startClusterUnderTest,
  testContainer,
  type ClusterUnderTest,
} from '../../support/cluster-under-test.js';

let env: ClusterUnderTest | undefined;
afterEach(async () => {
  await env?.stop();
  env = undefined;
});

const strategic = setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch);

async function start(t: TestContext, version: KubernetesVersion = '1.33') {
  env = await startClusterUnderTest({ kubernetesVersion: version });
  if (!env.sim) t.skip('tests the simulator itself');
  await createDeployment(env, {
    name: 'web',
    replicas: 1,
    containers: [
      testContainer('app', {
        requests: { cpu: '250m', memory: '256Mi' },
        limits: { cpu: '500m', memory: '512Mi' },
      }),
      testContainer(
        'worker',
        { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '100m', memory: '128Mi' } },
        [{ resourceName: 'cpu', restartPolicy: 'RestartContainer' }],
      ),
    ],
  });
  const core = env.kube.kubeConfig.makeApiClient(CoreV1Api);
  const pod = (await core.listNamespacedPod({ namespace: env.namespace })).items[0]!;
  return { env, core, pod };
}

function resize(core: CoreV1Api, pod: V1Pod, containers: object[], extra: Record<string, string> = {}) {
  return core.patchNamespacedPodResize(
    {
      namespace: pod.metadata!.namespace!,
      name: pod.metadata!.name!,
      body: { spec: { containers } },
      ...extra,
    },
    strategic,
  );
}

async function refusal(call: Promise<unknown>): Promise<{ code: number; message: string }> {
  try {
    await call;
  } catch (error) {
    assert.ok(error instanceof ApiException);
    return { code: error.code, message: (JSON.parse(error.body as string) as { message: string }).message };
  }
  throw new Error('the API server accepted it');
}

test('1.32 has no pods/resize; 1.33 serves and lists it', async (t) => {
  const old = await start(t, '1.32');
  assert.equal((await old.env.kube.kubeConfig.makeApiClient(VersionApi).getCode()).minor, '32');
  assert.ok(!(await old.core.getAPIResources()).resources.some((r) => r.name === 'pods/resize'));
  assert.equal(
    (await refusal(resize(old.core, old.pod, [{ name: 'app', resources: { requests: { cpu: '200m' } } }])))
      .code,
    404,
  );
  await old.env.stop();
  const current = await start(t, '1.33');
  assert.equal((await current.env.kube.kubeConfig.makeApiClient(VersionApi).getCode()).gitVersion, 'v1.33.1');
  const listed = (await current.core.getAPIResources()).resources.find((r) => r.name === 'pods/resize');
  assert.deepEqual(listed?.verbs, ['get', 'patch', 'update']);
});

test("refusals with kube-apiserver's messages: QoS change, removed limit, other fields, a lower memory limit on 1.33", async (t) => {
  const { core, pod } = await start(t);
  const name = pod.metadata!.name!;
  assert.deepEqual(
    await refusal(
      resize(core, pod, [
        { name: 'app', resources: { requests: { cpu: '500m', memory: '512Mi' } } },
        { name: 'worker', resources: {} },
      ]),
    ),
    {
      code: 422,
      message: `Pod "${name}" is invalid: spec: Invalid value: "Burstable": Pod QOS Class may not change as a result of resizing`,
    },
  );
  assert.deepEqual(
    await refusal(resize(core, pod, [{ name: 'app', resources: { limits: { cpu: null } } }])),
    {
      code: 422,
      message: `Pod "${name}" is invalid: spec.containers[0].resources.limits: Forbidden: resource limits cannot be removed`,
    },
  );
  assert.deepEqual(await refusal(resize(core, pod, [{ name: 'app', image: 'other:2' }])), {
    code: 422,
    message: `Pod "${name}" is invalid: spec: Forbidden: only cpu and memory resources are mutable`,
  });
  assert.deepEqual(
    await refusal(resize(core, pod, [{ name: 'app', resources: { limits: { memory: '384Mi' } } }])),
    {
      code: 422,
      message: `Pod "${name}" is invalid: spec.containers[0].resources.limits[memory]: Forbidden: memory limits cannot be decreased unless resizePolicy is RestartContainer`,
    },
  );
  const stale = await refusal(
    core.patchNamespacedPodResize(
      {
        namespace: pod.metadata!.namespace!,
        name,
        body: {
          metadata: { resourceVersion: '1' },
          spec: { containers: [{ name: 'app', resources: { requests: { cpu: '200m' } } }] },
        },
      },
      strategic,
    ),
  );
  assert.equal(stale.code, 409);
});

test('accepted: resized in place (same uid, same restart count) or restarted where resizePolicy says so; dry-run stores nothing', async (t) => {
  const { core, pod } = await start(t);
  const name = pod.metadata!.name!;
  await resize(core, pod, [{ name: 'app', resources: { requests: { cpu: '300m' } } }], { dryRun: 'All' });
  const untouched = await core.readNamespacedPod({ namespace: pod.metadata!.namespace!, name });
  assert.equal(untouched.metadata!.resourceVersion, pod.metadata!.resourceVersion);
  await resize(core, pod, [
    { name: 'app', resources: { requests: { cpu: '300m' } } },
    { name: 'worker', resources: { requests: { cpu: '150m' }, limits: { cpu: '150m' } } },
  ]);
  const after = await core.readNamespacedPod({ namespace: pod.metadata!.namespace!, name });
  assert.equal(after.metadata!.uid, pod.metadata!.uid);
  const statuses = Object.fromEntries(after.status!.containerStatuses!.map((s) => [s.name, s]));
  assert.equal(statuses.app!.restartCount, 0);
  assert.equal(statuses.app!.resources!.requests!.cpu, '300m');
  assert.deepEqual(statuses.app!.allocatedResources, { cpu: '300m', memory: '256Mi' });
  assert.equal(statuses.worker!.restartCount, 1, 'cpu has RestartContainer for the worker');
  assert.ok(!after.status!.conditions!.some((c) => c.type.startsWith('PodResize')));
  assert.equal(after.status!.qosClass, 'Burstable');
});

test('Deferred while the node is full, then done once room frees; PodResizeInProgress while the kubelet actuates', async (t) => {
  const { env, core, pod } = await start(t);
  const sim = env.sim!;
  const node = pod.spec!.nodeName!;
  // Only web's node has room, for web (350m) and a filler (600m): 1 CPU in all.
  for (const n of sim.behaviour.nodes)
    sim.behaviour.setAllocatable(n.name, { cpu: n.name === node ? '1' : '0' });
  await createDeployment(env, {
    name: 'filler',
    replicas: 1,
    containers: [testContainer('app', { requests: { cpu: '600m' } })],
  });
  sim.behaviour.resizeActuationMs = 5_000;
  await resize(core, pod, [{ name: 'app', resources: { requests: { cpu: '900m' }, limits: { cpu: '1' } } }]);
  const read = () =>
    core.readNamespacedPod({ namespace: pod.metadata!.namespace!, name: pod.metadata!.name! });
  const actual = async () =>
    (await read()).status!.containerStatuses!.find((s) => s.name === 'app')!.resources!.requests!.cpu;
  const pending = (await read()).status!.conditions!.find((c) => c.type === 'PodResizePending');
  assert.deepEqual(
    [pending?.status, pending?.reason, pending?.message],
    ['True', 'Deferred', "Node didn't have enough resource: cpu, requested: 1000, used: 600, capacity: 1000"],
  );
  assert.equal(await actual(), '250m', 'the kubelet still runs the old values');
  // The filler goes: the kubelet takes the resize and actuates it for 5 simulated seconds.
  await env.kube.kubeConfig
    .makeApiClient(AppsV1Api)
    .patchNamespacedDeployment(
      { namespace: env.namespace, name: 'filler', body: { spec: { replicas: 0 } } },
      strategic,
    );
  const conditions = (await read()).status!.conditions!.filter((c) => c.type.startsWith('PodResize'));
  assert.deepEqual(
    conditions.map((c) => [c.type, c.status]),
    [['PodResizeInProgress', 'True']],
  );
  assert.equal(
    (await read()).status!.containerStatuses!.find((s) => s.name === 'app')!.allocatedResources!.cpu,
    '900m',
  );
  assert.equal(await actual(), '250m');
  await env.advance(5_000);
  assert.ok(!(await read()).status!.conditions!.some((c) => c.type.startsWith('PodResize')));
  assert.equal(await actual(), '900m');
});
