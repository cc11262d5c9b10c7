// The simulator's watch and controllers, through the real @kubernetes/client-node: what the verification
// relies on must behave as kube-apiserver, kube-controller-manager, the scheduler and the kubelet do.

import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import {
  AppsV1Api,
  CoreV1Api,
  PatchStrategy,
  setHeaderOptions,
  Watch,
  type V1Pod,
} from '@kubernetes/client-node';
import {
  startClusterUnderTest,
  createDeployment,
  testContainer,
  type ClusterUnderTest,
} from '../../support/cluster-under-test.js';

let env: ClusterUnderTest;
let sim: NonNullable<ClusterUnderTest['sim']>;
beforeEach(async () => {
  env = await startClusterUnderTest();
  if (!env.sim) return;
  sim = env.sim;
  await createDeployment(env, {
    name: 'web',
    containers: [testContainer('app', { requests: { cpu: '100m', memory: '64Mi' } })],
  });
});
afterEach(async () => {
  await env?.stop();
});

const apps = () => env.kube.kubeConfig.makeApiClient(AppsV1Api);
const core = () => env.kube.kubeConfig.makeApiClient(CoreV1Api);
const strategic = setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch);

async function patchTemplate(body: object) {
  await apps().patchNamespacedDeployment(
    { namespace: env.namespace, name: 'web', body: { spec: { template: body } } },
    strategic,
  );
}

interface Event {
  type: string;
  object: {
    metadata?: {
      name?: string;
      resourceVersion?: string;
      uid?: string;
      annotations?: Record<string, string>;
    };
    code?: number;
    reason?: string;
    message?: string;
  };
}

/** Opens a client-node watch and collects its events until `until` returns true. */
async function watchUntil(
  path: string,
  query: Record<string, string | boolean | number>,
  until: (events: Event[]) => boolean,
  act?: () => Promise<void>,
) {
  const events: Event[] = [];
  let resolve!: () => void;
  const done = new Promise<void>((r) => (resolve = r));
  const closed = new Promise<unknown>((r) => {
    void new Watch(env.kube.kubeConfig)
      .watch(
        path,
        query,
        (type, object: Event['object']) => {
          events.push({ type, object });
          if (until(events)) resolve();
        },
        r,
      )
      .then((controller) => done.then(() => controller.abort()));
  });
  if (act) {
    await sim.watches.whenWatching(1);
    await act();
  }
  await done;
  return { events, closed };
}

test('a template change rolls the Deployment: new ReplicaSet and pods (new uids, pod-template-hash), old ones deleted, status and conditions', async (t) => {
  if (!env.sim) return t.skip('tests the simulator itself');
  const before = (await core().listNamespacedPod({ namespace: env.namespace })).items;
  const list = await core().listNamespacedPod({ namespace: env.namespace });
  const { events } = await watchUntil(
    `/api/v1/namespaces/${env.namespace}/pods`,
    { resourceVersion: list.metadata!.resourceVersion!, labelSelector: 'app=web' },
    (e) => e.filter((x) => x.type === 'DELETED').length === 2,
    () =>
      patchTemplate({ spec: { containers: [{ name: 'app', resources: { requests: { cpu: '200m' } } }] } }),
  );
  const added = events.filter((e) => e.type === 'ADDED').map((e) => e.object.metadata!.uid);
  assert.equal(added.length, 2);
  assert.ok(added.every((uid) => !before.some((p) => p.metadata!.uid === uid)));
  assert.deepEqual(
    events
      .filter((e) => e.type === 'DELETED')
      .map((e) => e.object.metadata!.uid)
      .sort(),
    before.map((p) => p.metadata!.uid).sort(),
  );
  const after = (await core().listNamespacedPod({ namespace: env.namespace })).items;
  const rsList = (await apps().listNamespacedReplicaSet({ namespace: env.namespace })).items;
  const fresh = rsList.find((r) => r.spec!.replicas === 2)!;
  assert.ok(
    after.every(
      (p) => p.metadata!.labels!['pod-template-hash'] === fresh.metadata!.labels!['pod-template-hash'],
    ),
  );
  assert.ok(after.every((p) => p.metadata!.name!.startsWith(`${fresh.metadata!.name}-`)));
  assert.equal(fresh.metadata!.annotations!['deployment.kubernetes.io/revision'], '2');
  const d = await apps().readNamespacedDeployment({ namespace: env.namespace, name: 'web' });
  assert.equal(d.metadata!.generation, 2);
  assert.deepEqual(
    {
      observed: d.status!.observedGeneration,
      replicas: d.status!.replicas,
      updated: d.status!.updatedReplicas,
      ready: d.status!.readyReplicas,
      available: d.status!.availableReplicas,
    },
    { observed: 2, replicas: 2, updated: 2, ready: 2, available: 2 },
  );
  const progressing = d.status!.conditions!.find((c) => c.type === 'Progressing')!;
  assert.deepEqual(
    [progressing.status, progressing.reason, progressing.message],
    ['True', 'NewReplicaSetAvailable', `ReplicaSet "${fresh.metadata!.name}" has successfully progressed.`],
  );
  const pod: V1Pod = after[0]!;
  assert.equal(pod.status!.phase, 'Running');
  assert.equal(pod.status!.qosClass, 'Burstable');
  assert.ok(pod.spec!.nodeName);
  assert.deepEqual(
    pod.status!.conditions!.map((c) => [c.type, c.status]),
    [
      ['PodReadyToStartContainers', 'True'],
      ['Initialized', 'True'],
      ['Ready', 'True'],
      ['ContainersReady', 'True'],
      ['PodScheduled', 'True'],
    ],
  );
});

