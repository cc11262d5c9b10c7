// The workload the in-place resize tests change: Deployment web with app (Burstable, default resizePolicy)
// and sidecar (a memory change restarts it), and readers for what the tests check.

import { join } from 'node:path';
import { AppsV1Api, CoreV1Api, type V1Pod } from '@kubernetes/client-node';
import { parseChangeRequest, type ContainerChange } from '../../src/core/changes/change-request.js';
import { DEFAULT_PRICES } from '../../src/core/changes/cost.js';
import { applyPlan, type ApplyEvent } from '../../src/core/changes/executor.js';
import type { ChangePlan } from '../../src/core/changes/plan.js';
import { DEFAULT_SAFETY_RULES } from '../../src/core/changes/safety-rules.js';
import { SnapshotStore } from '../../src/core/changes/snapshot-store.js';
import type { KubernetesVersion } from '../../src/demo/kube-simulator/index.js';
import {
  createDeployment,
  startClusterUnderTest,
  testContainer,
  type ClusterUnderTest,
} from './cluster-under-test.js';

export const planOptions = { safety: DEFAULT_SAFETY_RULES, prices: DEFAULT_PRICES };

export async function startWebCluster(version: KubernetesVersion = '1.33'): Promise<ClusterUnderTest> {
  const env = await startClusterUnderTest({ kubernetesVersion: version });
  await createDeployment(env, {
    name: 'web',
    containers: [
      testContainer('app', {
        requests: { cpu: '250m', memory: '256Mi' },
        limits: { cpu: '500m', memory: '512Mi' },
      }),
      testContainer('sidecar', { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '128Mi' } }, [
        { resourceName: 'memory', restartPolicy: 'RestartContainer' },
      ]),
    ],
  });
  return env;
}

export function webChange(env: ClusterUnderTest, containers: Array<Omit<ContainerChange, 'source'>>) {
  return parseChangeRequest({
    workloads: [
      {
        kind: 'Deployment',
        namespace: env.namespace,
        name: 'web',
        containers: containers.map((c) => ({ ...c, source: 'agent' })),
      },
    ],
  });
}

export async function webPods(env: ClusterUnderTest): Promise<V1Pod[]> {
  const list = await env.kube.kubeConfig
    .makeApiClient(CoreV1Api)
    .listNamespacedPod({ namespace: env.namespace, labelSelector: 'app=web' });
  return list.items.sort((a, b) => a.metadata!.name!.localeCompare(b.metadata!.name!));
}

/** What stays the same when a pod is resized in place (and changes when it is replaced or restarted). */
export const podIdentity = (list: V1Pod[]) =>
  list.map((p) => ({
    name: p.metadata?.name,
    uid: p.metadata?.uid,
    restarts: p.status?.containerStatuses?.map((s) => [s.name, s.restartCount]),
  }));

export async function webReplicaSets(env: ClusterUnderTest) {
  return (
    await env.kube.kubeConfig
      .makeApiClient(AppsV1Api)
      .listNamespacedReplicaSet({ namespace: env.namespace, labelSelector: 'app=web' })
  ).items;
}

export async function readDeployment(env: ClusterUnderTest, name: string) {
  return env.kube.kubeConfig
    .makeApiClient(AppsV1Api)
    .readNamespacedDeployment({ namespace: env.namespace, name });
}

/** Applies with the test's clock for the resize waits; collects the executor's events. */
export function applyWithEvents(env: ClusterUnderTest, plan: ChangePlan, events: ApplyEvent[] = []) {
  return applyPlan(env.kube, plan, {
    snapshots: new SnapshotStore(join(env.dir, 'snapshots')),
    audit: async (e) => void events.push(e),
    resize: { clock: env.clock },
  });
}
