import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { AppsV1Api, CoreV1Api, type V1Pod } from '@kubernetes/client-node';
import { DEFAULT_PRICES } from '../../../src/core/changes/cost.js';
import type { ChangeRequest } from '../../../src/core/changes/change-request.js';
import { applyPlan, type ApplyResult } from '../../../src/core/changes/executor.js';
import type { ChangePlan } from '../../../src/core/changes/plan.js';
import { buildChangePlan } from '../../../src/core/changes/plan-builder.js';
import { quantityValue } from '../../../src/core/changes/quantity-format.js';
import { changeRequestFromRecommendations } from '../../../src/core/changes/recommendations.js';
import { DEFAULT_SAFETY_RULES } from '../../../src/core/changes/safety-rules.js';
import { SnapshotStore } from '../../../src/core/changes/snapshot-store.js';
import { loadKubeTarget, type KubeTarget } from '../../../src/core/kube/kubeconfig.js';
import { PrometheusClient } from '../../../src/core/prometheus/client.js';
import type { ResourceScan } from '../../../src/core/recommend/model.js';
import { recommendationId } from '../../../src/core/recommend/recommendation-items.js';
import { parseStrategyConfig } from '../../../src/core/recommend/settings.js';
import { detectResizeSupport } from '../../../src/core/resize/resize-support.js';
import { scanCluster } from '../../../src/core/scan/scanner.js';
import { verifyChange, type Clock, type VerificationResult } from '../../../src/core/verify/index.js';
import { buildDemoCluster, DEMO_CONTEXT } from '../../../src/demo/demo-cluster.js';
import { startDemoEnvironment, type DemoEnvironment } from '../../../src/demo/demo-environment.js';
import {
  DEMO_IN_PLACE_RESIZE,
  DEMO_OOM_AFTER_MEMORY_CUT,
  DEMO_VERIFICATION_MINUTES,
  startDemoSimulator,
} from '../../../src/demo/demo-simulator.js';

// The demo cluster after the click, played in this process: the demo environment as `krr-mcp demo` starts it
// (real Prometheus with the backfilled history, the simulator with its controllers at Kubernetes 1.33), except
// that the test moves the simulator's clock instead of waiting for the wall clock. The recommendations are the
// scan's, converted by the product's own function, so what is checked is what a person clicking through the
// demo gets: a memory cut that degrades, and a change that resizes the running pod in place.

const OOM = DEMO_OOM_AFTER_MEMORY_CUT;
const RESIZE = DEMO_IN_PLACE_RESIZE;
const WINDOW_MS = DEMO_VERIFICATION_MINUTES * 60_000;
const STEP_MS = 5_000;

let dir: string;
let env: DemoEnvironment;
let kube: KubeTarget;
let prometheus: PrometheusClient;
let scans: ResourceScan[];
let clock: Clock;

const yieldToIo = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Settles `work`, moving simulated time by STEP_MS whenever it waits on the clock, and only then: the product
 * waits for a resize or a verification window on the clock, and the cluster's controllers and kubelets act on
 * each step. Nothing here sleeps for real.
 */
async function whileTimeMoves<T>(work: Promise<T>): Promise<T> {
  let done = false;
  const finished = work.then(
    () => (done = true),
    () => (done = true),
  );
  while (!done) {
    await Promise.race([finished, env.simulator.clock.whenSleeping()]);
    if (done) break;
    env.simulator.clock.advance(STEP_MS);
    // Lets the watch events of this step reach the product before time moves on.
    await yieldToIo();
  }
  return work;
}

/** The scan's recommendation for one workload, as the product turns it into a change request. */
function recommendationFor(namespace: string, name: string): ChangeRequest {
  const ids = scans
    .filter((s) => s.object.namespace === namespace && s.object.name === name)
    .map((s) => recommendationId(DEMO_CONTEXT, s));
  assert.ok(ids.length > 0, `${namespace}/${name} is in the scan`);
  const { request } = changeRequestFromRecommendations(scans, ids, (s) => recommendationId(DEMO_CONTEXT, s));
  assert.ok(request, `krr recommends a change for ${namespace}/${name}`);
  return request;
}

function plan(request: ChangeRequest, inPlaceResize?: 'offer' | 'resize'): Promise<ChangePlan> {
  return buildChangePlan(kube, request, {
    safety: DEFAULT_SAFETY_RULES,
    prices: DEFAULT_PRICES,
    ...(inPlaceResize ? { inPlaceResize } : {}),
  });
}

