// The series cAdvisor and kube-state-metrics would have scraped from a FixtureCluster, family by family (each
// family's series together, as a scrape keeps them), for either sink: OpenMetrics text or TSDB blocks.

import type { FixtureCluster, FixturePod, FixtureWorkload, UsageProfile } from '../cluster-model.js';
import type { HistoryEmitter } from './history-emitter.js';
import { parseQuantity } from './quantity.js';
import { writeKubeStateRiskSeries, writeThrottling } from './risk-series.js';
import {
  allPods,
  CADVISOR,
  cadvisorSeries,
  ksmPodLabels,
  ksmSeries,
  kubeStateWorkloads,
  series,
} from './scrape-labels.js';
import type { SeriesId } from './series-sink.js';

/** cAdvisor reports the pause container as container="POD": tiny usage that our queries must leave out. */
const PAUSE_CPU_CORES = 0.001;
const PAUSE_MEMORY_BYTES = 1024 * 1024;
const NODE_CPU_CORES = 4;
const NODE_MEMORY_BYTES = 16 * 1024 ** 3;

const PHASES = ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'] as const;

/**
 * Every series of the cluster's history, one at a time: the generator yields after each, so that its caller can
 * give the event loop a turn (and a block writer can finish a full block) between series.
 */
export function* allSeries(out: HistoryEmitter, cluster: FixtureCluster): Generator<void> {
  yield* writeCadvisor(out, cluster);
  yield* writeThrottling(out, cluster);
  yield* writeMachine(out, cluster);
  yield* writeKubeStateMetrics(out, cluster);
  yield* writeKubeStateRiskSeries(out, cluster);
  // krr's history check reads this one; its value only has to be positive.
  out.family('prometheus_tsdb_head_series', 'gauge', 'Total number of series in the head block.');
  const headSeries = out.series + 1;
  out.constant(
    series('prometheus_tsdb_head_series', { job: 'prometheus', instance: 'localhost:9090' }),
    headSeries,
    out.wholeHistory,
  );
}

function* writeCadvisor(out: HistoryEmitter, cluster: FixtureCluster): Generator<void> {
  out.family('container_cpu_usage_seconds', 'counter', 'Cumulative cpu time consumed in seconds.');
  for (const { workload, pod } of allPods(cluster)) {
    const span = out.podSpan(pod);
    for (const [container, profile] of cadvisorProfiles(pod, 'cpuCores', PAUSE_CPU_CORES)) {
      out.counter(
        cadvisorSeries('container_cpu_usage_seconds_total', workload, pod, container),
        profile,
        pod.startSecond,
        span,
      );
      yield;
    }
    for (const [container, duplicate] of Object.entries(pod.duplicateSeries ?? {})) {
      out.counter(
        duplicateSeries('container_cpu_usage_seconds_total', workload, pod, container, duplicate.id),
        [{ fromSecond: duplicate.fromSecond, value: duplicate.cpuCores }],
        duplicate.fromSecond,
        out.span(duplicate.fromSecond, duplicate.toSecond),
      );
      yield;
    }
  }
  out.family('container_memory_working_set_bytes', 'gauge', 'Current working set of the container in bytes.');
  for (const { workload, pod } of allPods(cluster)) {
    const span = out.podSpan(pod);
    for (const [container, profile] of cadvisorProfiles(pod, 'memoryBytes', PAUSE_MEMORY_BYTES)) {
      out.gauge(
        cadvisorSeries('container_memory_working_set_bytes', workload, pod, container),
        profile,
        span,
      );
      yield;
    }
    for (const [container, duplicate] of Object.entries(pod.duplicateSeries ?? {})) {
      out.gauge(
        duplicateSeries('container_memory_working_set_bytes', workload, pod, container, duplicate.id),
        [{ fromSecond: duplicate.fromSecond, value: duplicate.memoryBytes }],
        out.span(duplicate.fromSecond, duplicate.toSecond),
      );
      yield;
    }
  }
}

function duplicateSeries(
  name: string,
  workload: FixtureWorkload,
  pod: FixturePod,
  container: string,
  id: string,
): SeriesId {
  return series(name, {
    namespace: workload.namespace,
    pod: pod.name,
    container,
    id,
    instance: pod.node,
    ...CADVISOR,
  });
}

/** The app containers, then the pause container ("POD") and the pod cgroup total (""), as cAdvisor reports them. */
function cadvisorProfiles(
  pod: FixturePod,
  resource: 'cpuCores' | 'memoryBytes',
  pauseValue: number,
): Array<[string, UsageProfile]> {
  const containers = Object.entries(pod.usage).map(([name, usage]): [string, UsageProfile] => [
    name,
    usage[resource],
  ]);
  if (containers.length === 0) return [];
  const pause: UsageProfile = [{ fromSecond: Math.min(0, pod.startSecond), value: pauseValue }];
  const total = sumProfiles([...containers.map(([, profile]) => profile), pause]);
  return [...containers, ['POD', pause], ['', total]];
}

