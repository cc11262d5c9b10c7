// Turns a FixtureCluster into OpenMetrics text for `promtool tsdb create-blocks-from openmetrics`.
//
// promtool's rules (see test-infrastructure.md §1): timestamps in seconds, every series in ascending time (it drops
// out-of-order samples silently), the file ends with `# EOF`. We also keep each family's series together, as a
// scrape would. The output is tens of millions of lines, so the sample loops allocate nothing per sample: they copy
// pre-encoded series text and hand-written digits into one reused buffer that is written out in large chunks.

import { writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import {
  fixtureUid,
  historyStart,
  type FixtureCluster,
  type FixturePod,
  type FixtureWorkload,
  type UsageProfile,
} from '../cluster-model.js';
import { parseQuantity } from './quantity.js';

/** A nonzero start, so that rate() never sees what looks like a counter reset to zero. */
const CPU_COUNTER_BASE = 1000;
/** cAdvisor reports the pause container as container="POD": tiny usage that our queries must leave out. */
const PAUSE_CPU_CORES = 0.001;
const PAUSE_MEMORY_BYTES = 1024 * 1024;
const NODE_CPU_CORES = 4;
const NODE_MEMORY_BYTES = 16 * 1024 ** 3;
const BUFFER_BYTES = 1 << 22;
/** Enough for any timestamp or number-to-string output. */
const MAX_NUMBER_CHARS = 32;
const SPACE = 0x20;
const NEWLINE = 0x0a;
const ZERO = 0x30;
const PHASES = ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'] as const;

const CADVISOR = { job: 'kubelet', metrics_path: '/metrics/cadvisor' };
const KSM = { job: 'kube-state-metrics', instance: 'ksm:8080' };

export interface GeneratedCounts {
  series: number;
  samples: number;
}

/** Sample times (unix seconds, inclusive, multiples of the scrape interval). */
interface Span {
  first: number;
  last: number;
}

type Labels = Record<string, string>;

export async function writeOpenMetrics(cluster: FixtureCluster, outPath: string): Promise<GeneratedCounts> {
  const file = await open(outPath, 'w');
  try {
    const out = new OpenMetricsWriter(file.fd, cluster);
    writeCadvisor(out, cluster);
    writeMachine(out, cluster);
    writeKubeStateMetrics(out, cluster);
    // krr's history check reads this one; its value only has to be positive.
    out.family('prometheus_tsdb_head_series', 'gauge', 'Total number of series in the head block.');
    const headSeries = out.series + 1;
    out.constant(
      series('prometheus_tsdb_head_series', { job: 'prometheus', instance: 'localhost:9090' }),
      headSeries,
      out.wholeHistory,
    );
    out.end();
    return { series: out.series, samples: out.samples };
  } finally {
    await file.close();
  }
}

class OpenMetricsWriter {
  series = 0;
  samples = 0;
  readonly wholeHistory: Span;
  private readonly buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  private used = 0;
  private readonly start: number;
  private readonly step: number;

  constructor(
    private readonly fd: number,
    private readonly cluster: FixtureCluster,
  ) {
    this.start = historyStart(cluster);
    this.step = cluster.scrapeIntervalSeconds;
    if (cluster.endTime % this.step !== 0)
      throw new Error('endTime must be a multiple of scrapeIntervalSeconds');
    this.wholeHistory = { first: this.ceilToStep(this.start), last: cluster.endTime };
  }

  /** Sample times from `fromSecond` (inclusive) to `toSecond` (exclusive; undefined = through endTime). */
  span(fromSecond: number, toSecond: number | undefined): Span | undefined {
    const first = this.ceilToStep(Math.max(this.start, this.start + fromSecond));
    const last =
      toSecond === undefined
        ? this.cluster.endTime
        : Math.min(this.cluster.endTime, this.ceilToStep(this.start + toSecond) - this.step);
    return first <= last ? { first, last } : undefined;
  }

  podSpan(pod: FixturePod): Span | undefined {
    return this.span(pod.startSecond, pod.endSecond);
  }

  family(name: string, type: 'gauge' | 'counter', help: string): void {
    this.text(`# TYPE ${name} ${type}\n# HELP ${name} ${help}\n`);
  }

  constant(seriesText: string, value: number, span: Span | undefined): void {
    if (!span) return;
    const prefix = Buffer.from(`${seriesText} ${value} `);
    for (let t = span.first; t <= span.last; t += this.step) {
      this.reserve(prefix.length + MAX_NUMBER_CHARS);
      this.used += prefix.copy(this.buffer, this.used);
      this.integerLine(t);
    }
    this.countSeries(span);
  }

  gauge(seriesText: string, profile: UsageProfile, span: Span | undefined): void {
    if (!span) return;
    const prefix = Buffer.from(seriesText + ' ');
    let segment = 0;
    for (let t = span.first; t <= span.last; t += this.step) {
      const second = t - this.start;
      while (segment + 1 < profile.length && profile[segment + 1]!.fromSecond <= second) segment++;
      this.sample(prefix, profile[segment]?.value ?? 0, t);
    }
    this.countSeries(span);
  }

  /** A counter whose slope is the profile, integrated exactly from `sinceSecond` (the pod start). */
  counter(seriesText: string, profile: UsageProfile, sinceSecond: number, span: Span | undefined): void {
    if (!span) return;
    const prefix = Buffer.from(seriesText + ' ');
    const integral = new ProfileIntegral(profile);
    let previous = sinceSecond;
    let total = CPU_COUNTER_BASE;
    for (let t = span.first; t <= span.last; t += this.step) {
      const second = t - this.start;
      total += integral.over(previous, second);
      previous = second;
      this.sample(prefix, total, t);
    }
    this.countSeries(span);
  }

  end(): void {
    this.text('# EOF\n');
    this.flush();
  }

  private sample(prefix: Buffer, value: number, time: number): void {
    this.reserve(prefix.length + 2 * MAX_NUMBER_CHARS);
    this.used += prefix.copy(this.buffer, this.used);
    // Most values are whole bytes; digits written by hand are much cheaper than number-to-string.
    if (Number.isSafeInteger(value) && value >= 0) this.digits(value);
    else this.used += this.buffer.write(String(value), this.used, 'latin1');
    this.buffer[this.used++] = SPACE;
    this.integerLine(time);
  }

  private integerLine(value: number): void {
    this.digits(value);
    this.buffer[this.used++] = NEWLINE;
  }

  private digits(value: number): void {
    let length = 1;
    for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) length++;
    let rest = value;
    for (let i = this.used + length - 1; i >= this.used; i--) {
      this.buffer[i] = ZERO + (rest % 10);
      rest = Math.floor(rest / 10);
    }
    this.used += length;
  }

  private text(text: string): void {
    const bytes = Buffer.from(text);
    this.reserve(bytes.length);
    this.used += bytes.copy(this.buffer, this.used);
  }

  private reserve(bytes: number): void {
    if (bytes > BUFFER_BYTES) throw new Error(`a line of ${bytes} bytes does not fit the write buffer`);
    if (this.used + bytes > BUFFER_BYTES) this.flush();
  }

  /** Synchronous: the sample loops stay free of awaits, and the file is written in a few hundred large writes. */
  private flush(): void {
    let written = 0;
    while (written < this.used) written += writeSync(this.fd, this.buffer, written, this.used - written);
    this.used = 0;
  }

  private countSeries(span: Span): void {
    this.series++;
    this.samples += (span.last - span.first) / this.step + 1;
  }

  private ceilToStep(unixSeconds: number): number {
    return Math.ceil(unixSeconds / this.step) * this.step;
  }
}

