// The series behind the risk signals: cAdvisor's CFS throttling counters, kube-state-metrics' restart
// counters and its HPA replica gauges. Written only where the cluster model asks for them (the restart
// counter and throttling per container, every HPA), so that clusters without them keep their history.

import type { FixtureCluster, UsageProfile } from '../cluster-model.js';
import type { HistoryEmitter } from './history-emitter.js';
import { allPods, cadvisorSeries, ksmPodLabels, ksmSeries, kubeStateWorkloads } from './scrape-labels.js';

/** The kernel's default CFS period is 100 ms: ten periods a second while the container runs. */
const CFS_PERIODS_PER_SECOND = 10;

export function* writeThrottling(out: HistoryEmitter, cluster: FixtureCluster): Generator<void> {
  const throttled = [...allPods(cluster)].filter(({ pod }) => pod.throttledShare !== undefined);
  if (throttled.length === 0) return;
  out.family('container_cpu_cfs_periods', 'counter', 'Number of elapsed enforcement period intervals.');
  for (const { workload, pod } of throttled) {
    for (const container of Object.keys(pod.throttledShare!)) {
      const periods: UsageProfile = [
        { fromSecond: Math.min(0, pod.startSecond), value: CFS_PERIODS_PER_SECOND },
      ];
      out.counter(
        cadvisorSeries('container_cpu_cfs_periods_total', workload, pod, container),
        periods,
        pod.startSecond,
        out.podSpan(pod),
      );
      yield;
    }
  }
  out.family('container_cpu_cfs_throttled_periods', 'counter', 'Number of throttled period intervals.');
  for (const { workload, pod } of throttled) {
    for (const [container, share] of Object.entries(pod.throttledShare!)) {
      const throttledPeriods = share.map((s) => ({
        fromSecond: s.fromSecond,
        value: s.value * CFS_PERIODS_PER_SECOND,
      }));
      out.counter(
        cadvisorSeries('container_cpu_cfs_throttled_periods_total', workload, pod, container),
        throttledPeriods,
        pod.startSecond,
        out.podSpan(pod),
      );
      yield;
    }
  }
}

export function* writeKubeStateRiskSeries(out: HistoryEmitter, cluster: FixtureCluster): Generator<void> {
  const pods = [...allPods({ workloads: kubeStateWorkloads(cluster) })].filter(
    ({ pod }) => pod.restartsAtSecond !== undefined,
  );
  if (pods.length > 0) {
    out.family(
      'kube_pod_container_status_restarts',
      'counter',
      'The number of container restarts per container.',
    );
    for (const { workload, pod } of pods) {
      for (const [container, seconds] of Object.entries(pod.restartsAtSecond!)) {
        // The counter as a step function: 0 from the pod's start, one more at each restart.
        const count: UsageProfile = [
          { fromSecond: Math.min(0, pod.startSecond), value: 0 },
          ...[...seconds].sort((a, b) => a - b).map((fromSecond, i) => ({ fromSecond, value: i + 1 })),
        ];
        out.gauge(
          ksmSeries('kube_pod_container_status_restarts_total', {
            ...ksmPodLabels(workload, pod),
            container,
          }),
          count,
          out.podSpan(pod),
        );
        yield;
      }
    }
  }
  if (cluster.hpas.length === 0) return;
  const hpaLabels = (hpa: FixtureCluster['hpas'][number]) => ({
    namespace: hpa.namespace,
    horizontalpodautoscaler: hpa.name,
  });
  out.family(
    'kube_horizontalpodautoscaler_spec_max_replicas',
    'gauge',
    'Upper limit for the number of pods that can be set by the autoscaler; cannot be smaller than MinReplicas.',
  );
  for (const hpa of cluster.hpas) {
    out.constant(
      ksmSeries('kube_horizontalpodautoscaler_spec_max_replicas', hpaLabels(hpa)),
      hpa.maxReplicas,
      out.wholeHistory,
    );
    yield;
  }
  out.family(
    'kube_horizontalpodautoscaler_status_current_replicas',
    'gauge',
    'Current number of replicas of pods managed by this autoscaler.',
  );
  for (const hpa of cluster.hpas) {
    const replicas = hpa.currentReplicasHistory ?? [{ fromSecond: 0, value: hpa.currentReplicas }];
    out.gauge(
      ksmSeries('kube_horizontalpodautoscaler_status_current_replicas', hpaLabels(hpa)),
      replicas,
      out.wholeHistory,
    );
    yield;
  }
}
