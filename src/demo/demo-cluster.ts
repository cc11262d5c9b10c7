// The demo cluster: a small shop as a platform team would run it, with what right-sizing is about: an
// over-provisioned API, an under-provisioned worker, a web tier scaled by an HPA on CPU, a Postgres StatefulSet,
// DaemonSets on every node, nightly CronJobs, a quiet staging copy of prod, and one container that was OOMKilled.
// Some are in trouble already (risk signals): the worker is CPU-throttled, the model server keeps being OOM-killed
// and restarting, and the storefront's HPA hit its ceiling during an evening rush.
// The same model feeds the Kubernetes API simulator (objects) and Prometheus (14 days of history).

import type {
  ContainerSpec,
  ContainerUsage,
  FixtureCluster,
  FixtureHpa,
  FixturePod,
  FixtureWorkload,
} from './cluster-model.js';
import { dailyUsageProfile, mulberry32, roundTo, type Random } from './usage-profile.js';

export const DEMO_CONTEXT = 'krr-mcp-demo';
export const DEMO_HISTORY_DAYS = 14;

const MIB = 1024 * 1024;
const HOUR = 3600;
const DAY = 24 * HOUR;
/** krr's rate windows (75 s) need at least two samples: scrape every 30 s, as the tests do. */
const SCRAPE_SECONDS = 30;
const NODES = ['demo-node-a', 'demo-node-b', 'demo-node-c'];

/** What a container typically uses: cores and MiB, each with its daily swing. */
interface Usage {
  cpu: number;
  memoryMi: number;
  cpuSwing?: number;
  memorySwing?: number;
}

interface ContainerPlan {
  spec: ContainerSpec;
  usage: Usage;
}

interface Builder {
  random: Random;
  historyStart: number;
  historySeconds: number;
}

/**
 * The demo cluster with its history reaching `now` (unix seconds). The history ends on the next whole hour, so
 * that demos started within the same hour reuse Prometheus' backfilled blocks (cached by content), and the pods
 * still running have samples at every moment of that hour; queries never look past `now`.
 */