/**
 * Integrates a piecewise-constant profile over consecutive, ascending intervals in amortised O(1): the cursor only
 * moves forward, which is what a counter written in time order needs.
 */
class ProfileIntegral {
  private segment = 0;

  constructor(private readonly profile: UsageProfile) {}

  over(from: number, to: number): number {
    const profile = this.profile;
    while (this.segment + 1 < profile.length && profile[this.segment + 1]!.fromSecond <= from) this.segment++;
    let sum = 0;
    let at = from;
    while (this.segment + 1 < profile.length && profile[this.segment + 1]!.fromSecond < to) {
      const next = profile[this.segment + 1]!.fromSecond;
      sum += (profile[this.segment]?.value ?? 0) * (next - at);
      at = next;
      this.segment++;
    }
    return sum + (profile[this.segment]?.value ?? 0) * (to - at);
  }
}

function writeCadvisor(out: OpenMetricsWriter, cluster: FixtureCluster): void {
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
    }
    for (const [container, duplicate] of Object.entries(pod.duplicateSeries ?? {})) {
      out.counter(
        duplicateSeries('container_cpu_usage_seconds_total', workload, pod, container, duplicate.id),
        [{ fromSecond: duplicate.fromSecond, value: duplicate.cpuCores }],
        duplicate.fromSecond,
        out.span(duplicate.fromSecond, duplicate.toSecond),
      );
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
    }
    for (const [container, duplicate] of Object.entries(pod.duplicateSeries ?? {})) {
      out.gauge(
        duplicateSeries('container_memory_working_set_bytes', workload, pod, container, duplicate.id),
        [{ fromSecond: duplicate.fromSecond, value: duplicate.memoryBytes }],
        out.span(duplicate.fromSecond, duplicate.toSecond),
      );
    }
  }
}

