// The builders of the demo cluster's workloads (demo-cluster.ts): containers with their typical usage, and
// Deployments, StatefulSets, DaemonSets and CronJobs with the pods and the 14 days of usage a real cluster would
// have shown. Everything draws from one seeded random source, in the order buildDemoCluster calls them, so
// that a seed always gives the same cluster.

import type { ContainerSpec, ContainerUsage, FixturePod, FixtureWorkload } from './cluster-model.js';
import { dailyUsageProfile, roundTo, type Random } from './usage-profile.js';

export const MIB = 1024 * 1024;
export const HOUR = 3600;
export const DAY = 24 * HOUR;

export const NODES = ['demo-node-a', 'demo-node-b', 'demo-node-c'];

/** What a container typically uses: cores and MiB, each with its daily swing. */
export interface Usage {
  cpu: number;
  memoryMi: number;
  cpuSwing?: number;
  memorySwing?: number;
}

export interface ContainerPlan {
  spec: ContainerSpec;
  usage: Usage;
}

export interface Builder {
  random: Random;
  historyStart: number;
  historySeconds: number;
}

export function container(
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

export function web(cpu: string, memory: string, cpuUse: number, memoryUseMi: number): ContainerPlan {
  return container('web', { cpu, memory }, { memory }, { cpu: cpuUse, memoryMi: memoryUseMi, cpuSwing: 0.6 });
}

export function envoy(): ContainerPlan {
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

export function deployment(
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

export function statefulSet(
  b: Builder,
  namespace: string,
  name: string,
  plans: ContainerPlan[],
): FixtureWorkload {
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
export function helmRelease(chart: string, namespace: string, version: string): WorkloadMetadata {
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

export interface WorkloadMetadata {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export function daemonSet(
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
export function cronJob(
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

function ownerTeam(name: string): string {
  if (name.startsWith('payments') || name.startsWith('checkout')) return 'team-payments';
  if (name === 'postgres') return 'team-data';
  return 'team-storefront';
}