export function buildDemoCluster(now: number): FixtureCluster {
  const end = Math.ceil(now / HOUR) * HOUR;
  const historySeconds = DEMO_HISTORY_DAYS * DAY;
  const b: Builder = { random: mulberry32(20261124), historyStart: end - historySeconds, historySeconds };

  const workloads: FixtureWorkload[] = [
    // The web tier: an HPA scales it on CPU, so only its memory gets a recommendation (krr's rule).
    deployment(b, 'prod', 'storefront', 3, [web('500m', '512Mi', 0.22, 290), envoy()], {
      rolloutAtDay: 9,
    }),
    // Over-provisioned: asks for a whole core and 2 GiB, uses an eighth of a core and 300 MiB. Argo CD syncs it
    // from the demo workspace's Kustomize overlay: a live change would be reverted, the manifests are the way.
    deployment(
      b,
      'prod',
      'checkout-api',
      2,
      [container('api', { cpu: '1', memory: '2Gi' }, { memory: '2Gi' }, { cpu: 0.12, memoryMi: 300 })],
      { labels: { 'argocd.argoproj.io/instance': 'shop-prod' } },
    ),
    // Under-provisioned: throttled at 100m and close to its memory limit.
    deployment(b, 'prod', 'payments-worker', 2, [
      container(
        'worker',
        { cpu: '100m', memory: '128Mi' },
        { memory: '256Mi' },
        { cpu: 0.42, memoryMi: 205, cpuSwing: 0.3 },
      ),
    ]),
    // Its model grew into its limit; the container was OOMKilled on day 11.
    deployment(
      b,
      'prod',
      'recommendation-engine',
      1,
      [
        container(
          'model-server',
          { cpu: '250m', memory: '512Mi' },
          { memory: '512Mi' },
          { cpu: 0.16, memoryMi: 470, memorySwing: 0.05 },
        ),
      ],
      { oomKilledAtDay: 11 },
    ),
    statefulSet(b, 'prod', 'postgres', [
      container(
        'postgres',
        { cpu: '2', memory: '4Gi' },
        { memory: '4Gi' },
        { cpu: 0.35, memoryMi: 1900, memorySwing: 0.05 },
      ),
      container('metrics-exporter', { cpu: '50m', memory: '64Mi' }, undefined, { cpu: 0.008, memoryMi: 26 }),
    ]),
    cronJob(b, 'prod', 'nightly-report', 2, 40, [
      container('report', { cpu: '500m', memory: '1Gi' }, undefined, { cpu: 0.8, memoryMi: 610 }),
    ]),
    cronJob(b, 'prod', 'db-backup', 3, 20, [
      container('backup', { cpu: '200m', memory: '256Mi' }, undefined, { cpu: 0.15, memoryMi: 180 }),
    ]),
    // Staging is a copy of prod that hardly anyone uses: the biggest savings in the cluster.
    deployment(b, 'staging', 'storefront', 1, [web('500m', '512Mi', 0.02, 150), envoy()]),
    deployment(b, 'staging', 'checkout-api', 1, [
      container('api', { cpu: '1', memory: '2Gi' }, { memory: '2Gi' }, { cpu: 0.01, memoryMi: 240 }),
    ]),
    daemonSet(b, 'monitoring', 'node-exporter', {}, [
      container(
        'node-exporter',
        { cpu: '100m', memory: '64Mi' },
        { memory: '128Mi' },
        { cpu: 0.012, memoryMi: 24 },
      ),
    ]),
    // Installed from the demo workspace's Helm chart: its resources come from the chart's values.yaml.
    daemonSet(b, 'logging', 'fluent-bit', helmRelease('fluent-bit', 'logging', '0.47.10'), [
      container(
        'fluent-bit',
        { cpu: '100m', memory: '128Mi' },
        { memory: '256Mi' },
        { cpu: 0.05, memoryMi: 88 },
      ),
    ]),
  ];

  const hpas: FixtureHpa[] = [
    {
      apiVersion: 'autoscaling/v2',
      namespace: 'prod',
      name: 'storefront',
      target: { kind: 'Deployment', name: 'storefront', apiVersion: 'apps/v1' },
      minReplicas: 3,
      maxReplicas: 10,
      currentReplicas: 3,
      desiredReplicas: 3,
      cpuUtilization: 70,
      // An evening rush on day 12: scaled out to its maximum of 10 for three hours.
      currentReplicasHistory: [
        { fromSecond: 0, value: 3 },
        { fromSecond: 12 * DAY + 17 * HOUR, value: 6 },
        { fromSecond: 12 * DAY + 18 * HOUR, value: 10 },
        { fromSecond: 12 * DAY + 21 * HOUR, value: 6 },
        { fromSecond: 12 * DAY + 22 * HOUR, value: 3 },
      ],
    },
  ];
  addRiskSignals(workloads);

  return {
    name: DEMO_CONTEXT,
    namespaces: ['prod', 'staging', 'monitoring', 'logging'],
    workloads,
    hpas,
    rolloutsCrd: false,
    endTime: end,
    historySeconds,
    scrapeIntervalSeconds: SCRAPE_SECONDS,
  };
}

function container(
  name: string,
  requests: { cpu: string; memory: string },
  limits: { memory: string } | undefined,
  usage: Usage,
): ContainerPlan {
  return {
    spec: {
      name,
      image: `registry.example.com/shop/${name}:2.4.1`,
      requests,
      ...(limits ? { limits } : {}),
    },
    usage,
  };
}

function web(cpu: string, memory: string, cpuUse: number, memoryUseMi: number): ContainerPlan {
  return container('web', { cpu, memory }, { memory }, { cpu: cpuUse, memoryMi: memoryUseMi, cpuSwing: 0.6 });
}

function envoy(): ContainerPlan {
  return container(
    'envoy',
    { cpu: '100m', memory: '128Mi' },
    { memory: '128Mi' },
    { cpu: 0.03, memoryMi: 46 },
  );
}