function apply(changePlan: ChangePlan): Promise<ApplyResult> {
  // A resize waits on the clock for the kubelet (PodResizeInProgress for a while of simulated time).
  return whileTimeMoves(
    applyPlan(kube, changePlan, {
      snapshots: new SnapshotStore(join(dir, 'snapshots')),
      audit: async () => {},
      resize: { clock },
    }),
  );
}

function verify(changePlan: ChangePlan, result: ApplyResult): Promise<VerificationResult> {
  return whileTimeMoves(
    verifyChange({
      kube,
      prometheus,
      rollbackId: result.rollbackId ?? 'none',
      planId: 'demo-test',
      targets: changePlan.workloads.map((w) => w.target),
      windowMs: WINDOW_MS,
      clock,
    }),
  );
}

async function podsOf(namespace: string, app: string): Promise<V1Pod[]> {
  const list = await kube.kubeConfig
    .makeApiClient(CoreV1Api)
    .listNamespacedPod({ namespace, labelSelector: `app=${app}` });
  return list.items.sort((a, b) => a.metadata!.name!.localeCompare(b.metadata!.name!));
}

const identity = (pods: V1Pod[]) =>
  pods.map((p) => ({
    name: p.metadata?.name,
    uid: p.metadata?.uid,
    restarts: p.status?.containerStatuses?.map((s) => [s.name, s.restartCount]),
  }));

