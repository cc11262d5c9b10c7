// The cluster the change pipeline's integration tests plan against and write to. Only API objects
// matter here (no Prometheus), so workloads carry no pods; the numbers are chosen for hand-checked
// cost and percentage arithmetic.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ContainerSpec, FixtureCluster, FixtureWorkload } from '../../../src/demo/cluster-model.js';
import {
  fixtureObjects,
  startKubeSimulator,
  type KubeSimulator,
} from '../../../src/demo/kube-simulator/index.js';
import { loadKubeTarget, type KubeTarget } from '../../../src/core/kube/kubeconfig.js';

function workload(
  kind: FixtureWorkload['kind'],
  namespace: string,
  name: string,
  containers: ContainerSpec[],
  replicas?: number,
): FixtureWorkload {
  return {
    kind,
    namespace,
    name,
    labels: { app: name },
    containers,
    pods: [],
    ...(replicas !== undefined ? { replicas } : {}),
  };
}

const app = (cpu = '250m', memory = '256Mi'): ContainerSpec => ({
  name: 'app',
  requests: { cpu, memory },
  limits: { memory },
});

export function changeTestCluster(): FixtureCluster {
  return {
    name: 'changes-test',
    namespaces: ['shop', 'prod', 'batch', 'monitoring'],
    workloads: [
      workload(
        'Deployment',
        'shop',
        'web',
        [
          { name: 'app', requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '1', memory: '512Mi' } },
          { name: 'sidecar', requests: { cpu: '50m', memory: '64Mi' } },
        ],
        2,
      ),
      workload('Deployment', 'shop', 'single', [app()], 1),
      workload('StatefulSet', 'shop', 'postgres', [app('1', '2Gi')], 1),
      workload('Deployment', 'prod', 'api', [app()], 3),
      workload('Deployment', 'prod', 'redis-cache', [app()], 2),
      workload('DaemonSet', 'monitoring', 'log-agent', [{ name: 'agent', requests: { cpu: '100m' } }], 3),
      workload(
        'Rollout',
        'shop',
        'canary',
        [
          { name: 'app', requests: { cpu: '100m', memory: '128Mi' } },
          { name: 'proxy', requests: { cpu: '10m' } },
        ],
        2,
      ),
      workload('CronJob', 'batch', 'nightly-report', [
        { name: 'report', requests: { cpu: '1', memory: '1Gi' } },
      ]),
      ...[1, 2, 3, 4, 5].map((i) => workload('Deployment', 'shop', `w${i}`, [app()], 2)),
      // Synced by Argo CD from Git: a live change would be reverted at the next sync.
      {
        ...workload('Deployment', 'shop', 'synced', [app()], 2),
        labels: { app: 'synced', 'argocd.argoproj.io/instance': 'shop-apps' },
      },
    ],
    hpas: [
      {
        apiVersion: 'autoscaling/v2',
        namespace: 'shop',
        name: 'web',
        target: { kind: 'Deployment', name: 'web' },
        minReplicas: 2,
        maxReplicas: 10,
        currentReplicas: 2,
        desiredReplicas: 2,
        cpuUtilization: 70,
      },
    ],
    rolloutsCrd: true,
    endTime: 0,
    historySeconds: 0,
    scrapeIntervalSeconds: 30,
  };
}

export interface ChangeTestEnvironment {
  sim: KubeSimulator;
  kube: KubeTarget;
  dir: string;
  stop(): Promise<void>;
}

export async function startChangeTestEnvironment(): Promise<ChangeTestEnvironment> {
  const cluster = changeTestCluster();
  const sim = await startKubeSimulator({
    objects: fixtureObjects(cluster),
    token: 'change-test',
    rolloutsCrd: true,
  });
  const dir = mkdtempSync(join(tmpdir(), 'krr-mcp-changes-'));
  const kubeconfig = sim.writeKubeconfig(join(dir, 'kubeconfig.yaml'), { contextName: cluster.name });
  const kube = loadKubeTarget({ kubeconfig });
  return {
    sim,
    kube,
    dir,
    async stop() {
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
