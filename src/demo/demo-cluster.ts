// The demo cluster: a small shop as a platform team would run it, with what right-sizing is about: an
// over-provisioned API, an under-provisioned worker, a web tier scaled by an HPA on CPU, a Postgres StatefulSet,
// DaemonSets on every node, nightly CronJobs, a quiet staging copy of prod, and one container that was OOMKilled.
// Some are in trouble already (risk signals): the worker is CPU-throttled, the model server keeps being OOM-killed
// and restarting, and the storefront's HPA hit its ceiling during an evening rush.
// The same model feeds the Kubernetes API simulator (objects) and Prometheus (14 days of history).
// After the click (demo-simulator.ts, which the simulator's behaviour follows): staging/checkout-api degrades after
// krr's memory cut (its kubelet OOM-kills it under 512Mi, a warm-up peak the history never saw), and
// prod/recommendation-engine's memory raise can be applied to its running pod in place (it stays Burstable).

import type { FixtureCluster, FixtureHpa, FixtureWorkload } from './cluster-model.js';
import { roundTo, mulberry32 } from './usage-profile.js';
import {
  container,
  cronJob,
  daemonSet,
  DAY,
  deployment,
  envoy,
  helmRelease,
  HOUR,
  statefulSet,
  web,
  type Builder,
} from './demo-workloads.js';

export const DEMO_CONTEXT = 'krr-mcp-demo';
export const DEMO_HISTORY_DAYS = 14;

/** krr's rate windows (75 s) need at least two samples: scrape every 30 s, as the tests do. */
const SCRAPE_SECONDS = 30;

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
    // Its model grew into its limit; the container was OOMKilled on day 11. krr raises its memory (request and
    // limit) and it stays Burstable: the demo's in-place resize (demo-simulator.ts).
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
    // The demo's verification that finds trouble: krr's memory cut (2Gi → ~340Mi) gets it OOMKilled ~45 s after
    // each start, where it loads its catalogue (demo-simulator.ts). Its pod ran since before the history.
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