function usageFor(b: Builder, plans: ContainerPlan[], startSecond: number, endSecond: number) {
  const usage: Record<string, ContainerUsage> = {};
  for (const { spec, usage: u } of plans) {
    const lifetime = { historyStart: b.historyStart, startSecond, endSecond };
    usage[spec.name] = {
      cpuCores: dailyUsageProfile(b.random, {
        ...lifetime,
        base: u.cpu,
        dailySwing: u.cpuSwing ?? 0.4,
        round: (value) => roundTo(value, 1e-4),
      }),
      memoryBytes: dailyUsageProfile(b.random, {
        ...lifetime,
        base: u.memoryMi * MIB,
        dailySwing: u.memorySwing ?? 0.1,
        round: Math.round,
        spikeChance: 0,
      }),
    };
  }
  return usage;
}

function pod(
  b: Builder,
  name: string,
  owner: FixturePod['owner'],
  plans: ContainerPlan[],
  node: string,
  startSecond: number,
  endSecond?: number,
): FixturePod {
  const result: FixturePod = {
    name,
    startSecond,
    node,
    owner,
    usage: usageFor(b, plans, startSecond, endSecond ?? b.historySeconds),
  };
  if (endSecond !== undefined) result.endSecond = endSecond;
  return result;
}

function suffix(b: Builder, length: number): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  let text = '';
  for (let i = 0; i < length; i++) text += alphabet[Math.floor(b.random() * alphabet.length)];
  return text;
}

/** Pods that started before the history: their series cover all of it. */
const BEFORE_HISTORY = -3 * DAY;

function deployment(
  b: Builder,
  namespace: string,
  name: string,
  replicas: number,
  plans: ContainerPlan[],
  options: { rolloutAtDay?: number; oomKilledAtDay?: number; labels?: Record<string, string> } = {},
): FixtureWorkload {
  const current = `${name}-${suffix(b, 9)}`;
  const replicaSets = [current];
  const pods: FixturePod[] = [];
  const rollout = options.rolloutAtDay !== undefined ? options.rolloutAtDay * DAY + 10 * HOUR : undefined;
  if (rollout !== undefined) {
    const previous = `${name}-${suffix(b, 9)}`;
    replicaSets.unshift(previous);
    for (let i = 0; i < replicas; i++) {
      const owner = { kind: 'ReplicaSet' as const, name: previous };
      pods.push(pod(b, `${previous}-${suffix(b, 5)}`, owner, plans, NODES[i % 3]!, BEFORE_HISTORY, rollout));
    }
  }
  for (let i = 0; i < replicas; i++) {
    const owner = { kind: 'ReplicaSet' as const, name: current };
    pods.push(
      pod(b, `${current}-${suffix(b, 5)}`, owner, plans, NODES[(i + 1) % 3]!, rollout ?? BEFORE_HISTORY),
    );
  }
  if (options.oomKilledAtDay !== undefined) {
    const oomKilledAtSecond = options.oomKilledAtDay * DAY + 15 * HOUR;
    const victim = pods[pods.length - 1]!;
    victim.oomKilledAtSecond = { [plans[0]!.spec.name]: oomKilledAtSecond };
  }
  return {
    kind: 'Deployment',
    namespace,
    name,
    labels: { app: name, 'app.kubernetes.io/part-of': 'shop', environment: namespace, ...options.labels },
    annotations: { 'shop.example.com/owner': ownerTeam(name) },
    replicas,
    replicaSets,
    containers: plans.map((p) => p.spec),
    pods,
  };
}

function statefulSet(b: Builder, namespace: string, name: string, plans: ContainerPlan[]): FixtureWorkload {
  const owner = { kind: 'StatefulSet' as const, name };
  return {
    kind: 'StatefulSet',
    namespace,
    name,
    labels: { app: name, 'app.kubernetes.io/part-of': 'shop', environment: namespace },
    annotations: { 'shop.example.com/owner': ownerTeam(name) },
    replicas: 1,
    containers: plans.map((p) => p.spec),
    pods: [pod(b, `${name}-0`, owner, plans, NODES[0]!, BEFORE_HISTORY)],
  };
}

