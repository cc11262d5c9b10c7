// The verification's Prometheus part against the real Prometheus: after an in-place cut of the memory and
// CPU limits, the working set close to the new memory limit and heavy CPU throttling make the workload
// degraded, with the numbers as evidence; a pod with little throttling is evidence but not a warning.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { FixtureCluster } from '../../../src/demo/cluster-model.js';
import { parseChangeRequest } from '../../../src/core/changes/change-request.js';
import { DEFAULT_PRICES } from '../../../src/core/changes/cost.js';
import { applyPlan } from '../../../src/core/changes/executor.js';
import { buildChangePlan } from '../../../src/core/changes/plan-builder.js';
import { DEFAULT_SAFETY_RULES } from '../../../src/core/changes/safety-rules.js';
import { SnapshotStore } from '../../../src/core/changes/snapshot-store.js';
import { PrometheusClient } from '../../../src/core/prometheus/client.js';
import { verifyChange } from '../../../src/core/verify/verify-change.js';
import { fixtureObjects } from '../../../src/demo/kube-simulator/index.js';
import { startPrometheus, type RunningPrometheus } from '../../../src/demo/prometheus/prometheus-process.js';
import { startClusterUnderTest, type ClusterUnderTest } from '../../support/cluster-under-test.js';
import { writeVerificationMetrics } from '../../support/verification-metrics.js';

const MiB = 1024 * 1024;
const pods = ['api-5d4f8-aaaaa', 'api-5d4f8-bbbbb'];
const cluster: FixtureCluster = {
  name: 'verify-prometheus',
  namespaces: ['verify'],
  workloads: [
    {
      kind: 'Deployment',
      namespace: 'verify',
      name: 'api',
      labels: { app: 'api' },
      replicas: 2,
      containers: [
        { name: 'app', requests: { cpu: '200m', memory: '256Mi' }, limits: { cpu: '400m', memory: '512Mi' } },
      ],
      replicaSets: ['api-5d4f8'],
      pods: pods.map((name, i) => ({
        name,
        startSecond: 0,
        node: `node-${i + 1}`,
        owner: { kind: 'ReplicaSet' as const, name: 'api-5d4f8' },
        usage: {},
      })),
    },
  ],
  hpas: [],
  rolloutsCrd: false,
  endTime: 0,
  historySeconds: 0,
  scrapeIntervalSeconds: 30,
};

let env: ClusterUnderTest | undefined;
let prometheus: RunningPrometheus | undefined;
const now = Math.floor(Date.now() / 1000 / 30) * 30;
before(async () => {
  if (process.env.KRR_TEST_KUBECONFIG) return;
  env = await startClusterUnderTest({ kubernetesVersion: '1.35', objects: fixtureObjects(cluster) });
  const file = join(env.dir, 'cadvisor.om');
  writeVerificationMetrics(
    file,
    [
      {
        namespace: 'verify',
        pod: pods[0]!,
        container: 'app',
        workingSetBytes: 240 * MiB,
        throttledShare: 0.6,
      },
      {
        namespace: 'verify',
        pod: pods[1]!,
        container: 'app',
        workingSetBytes: 180 * MiB,
        throttledShare: 0.05,
      },
    ],
    now - 20 * 60,
    now - 60,
  );
  prometheus = await startPrometheus({ openMetricsFile: file });
});
after(async () => {
  await Promise.allSettled([env?.stop(), prometheus?.stop()]);
});

test(
  'working set near the new memory limit and heavy throttling → degraded, with the numbers',
  { timeout: 120_000 },
  async (t) => {
    if (!env || !prometheus)
      return t.skip('needs the simulator: the pods must be the ones the recorded history names');
    const target = { kind: 'Deployment' as const, namespace: 'verify', name: 'api' };
    const plan = await buildChangePlan(
      env.kube,
      parseChangeRequest({
        workloads: [
          {
            ...target,
            containers: [{ container: 'app', source: 'agent', limits: { cpu: '300m', memory: '256Mi' } }],
          },
        ],
      }),
      { safety: DEFAULT_SAFETY_RULES, prices: DEFAULT_PRICES, inPlaceResize: 'resize' },
    );
    assert.equal(plan.workloads[0]!.inPlaceResize?.offered, true, plan.workloads[0]!.inPlaceResize?.reason);
    const result = await applyPlan(env.kube, plan, {
      snapshots: new SnapshotStore(join(env.dir, 'snapshots')),
      resize: { clock: env.clock },
    });
    assert.deepEqual(
      result.resizes?.[0]?.pods.map((p) => [p.pod, p.state]),
      pods.map((p) => [p, 'resized']),
    );
    // The history covers the last 20 minutes: the verification counts from 10 minutes ago.
    const verification = verifyChange({
      kube: env.kube,
      prometheus: new PrometheusClient({ url: prometheus.url }),
      rollbackId: result.rollbackId,
      planId: plan.id,
      targets: [target],
      startedAt: (now - 10 * 60) * 1000,
      windowMs: 10 * 60_000 + 60_000,
      clock: env.clock,
    });
    await env.advance(60_000);
    const verdict = await verification;
    assert.equal(verdict.verdict, 'degraded');
    const evidence = verdict.workloads[0]!.evidence;
    const line = (kind: string, pod: string) => evidence.find((e) => e.kind === kind && e.pod === pod);
    assert.deepEqual(line('memory', pods[0]!), {
      kind: 'memory',
      severity: 'warning',
      pod: pods[0],
      container: 'app',
      message: `app in pod ${pods[0]}: memory working set peaked at 240Mi, 94% of the new limit 256Mi — close to an OOM kill`,
    });
    assert.equal(line('memory', pods[1]!)?.severity, 'info');
    assert.equal(line('throttling', pods[0]!)?.severity, 'warning');
    assert.match(line('throttling', pods[0]!)!.message, /CPU throttled in up to 60% of CFS periods/);
    assert.equal(line('throttling', pods[1]!)?.severity, 'info');
    assert.match(line('throttling', pods[1]!)!.message, /up to 5% of CFS periods/);
  },
);