describe('the demo cluster after the click', () => {
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'krr-mcp-test-demo-cluster-'));
    // The first start of the hour writes and backfills 14 days of history: about 45 s on two cores.
    env = await startDemoEnvironment({ dir, wallClock: false });
    kube = loadKubeTarget({ kubeconfig: env.kubeconfig });
    prometheus = new PrometheusClient({ url: env.prometheusUrl });
    clock = {
      now: () => env.simulator.clock.nowMillis(),
      sleep: (ms, s) => env.simulator.clock.sleep(ms, s),
    };
    ({
      result: { scans },
    } = await scanCluster(kube, prometheus, {
      strategy: parseStrategyConfig('simple', {}),
      minimums: { cpu_min_value: 10, memory_min_value: 100 },
      namespaces: [],
      kinds: [],
    }));
  });
  after(async () => {
    await env?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('advertises Kubernetes 1.33 with pods/resize: the product offers in-place resize there', async () => {
    const support = await detectResizeSupport(kube);
    assert.equal(support.supported, true, support.reason);
    assert.equal(support.minor, 33);
    assert.match(support.serverVersion ?? '', /^v1\.33\./);
  });

  test('the controllers adopted the seeded pods: the names of the history, owned through ReplicaSets', async () => {
    const running = env.cluster.workloads.flatMap((w) =>
      w.pods.filter((p) => p.endSecond === undefined).map((p) => `${w.namespace}/${p.name}`),
    );
    const core = kube.kubeConfig.makeApiClient(CoreV1Api);
    const apiPods = (await core.listPodForAllNamespaces()).items;
    assert.deepEqual(
      apiPods.map((p) => `${p.metadata!.namespace}/${p.metadata!.name}`).sort(),
      running.sort(),
    );
    for (const pod of apiPods)
      assert.ok(
        pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
        `${pod.metadata!.name} is Ready`,
      );
    // Every pod of a long-running workload that the scan counts as running is one the API serves: history and
    // cluster name the same pods. (A CronJob's Job of this hour may be running in the history: the model
    // serves no Job pods.)
    for (const scan of scans.filter((s) => s.object.kind !== 'CronJob'))
      for (const pod of scan.object.pods.filter((p) => !p.deleted))
        assert.ok(running.includes(`${scan.object.namespace}/${pod.name}`), `${pod.name} is served`);

    // A Deployment's pods → its ReplicaSet → the Deployment (what the controllers and verification follow).
    const apps = kube.kubeConfig.makeApiClient(AppsV1Api);
    const deployment = await apps.readNamespacedDeployment({ namespace: OOM.namespace, name: OOM.workload });
    assert.equal(deployment.status?.observedGeneration, deployment.metadata?.generation);
    assert.equal(deployment.status?.availableReplicas, deployment.spec?.replicas);
    const [pod] = await podsOf(OOM.namespace, OOM.workload);
    const rsName = pod!.metadata!.ownerReferences!.find((o) => o.controller)!.name;
    const rs = await apps.readNamespacedReplicaSet({ namespace: OOM.namespace, name: rsName });
    assert.equal(rs.metadata!.ownerReferences!.find((o) => o.controller)!.uid, deployment.metadata!.uid);

    // Time passing changes nothing on its own: no pod is replaced, and no resourceVersion moves (an approval
    // is bound to them).
    const versions = () =>
      ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Pod']
        .flatMap((kind) => env.simulator.store.list(kind))
        .map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}@${o.metadata.resourceVersion}`);
    const before = versions();
    for (let elapsed = 0; elapsed < 60_000; elapsed += STEP_MS) {
      env.simulator.clock.advance(STEP_MS);
      await yieldToIo();
    }
    assert.deepEqual(versions(), before);
    assert.deepEqual(identity(await podsOf(OOM.namespace, OOM.workload)), identity([pod!]));
  });

  test(`${OOM.namespace}/${OOM.workload}: krr's memory cut gets its new pods OOMKilled, and the verification says degraded`, async () => {
    const request = recommendationFor(OOM.namespace, OOM.workload);
    const api = request.workloads[0]!.containers.find((c) => c.container === OOM.container)!;
    // The premise of the scenario: krr's limit is below what the workload needs at its warm-up peak.
    assert.ok(
      quantityValue(api.limits?.memory ?? undefined)! < quantityValue(OOM.memoryLimitBelow)!,
      `recommended limit ${String(api.limits?.memory)} is below ${OOM.memoryLimitBelow}`,
    );
    const changePlan = await plan(request);
    assert.deepEqual(changePlan.workloads[0]!.blocks, []);
    const applied = await apply(changePlan);
    assert.equal(applied.status, 'applied');

    const verdict = await verify(changePlan, applied);
    const workload = verdict.workloads[0]!;
    assert.equal(verdict.verdict, 'degraded', JSON.stringify(verdict.workloads, null, 1));
    assert.ok(
      workload.evidence.some((e) => e.kind === 'oom-killed' && /was OOMKilled/.test(e.message)),
      JSON.stringify(workload.evidence),
    );
    const pods = await podsOf(OOM.namespace, OOM.workload);
    assert.ok(pods.length > 0);
    for (const pod of pods) {
      const status = pod.status!.containerStatuses!.find((s) => s.name === OOM.container)!;
      assert.equal(status.lastState?.terminated?.reason, 'OOMKilled');
      assert.ok(status.restartCount >= 2, `restarted ${status.restartCount} times`);
      assert.ok(status.restartCount < 5, 'not yet a lasting crash loop: the window ends first');
    }
  });

  test(`${RESIZE.namespace}/${RESIZE.name}: its plan offers in-place resize; choosing it keeps the pod and its restarts`, async () => {
    const request = recommendationFor(RESIZE.namespace, RESIZE.name);
    const offered = await plan(request, 'offer');
    const section = offered.workloads[0]!.inPlaceResize!;
    assert.equal(section.offered, true, section.reason);
    assert.ok(section.pods.length > 0);
    for (const pod of section.pods) {
      assert.equal(pod.outcome, 'in-place', pod.reason);
      assert.equal(pod.qosBefore, 'Burstable');
      assert.equal(pod.qosAfter, 'Burstable');
    }

    const before = await podsOf(RESIZE.namespace, RESIZE.name);
    const chosen = await plan(request, 'resize');
    assert.equal(chosen.resizeRunningPods, true);
    const applied = await apply(chosen);
    assert.equal(applied.status, 'applied');
    assert.deepEqual(
      applied.resizes?.flatMap((r) => r.pods.map((p) => p.state)),
      before.map(() => 'resized'),
    );
    const after = await podsOf(RESIZE.namespace, RESIZE.name);
    assert.deepEqual(identity(after), identity(before), 'same pods, same uids, same restart counts');
    const wanted = request.workloads[0]!.containers.find((c) => c.container === RESIZE.container)!;
    for (const pod of after) {
      const container = pod.spec!.containers.find((c) => c.name === RESIZE.container)!;
      assert.equal(
        quantityValue(container.resources?.limits?.memory),
        quantityValue(wanted.limits?.memory ?? undefined),
      );
    }
    const verdict = await verify(chosen, applied);
    assert.equal(verdict.verdict, 'healthy', JSON.stringify(verdict.workloads, null, 1));
  });
});

describe('the demo simulator on the wall clock', () => {
  test('its clock follows the wall clock by itself until it stops', async () => {
    const simulator = await startDemoSimulator(buildDemoCluster(Date.now() / 1000), { wallClock: true });
    try {
      assert.equal(simulator.clock.followsWallClock, true);
      // No sleep: the next tick is an event.
      const ticked = await new Promise<number>((resolve) => {
        const off = simulator.clock.onAdvance((now) => {
          off();
          resolve(now.getTime());
        });
      });
      assert.ok(Math.abs(ticked - Date.now()) < 1_500, 'the simulated time is the wall time');
    } finally {
      await simulator.stop();
    }
    assert.equal(simulator.clock.followsWallClock, false);
  });
});
