import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { alignedEndTime, engineTestCluster } from './fixture/engine-test-cluster.js';
import type { FixtureCluster } from '../../src/demo/cluster-model.js';
import {
  fixtureObjects,
  startKubeSimulator,
  type KubeSimulator,
} from '../../src/demo/kube-simulator/index.js';
import { startPrometheus, type RunningPrometheus } from '../../src/demo/prometheus/prometheus-process.js';

/** The real Prometheus with the fixture's history, the API simulator with its objects, a kubeconfig. */
export interface EngineEnvironment {
  cluster: FixtureCluster;
  prometheus: RunningPrometheus;
  kube: KubeSimulator;
  kubeconfig: string;
  dir: string;
  stop(): Promise<void>;
}

/** `cluster`: the engine's test cluster unless a test brings its own (e.g. with hostile names). */
export async function startEngineEnvironment(
  cluster: FixtureCluster = engineTestCluster(alignedEndTime()),
): Promise<EngineEnvironment> {
  const dir = mkdtempSync(join(tmpdir(), 'krr-mcp-engine-'));
  const prometheus = await startPrometheus({ cluster });
  let kube: KubeSimulator | undefined;
  try {
    kube = await startKubeSimulator({
      objects: fixtureObjects(cluster),
      rolloutsCrd: cluster.rolloutsCrd,
      token: 'engine-test-token',
      serviceProxies: { 'monitoring/prometheus-server:9090': prometheus.url },
    });
    const kubeconfig = join(dir, 'kubeconfig');
    kube.writeKubeconfig(kubeconfig, { contextName: 'engine-test' });
    const started = kube;
    return {
      cluster,
      prometheus,
      kube: started,
      kubeconfig,
      dir,
      async stop() {
        await Promise.allSettled([started.stop(), prometheus.stop()]);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await Promise.allSettled([kube?.stop(), prometheus.stop()]);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** `krr-mcp scan` against the environment, evaluated at the end of its history, with more flags. */
export function engineScanArgs(env: EngineEnvironment, ...extra: string[]): string[] {
  return [
    'scan',
    '--kubeconfig',
    env.kubeconfig,
    '-p',
    env.prometheus.url,
    '--at',
    String(env.cluster.endTime),
    ...extra,
  ];
}