function sumProfiles(profiles: UsageProfile[]): UsageProfile {
  const boundaries = [
    ...new Set(profiles.flatMap((profile) => profile.map((segment) => segment.fromSecond))),
  ].sort((a, b) => a - b);
  const cursors = profiles.map(() => 0);
  return boundaries.map((fromSecond) => {
    let value = 0;
    profiles.forEach((profile, index) => {
      let cursor = cursors[index]!;
      while (cursor + 1 < profile.length && profile[cursor + 1]!.fromSecond <= fromSecond) cursor++;
      cursors[index] = cursor;
      value += profile[cursor]?.value ?? 0;
    });
    return { fromSecond, value };
  });
}

function* writeMachine(out: HistoryEmitter, cluster: FixtureCluster): Generator<void> {
  const nodes = [...new Set([...allPods(cluster)].map(({ pod }) => pod.node))].sort();
  out.family('machine_cpu_cores', 'gauge', 'Number of logical CPU cores.');
  for (const node of nodes) {
    out.constant(
      series('machine_cpu_cores', { instance: node, job: 'kubelet' }),
      NODE_CPU_CORES,
      out.wholeHistory,
    );
    yield;
  }
  out.family('machine_memory_bytes', 'gauge', 'Amount of memory installed on the machine.');
  for (const node of nodes) {
    out.constant(
      series('machine_memory_bytes', { instance: node, job: 'kubelet' }),
      NODE_MEMORY_BYTES,
      out.wholeHistory,
    );
    yield;
  }
}

function* writeKubeStateMetrics(out: HistoryEmitter, cluster: FixtureCluster): Generator<void> {
  const workloads = kubeStateWorkloads(cluster);
  const pods = [...allPods({ workloads })];
  const podLabels = ksmPodLabels;

  out.family('kube_pod_owner', 'gauge', "Information about the Pod's owner.");
  for (const { workload, pod } of pods) {
    const labels = {
      ...podLabels(workload, pod),
      owner_kind: pod.owner.kind,
      owner_name: pod.owner.name,
      owner_is_controller: 'true',
    };
    out.constant(ksmSeries('kube_pod_owner', labels), 1, out.podSpan(pod));
    yield;
  }

  out.family('kube_replicaset_owner', 'gauge', "Information about the ReplicaSet's owner.");
  for (const workload of workloads) {
    for (const replicaset of workload.replicaSets ?? []) {
      const labels = {
        namespace: workload.namespace,
        replicaset,
        owner_kind: workload.kind,
        owner_name: workload.name,
        owner_is_controller: 'true',
      };
      out.constant(ksmSeries('kube_replicaset_owner', labels), 1, out.wholeHistory);
      yield;
    }
  }

  out.family('kube_job_owner', 'gauge', "Information about the Job's owner.");
  for (const workload of workloads) {
    for (const jobName of workload.jobs ?? []) {
      const labels = {
        namespace: workload.namespace,
        job_name: jobName,
        owner_kind: 'CronJob',
        owner_name: workload.name,
        owner_is_controller: 'true',
      };
      out.constant(ksmSeries('kube_job_owner', labels), 1, out.wholeHistory);
      yield;
    }
  }

  out.family('kube_pod_status_phase', 'gauge', 'The pods current phase.');
  for (const { workload, pod } of pods) {
    for (const phase of PHASES) {
      out.constant(
        ksmSeries('kube_pod_status_phase', { ...podLabels(workload, pod), phase }),
        phase === 'Running' ? 1 : 0,
        out.podSpan(pod),
      );
      yield;
    }
  }

  for (const kind of ['requests', 'limits'] as const) {
    const name = `kube_pod_container_resource_${kind}`;
    out.family(name, 'gauge', `The number of ${kind} resource by a container.`);
    for (const { workload, pod } of pods) {
      for (const container of workload.containers) {
        const quantities = container[kind] ?? {};
        const labels = { ...podLabels(workload, pod), container: container.name, node: pod.node };
        if (quantities.cpu !== undefined) {
          out.constant(
            ksmSeries(name, { ...labels, resource: 'cpu', unit: 'core' }),
            parseQuantity(quantities.cpu),
            out.podSpan(pod),
          );
          yield;
        }
        if (quantities.memory !== undefined) {
          out.constant(
            ksmSeries(name, { ...labels, resource: 'memory', unit: 'byte' }),
            parseQuantity(quantities.memory),
            out.podSpan(pod),
          );
          yield;
        }
      }
    }
  }

  const reasonFamily = 'kube_pod_container_status_last_terminated_reason';
  out.family(reasonFamily, 'gauge', 'Describes the last reason the container was in terminated state.');
  for (const { workload, pod } of pods) {
    for (const [container, second] of Object.entries(pod.oomKilledAtSecond ?? {})) {
      const labels = { ...podLabels(workload, pod), container, reason: 'OOMKilled' };
      out.constant(
        ksmSeries(reasonFamily, labels),
        1,
        out.span(Math.max(second, pod.startSecond), pod.endSecond),
      );
      yield;
    }
  }
}