/** The labels and annotations Helm puts on what a release installs. */
function helmRelease(chart: string, namespace: string, version: string): WorkloadMetadata {
  return {
    labels: {
      'app.kubernetes.io/name': chart,
      'app.kubernetes.io/instance': chart,
      'app.kubernetes.io/managed-by': 'Helm',
      'helm.sh/chart': `${chart}-${version}`,
    },
    annotations: { 'meta.helm.sh/release-name': chart, 'meta.helm.sh/release-namespace': namespace },
  };
}

interface WorkloadMetadata {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

function daemonSet(
  b: Builder,
  namespace: string,
  name: string,
  metadata: WorkloadMetadata,
  plans: ContainerPlan[],
): FixtureWorkload {
  const owner = { kind: 'DaemonSet' as const, name };
  return {
    kind: 'DaemonSet',
    namespace,
    name,
    labels: { app: name, ...metadata.labels },
    ...(metadata.annotations ? { annotations: metadata.annotations } : {}),
    containers: plans.map((p) => p.spec),
    pods: NODES.map((node) => pod(b, `${name}-${suffix(b, 5)}`, owner, plans, node, BEFORE_HISTORY)),
  };
}

/** One Job a night at `hourUtc`, running for `minutes`. */
function cronJob(
  b: Builder,
  namespace: string,
  name: string,
  hourUtc: number,
  minutes: number,
  plans: ContainerPlan[],
): FixtureWorkload {
  const jobs: string[] = [];
  const pods: FixturePod[] = [];
  // From the midnight before the history starts: a run after the start on that first day counts too, so
  // that the history holds one run a night for every one of its 14 nights, whatever the hour now.
  const firstMidnight = Math.floor(b.historyStart / DAY) * DAY - b.historyStart;
  for (let midnight = firstMidnight; midnight + hourUtc * HOUR < b.historySeconds; midnight += DAY) {
    const start = midnight + hourUtc * HOUR;
    if (start < 0) continue;
    const end = Math.min(start + minutes * 60, b.historySeconds);
    // CronJobs name their Jobs after the scheduled time in minutes since the epoch.
    const job = `${name}-${Math.floor((b.historyStart + start) / 60)}`;
    jobs.push(job);
    pods.push(pod(b, `${job}-${suffix(b, 5)}`, { kind: 'Job', name: job }, plans, NODES[1]!, start, end));
  }
  return {
    kind: 'CronJob',
    namespace,
    name,
    labels: { app: name, 'app.kubernetes.io/part-of': 'shop' },
    containers: plans.map((p) => p.spec),
    jobs,
    pods,
  };
}

/**
 * The series behind the risk signals, added after everything else so that the seeded random numbers, and so
 * every usage number and recommendation, stay what they were. Every container gets kube-state-metrics'
 * restart counter (as in a real cluster); a few get trouble.
 */
function addRiskSignals(workloads: FixtureWorkload[]): void {
  for (const workload of workloads)
    for (const pod of workload.pods)
      pod.restartsAtSecond = Object.fromEntries(workload.containers.map((c) => [c.name, []]));
  const find = (name: string) => workloads.find((w) => w.namespace === 'prod' && w.name === name)!;

  // payments-worker asks for 100m and wants about 420m: a CPU quota that small throttles most periods
  // (the busier it is, the more), which is how the fixture derives its throttled share from its usage.
  for (const pod of find('payments-worker').pods) {
    const usage = pod.usage.worker!.cpuCores;
    pod.throttledShare = {
      worker: usage.map(({ fromSecond, value }) => ({
        fromSecond,
        value: Math.min(0.95, Math.max(0, roundTo(1 - 0.1 / Math.max(value, 0.1), 0.01))),
      })),
    };
  }

  // The model server's OOM kill on day 11 was the first of four restarts (the last reason stays OOMKilled).
  const victim = find('recommendation-engine').pods.find((p) => p.oomKilledAtSecond)!;
  const killedAt = victim.oomKilledAtSecond!['model-server']!;
  victim.restartsAtSecond = {
    'model-server': [killedAt, killedAt + 40 * 60, 12 * DAY + 4 * HOUR, 13 * DAY + 9 * HOUR],
  };
}

function ownerTeam(name: string): string {
  if (name.startsWith('payments') || name.startsWith('checkout')) return 'team-payments';
  if (name === 'postgres') return 'team-data';
  return 'team-storefront';
}
