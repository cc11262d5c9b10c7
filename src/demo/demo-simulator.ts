// The demo cluster as a Kubernetes API: the simulator serving the demo model's objects as a cluster that
// moves. It runs Kubernetes 1.33 (pods/resize in discovery), its controllers, scheduler and kubelets on a
// clock that follows the wall clock, because a person is clicking: an apply rolls pods over in seconds and an
// OOM kill comes a minute later, as on a real cluster. Nothing here is known to the product; it reads this
// cluster through the same API calls it makes against any other.
//
// Two workloads act out what happens after the click:
// - staging/checkout-api degrades after krr's memory cut. It loads the product catalogue into memory about
//   45 s after each start and then needs up to 512Mi; its pod has run since before the 14 days of history, so the
//   history (and krr's ~342Mi) never saw that peak. Its kubelet OOM-kills `api` under a 512Mi limit.
// - prod/recommendation-engine is resized in place: krr raises model-server's memory (512Mi → ~646Mi, request
//   and limit) and trims its CPU request; it stays Burstable and its resizePolicy is the default NotRequired,
//   so its running pod takes the new values without a restart (Kubernetes 1.33 refuses only a lower memory
//   limit in place).

import type { FixtureCluster, FixturePod, FixtureWorkload } from './cluster-model.js';
import { historyStart } from './cluster-model.js';
import { NODES } from './demo-workloads.js';
import {
  fixtureObjects,
  startKubeSimulator,
  type KubeObject,
  type KubernetesVersion,
  type KubeSimulator,
  type OomKillRule,
} from './kube-simulator/index.js';

export const DEMO_KUBERNETES_VERSION: KubernetesVersion = '1.33';

/** The workload whose recommended memory cut is too deep, and what its kubelet does then. */
export const DEMO_OOM_AFTER_MEMORY_CUT = {
  namespace: 'staging',
  workload: 'checkout-api',
  container: 'api',
  memoryLimitBelow: '512Mi',
  afterMs: 45_000,
} as const satisfies OomKillRule;

/** The workload whose recommendation the approval panel offers to apply to the running pods in place. */
export const DEMO_IN_PLACE_RESIZE = {
  kind: 'Deployment',
  namespace: 'prod',
  name: 'recommendation-engine',
  container: 'model-server',
} as const;

/**
 * The demo editor's verification window (krrMcp.verificationMinutes; 10 by default). Short enough that nobody
 * waits long for a verdict, and over before staging/checkout-api's fifth OOM kill (~6 min after the apply:
 * the kubelet's back-off doubles from 10 s), after which its verdict would be "failed" rather than "degraded".
 */
export const DEMO_VERIFICATION_MINUTES = 3;

/** A new pod is Ready this long after it starts: a rollout takes seconds, as on a real cluster. */
export const DEMO_POD_STARTUP_MS = 5_000;
/** An accepted in-place resize is PodResizeInProgress this long. */
export const DEMO_RESIZE_ACTUATION_MS = 2_000;

export interface DemoSimulatorOptions {
  /** Bearer token every request must carry. */
  token?: string;
  /**
   * The simulated clock follows the wall clock (the demo). false: only `clock.advance()` moves it, for tests
   * that play the same cluster without waiting.
   */
  wallClock: boolean;
}

export async function startDemoSimulator(
  cluster: FixtureCluster,
  options: DemoSimulatorOptions,
): Promise<KubeSimulator> {
  const simulator = await startKubeSimulator({
    objects: demoClusterObjects(cluster),
    ...(options.token !== undefined ? { token: options.token } : {}),
    rolloutsCrd: cluster.rolloutsCrd,
    kubernetesVersion: DEMO_KUBERNETES_VERSION,
    controllers: true,
    // Room for a rollout's surge pods next to what runs today (node b runs 3.75 CPUs of requests).
    nodes: NODES.map((name) => ({ name, cpu: '8', memory: '32Gi' })),
    wallClock: options.wallClock,
  });
  simulator.behaviour.podStartupMs = DEMO_POD_STARTUP_MS;
  simulator.behaviour.resizeActuationMs = DEMO_RESIZE_ACTUATION_MS;
  // Pods with a limit of 512Mi or more (today's 2Gi) never reach the OOM: only a cut below it shows.
  simulator.behaviour.oomKill(DEMO_OOM_AFTER_MEMORY_CUT);
  return simulator;
}

const iso = (unixSeconds: number) => new Date(unixSeconds * 1000).toISOString().replace(/\.\d+Z$/, 'Z');

/**
 * The model's objects as the API serves them, with the times and restarts of the history: each pod started
 * when its series begin (before the history, for most), an owner when its first pod did, and a container that
 * the history shows restarting carries that restart count (and OOMKilled as its last termination, where the
 * history says so). The pods keep the model's names, so Prometheus' history and the API name the same pods.
 */
export function demoClusterObjects(cluster: FixtureCluster): KubeObject[] {
  const start = historyStart(cluster);
  const pods = new Map<string, { workload: FixtureWorkload; pod: FixturePod }>();
  const firstStart = new Map<string, number>();
  const earliest = (key: string, second: number) =>
    firstStart.set(key, Math.min(firstStart.get(key) ?? Infinity, second));
  for (const workload of cluster.workloads)
    for (const pod of workload.pods) {
      pods.set(`${workload.namespace}/${pod.name}`, { workload, pod });
      earliest(`${workload.kind}/${workload.namespace}/${workload.name}`, pod.startSecond);
      earliest(`${pod.owner.kind}/${workload.namespace}/${pod.owner.name}`, pod.startSecond);
    }
  const clusterStart = Math.min(0, ...firstStart.values());
  return fixtureObjects(cluster).map((object) => {
    const { kind, metadata } = object;
    const key = `${kind}/${metadata.namespace ?? ''}/${metadata.name}`;
    const model = kind === 'Pod' ? pods.get(`${metadata.namespace ?? ''}/${metadata.name}`) : undefined;
    const second = model?.pod.startSecond ?? firstStart.get(key) ?? clusterStart;
    const created = iso(start + second);
    const next: KubeObject = { ...object, metadata: { ...metadata, creationTimestamp: created } };
    if (model) next.status = podStatus(object, model.pod, start, created);
    return next;
  });
}

type ContainerStatus = { name: string; restartCount?: number; state?: unknown; lastState?: unknown };

function podStatus(object: KubeObject, pod: FixturePod, start: number, created: string): unknown {
  const status = (object.status ?? {}) as { containerStatuses?: ContainerStatus[] };
  return {
    ...status,
    startTime: created,
    containerStatuses: (status.containerStatuses ?? []).map((s) => {
      const restarts = (pod.restartsAtSecond?.[s.name] ?? []).filter((t) => t >= pod.startSecond);
      const last = restarts.at(-1);
      const startedAt = last === undefined ? created : iso(start + last);
      const oomKilled = pod.oomKilledAtSecond?.[s.name] !== undefined;
      return {
        ...s,
        restartCount: restarts.length,
        state: { running: { startedAt } },
        ...(last !== undefined
          ? {
              lastState: {
                terminated: {
                  exitCode: oomKilled ? 137 : 1,
                  reason: oomKilled ? 'OOMKilled' : 'Error',
                  startedAt: iso(start + (restarts.at(-2) ?? pod.startSecond)),
                  finishedAt: startedAt,
                },
              },
            }
          : {}),
      };
    }),
  };
}
