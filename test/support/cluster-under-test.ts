// The cluster the verification and resize tests run against: the Kubernetes API simulator with its
// controllers, scheduler and kubelets (time moves only when the test advances it), or a real cluster when
// KRR_TEST_KUBECONFIG names one (a fresh namespace, real time, and no fault knobs: tests that need them skip).

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppsV1Api, CoreV1Api, type V1Container } from '@kubernetes/client-node';
import { loadKubeTarget, type KubeTarget } from '../../src/core/kube/kubeconfig.js';
import { systemClock, type Clock } from '../../src/core/verify/clock.js';
import {
  startKubeSimulator,
  type KubeObject,
  type KubeSimulator,
  type KubernetesVersion,
  type SimNode,
} from '../../src/demo/kube-simulator/index.js';

export interface ClusterUnderTest {
  kube: KubeTarget;
  /** The kubeconfig file `kube` was loaded from (for processes the test starts). */
  kubeconfig: string;
  /** Absent against a real cluster. */
  sim?: KubeSimulator;
  /** The simulator's clock, or the system clock. */
  clock: Clock;
  namespace: string;
  dir: string;
  /** Moves simulated time in steps (each step settles the controllers); on a real cluster, waits. */
  advance(ms: number, stepMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export interface ClusterOptions {
  kubernetesVersion?: KubernetesVersion;
  /** Extra objects for the simulator (a real cluster gets none). */
  objects?: KubeObject[];
  nodes?: SimNode[];
}

const yieldToIo = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A Clock over the simulator's: sleeps end when the test advances simulated time. */
export function simulatedClock(sim: KubeSimulator): Clock {
  return { now: () => sim.clock.nowMillis(), sleep: (ms, signal) => sim.clock.sleep(ms, signal) };
}

export async function startClusterUnderTest(options: ClusterOptions = {}): Promise<ClusterUnderTest> {
  const dir = mkdtempSync(join(tmpdir(), 'krr-mcp-cluster-'));
  const real = process.env.KRR_TEST_KUBECONFIG;
  if (real) {
    const kube = loadKubeTarget({ kubeconfig: real });
    const namespace = `krr-mcp-test-${randomBytes(4).toString('hex')}`;
    const core = kube.kubeConfig.makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: namespace } } });
    return {
      kube,
      kubeconfig: real,
      clock: systemClock,
      namespace,
      dir,
      advance: (ms) => systemClock.sleep(ms),
      async stop() {
        await core.deleteNamespace({ name: namespace }).catch(() => undefined);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const namespace = 'verify';
  const sim = await startKubeSimulator({
    objects: [
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: namespace },
        spec: {},
        status: { phase: 'Active' },
      },
      ...(options.objects ?? []),
    ],
    controllers: true,
    kubernetesVersion: options.kubernetesVersion ?? '1.33',
    ...(options.nodes ? { nodes: options.nodes } : {}),
    token: 'cluster-under-test',
  });
  const kubeconfig = sim.writeKubeconfig(join(dir, 'kubeconfig.yaml'), { contextName: 'cluster-under-test' });
  return {
    kube: loadKubeTarget({ kubeconfig }),
    kubeconfig,
    sim,
    clock: simulatedClock(sim),
    namespace,
    dir,
    async advance(ms, stepMs = ms) {
      for (let done = 0; done < ms; done += stepMs) {
        sim.clock.advance(Math.min(stepMs, ms - done));
        // Lets the watch events of this step reach their clients before time moves on.
        await yieldToIo();
      }
    },
    async stop() {
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface DeploymentSpec {
  name: string;
  replicas?: number;
  containers: V1Container[];
}

/** Creates a Deployment through the API and waits until its pods are available (at once on the simulator). */
export async function createDeployment(env: ClusterUnderTest, spec: DeploymentSpec): Promise<void> {
  const apps = env.kube.kubeConfig.makeApiClient(AppsV1Api);
  const labels = { app: spec.name };
  await apps.createNamespacedDeployment({
    namespace: env.namespace,
    body: {
      metadata: { name: spec.name, labels },
      spec: {
        replicas: spec.replicas ?? 2,
        selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: { containers: spec.containers } },
        progressDeadlineSeconds: 600,
      },
    },
  });
  const deadline = Date.now() + 180_000;
  for (let delay = 100; ; delay = Math.min(delay * 2, 5000)) {
    const d = await apps.readNamespacedDeployment({ namespace: env.namespace, name: spec.name });
    if ((d.status?.availableReplicas ?? 0) >= (spec.replicas ?? 2)) return;
    if (Date.now() > deadline) throw new Error(`Deployment ${spec.name} did not become available`);
    await systemClock.sleep(delay);
  }
}

/** A container for tests: a pause image (real clusters run it), with the given resources. */
export function testContainer(
  name: string,
  resources: V1Container['resources'],
  resizePolicy?: V1Container['resizePolicy'],
): V1Container {
  return { name, image: 'registry.k8s.io/pause:3.10', resources, ...(resizePolicy ? { resizePolicy } : {}) };
}
