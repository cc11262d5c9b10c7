import { rmSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { FixtureCluster } from '../../src/demo/cluster-model.js';
import {
  fixtureObjects,
  startKubeSimulator,
  type KubeSimulator,
} from '../../src/demo/kube-simulator/index.js';
import { kubeconfigYaml } from '../../src/demo/kube-simulator/kubeconfig.js';
import { startPrometheus, type RunningPrometheus } from '../../src/demo/prometheus/prometheus-process.js';
import { startEngineEnvironment, type EngineEnvironment } from './engine-environment.js';
import { alignedEndTime } from './fixture/engine-test-cluster.js';
import { buildSyntheticCluster } from './fixture/synthetic-cluster.js';
import { startGatedProxy, type GatedProxy } from './prometheus/gated-proxy.js';

/** The second cluster of a two-context kubeconfig, whose Prometheus a test can hold half way through a scan. */
export interface GatedCluster {
  context: string;
  cluster: FixtureCluster;
  /** In front of its Prometheus; holds the usage queries of `heldNamespace` while closed (closed at start). */
  gate: GatedProxy;
  heldNamespace: string;
}

/**
 * The engine environment (context "engine-test", its kubeconfig first, so it is the current context) plus a
 * 40-workload cluster in four namespaces (context "fleet") whose Prometheus its API server proxies to, through
 * the gate. `kubeconfig` is both files joined as KUBECONFIG joins them.
 */
export async function startFleetEnvironment(): Promise<EngineEnvironment & { fleet: GatedCluster }> {
  const cluster: FixtureCluster = {
    ...buildSyntheticCluster({
      workloads: 40,
      namespaces: 4,
      endTime: alignedEndTime(),
      historySeconds: 3 * 3600,
      seed: 7,
    }),
    name: 'fleet',
    // What discovery finds through the API server (which proxies it to the gate).
    services: [
      {
        namespace: 'monitoring',
        name: 'prometheus-server',
        labels: { app: 'prometheus-server' },
        port: 9090,
      },
    ],
  };
  const heldNamespace = [...cluster.namespaces].sort().at(-1)!;
  const isUsage = (body: string) => /container_(cpu_usage_seconds_total|memory_working_set_bytes)/.test(body);
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    await Promise.allSettled(stops.reverse().map((stop) => stop()));
  };
  try {
    const [east, prometheus] = await Promise.all([
      startEngineEnvironment(),
      startPrometheus({ cluster }),
    ] as const);
    stops.push(
      () => east.stop(),
      () => prometheus.stop(),
    );
    const gate = await startGatedProxy(
      prometheus.url,
      (_path, body) => isUsage(body) && body.includes(`"${heldNamespace}"`),
    );
    stops.push(() => gate.stop());
    const kube: KubeSimulator = await startKubeSimulator({
      objects: fixtureObjects(cluster),
      token: 'fleet-token',
      serviceProxies: { 'monitoring/prometheus-server:9090': gate.url },
    });
    stops.push(() => kube.stop());
    // In the engine environment's directory, which its stop() removes.
    const fleetFile = join(east.dir, 'fleet-kubeconfig.yaml');
    writeFileSync(
      fleetFile,
      kubeconfigYaml(kube.url, 'fleet-token', { contextName: 'fleet', userName: 'fleet' }),
      {
        mode: 0o600,
      },
    );
    return {
      ...east,
      kubeconfig: [east.kubeconfig, fleetFile].join(delimiter),
      fleet: { context: 'fleet', cluster, gate, heldNamespace },
      stop: async () => {
        gate.open();
        await stopAll();
        rmSync(east.dir, { recursive: true, force: true });
      },
    } satisfies EngineEnvironment & { fleet: GatedCluster; prometheus: RunningPrometheus };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