function duplicateSeries(
  name: string,
  workload: FixtureWorkload,
  pod: FixturePod,
  container: string,
  id: string,
): string {
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

function cadvisorSeries(name: string, workload: FixtureWorkload, pod: FixturePod, container: string): string {
  return series(name, {
    namespace: workload.namespace,
    pod: pod.name,
    container,
    instance: pod.node,
    ...CADVISOR,
  });
}

function writeMachine(out: OpenMetricsWriter, cluster: FixtureCluster): void {
  const nodes = [...new Set([...allPods(cluster)].map(({ pod }) => pod.node))].sort();
  out.family('machine_cpu_cores', 'gauge', 'Number of logical CPU cores.');
  for (const node of nodes)
    out.constant(
      series('machine_cpu_cores', { instance: node, job: 'kubelet' }),
      NODE_CPU_CORES,
      out.wholeHistory,
    );
  out.family('machine_memory_bytes', 'gauge', 'Amount of memory installed on the machine.');
  for (const node of nodes) {
    out.constant(
      series('machine_memory_bytes', { instance: node, job: 'kubelet' }),
      NODE_MEMORY_BYTES,
      out.wholeHistory,
    );
  }
}

function writeKubeStateMetrics(out: OpenMetricsWriter, cluster: FixtureCluster): void {
  const workloads = cluster.workloads.filter((workload) => workload.inKubeStateMetrics !== false);
  const pods = [...allPods({ ...cluster, workloads })];
  const ksmSeries = (name: string, labels: Labels): string => series(name, { ...labels, ...KSM });
  const podLabels = (workload: FixtureWorkload, pod: FixturePod): Labels => ({
    namespace: workload.namespace,
    pod: pod.name,
    uid: fixtureUid(workload.namespace, pod.name),
  });

  out.family('kube_pod_owner', 'gauge', "Information about the Pod's owner.");
  for (const { workload, pod } of pods) {
    const labels = {
      ...podLabels(workload, pod),
      owner_kind: pod.owner.kind,
      owner_name: pod.owner.name,
      owner_is_controller: 'true',
    };
    out.constant(ksmSeries('kube_pod_owner', labels), 1, out.podSpan(pod));
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
        }
        if (quantities.memory !== undefined) {
          out.constant(
            ksmSeries(name, { ...labels, resource: 'memory', unit: 'byte' }),
            parseQuantity(quantities.memory),
            out.podSpan(pod),
          );
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
    }
  }
}

function* allPods(
  cluster: Pick<FixtureCluster, 'workloads'>,
): Generator<{ workload: FixtureWorkload; pod: FixturePod }> {
  for (const workload of cluster.workloads) for (const pod of workload.pods) yield { workload, pod };
}

function series(name: string, labels: Labels): string {
  const pairs = Object.entries(labels).map(([key, value]) => `${key}="${escapeLabelValue(value)}"`);
  return `${name}{${pairs.join(',')}}`;
}

function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
