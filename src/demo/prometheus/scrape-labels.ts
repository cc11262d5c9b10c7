// What the generator's writers share: the scrape labels of cAdvisor and kube-state-metrics, and the walk
// over every pod of a cluster.

import { fixtureUid, type FixtureCluster, type FixturePod, type FixtureWorkload } from '../cluster-model.js';
import type { Labels, SeriesId } from './series-sink.js';

export const CADVISOR = { job: 'kubelet', metrics_path: '/metrics/cadvisor' };
export const KSM = { job: 'kube-state-metrics', instance: 'ksm:8080' };

export function* allPods(
  cluster: Pick<FixtureCluster, 'workloads'>,
): Generator<{ workload: FixtureWorkload; pod: FixturePod }> {
  for (const workload of cluster.workloads) for (const pod of workload.pods) yield { workload, pod };
}

/** The workloads kube-state-metrics saw (the others' pods are found through the API only). */
export function kubeStateWorkloads(cluster: Pick<FixtureCluster, 'workloads'>): FixtureWorkload[] {
  return cluster.workloads.filter((workload) => workload.inKubeStateMetrics !== false);
}

export function cadvisorSeries(
  name: string,
  workload: FixtureWorkload,
  pod: FixturePod,
  container: string,
): SeriesId {
  return series(name, {
    namespace: workload.namespace,
    pod: pod.name,
    container,
    instance: pod.node,
    ...CADVISOR,
  });
}

export function ksmSeries(name: string, labels: Labels): SeriesId {
  return series(name, { ...labels, ...KSM });
}

export function series(name: string, labels: Labels): SeriesId {
  return { name, labels };
}

/** The labels kube-state-metrics puts on every pod series. */
export function ksmPodLabels(workload: FixtureWorkload, pod: FixturePod): Labels {
  return {
    namespace: workload.namespace,
    pod: pod.name,
    uid: fixtureUid(workload.namespace, pod.name),
  };
}