test('watch: a too old resourceVersion gets ERROR 410 Expired; bookmarks carry the current version; selectors drop what leaves them', async (t) => {
  if (!env.sim) return t.skip('tests the simulator itself');
  const list = await core().listNamespacedPod({ namespace: env.namespace });
  sim.watches.compact();
  const expired = await watchUntil(
    `/api/v1/namespaces/${env.namespace}/pods`,
    { resourceVersion: String(Number(list.metadata!.resourceVersion) - 1) },
    (e) => e.length === 1,
  );
  assert.deepEqual(
    {
      type: expired.events[0]!.type,
      code: expired.events[0]!.object.code,
      reason: expired.events[0]!.object.reason,
    },
    { type: 'ERROR', code: 410, reason: 'Expired' },
  );
  assert.match(expired.events[0]!.object.message!, /^too old resource version: \d+ \(\d+\)$/);
  assert.equal(await expired.closed, null, 'the server ends the watch after the error');

  const pod = list.items[0]!.metadata!.name!;
  let versionAtBookmark = '';
  const labelled = await watchUntil(
    `/api/v1/namespaces/${env.namespace}/pods`,
    { labelSelector: 'app=web', allowWatchBookmarks: true },
    (e) => e.some((x) => x.type === 'DELETED'),
    async () => {
      versionAtBookmark = sim.store.currentResourceVersion();
      sim.watches.bookmark();
      await core().patchNamespacedPod(
        { namespace: env.namespace, name: pod, body: { metadata: { labels: { app: 'other' } } } },
        strategic,
      );
    },
  );
  assert.deepEqual(
    labelled.events.map((e) => e.type),
    ['ADDED', 'ADDED', 'BOOKMARK', 'DELETED'],
  );
  assert.equal(labelled.events[2]!.object.metadata!.resourceVersion, versionAtBookmark);
  assert.equal(
    labelled.events[3]!.object.metadata!.name,
    pod,
    'the pod left the selector: deleted for this watch',
  );
});

test('watch on a resource the simulator does not model answers 400', async (t) => {
  if (!env.sim) return t.skip('tests the simulator itself');
  const answer = await fetch(`${sim.url}/api/v1/namespaces/${env.namespace}/services?watch=true`, {
    headers: { authorization: 'Bearer cluster-under-test' },
  });
  assert.equal(answer.status, 400);
  assert.match(
    ((await answer.json()) as { message: string }).message,
    /does not implement watch for services/,
  );
});

test('CrashLoopBackOff: the kubelet restarts on its back-off (10 s, then 20 s) as simulated time passes', async (t) => {
  if (!env.sim) return t.skip('tests the simulator itself');
  sim.behaviour.crashLoop({ namespace: env.namespace, workload: 'web', exitCode: 2 });
  await patchTemplate({ metadata: { annotations: { restarted: 'now' } } });
  const crashing = async () =>
    (await core().listNamespacedPod({ namespace: env.namespace })).items.find(
      (p) => p.metadata!.annotations?.restarted,
    )!.status!.containerStatuses![0]!;
  let status = await crashing();
  assert.equal(status.restartCount, 1);
  assert.deepEqual(
    [status.lastState?.terminated?.reason, status.lastState?.terminated?.exitCode],
    ['Error', 2],
  );
  assert.equal(status.state?.waiting?.reason, 'CrashLoopBackOff');
  assert.match(
    status.state!.waiting!.message!,
    /^back-off 10s restarting failed container=app pod=web-[a-z0-9]+-[a-z0-9]{5}_verify\([0-9a-f-]{36}\)$/,
  );
  await env.advance(9_000);
  assert.equal((await crashing()).restartCount, 1, 'not before the back-off');
  await env.advance(1_000);
  status = await crashing();
  assert.equal(status.restartCount, 2);
  assert.match(status.state!.waiting!.message!, /^back-off 20s /);
});
