import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  ChangeRequestError,
  parseChangeRequest,
  type ChangeRequest,
} from '../../../src/core/changes/change-request.js';
import { DEFAULT_PRICES, HOURS_PER_MONTH } from '../../../src/core/changes/cost.js';
import { planHash } from '../../../src/core/changes/plan.js';
import {
  buildChangePlan,
  observedKey,
  type BuildPlanOptions,
} from '../../../src/core/changes/plan-builder.js';
import { DEFAULT_SAFETY_RULES } from '../../../src/core/changes/safety-rules.js';
import { startChangeTestEnvironment, type ChangeTestEnvironment } from './change-test-cluster.js';

let env: ChangeTestEnvironment;
before(async () => {
  env = await startChangeTestEnvironment();
});
after(async () => {
  await env?.stop();
});

const options: BuildPlanOptions = { safety: DEFAULT_SAFETY_RULES, prices: DEFAULT_PRICES };
const plan = (request: unknown, extra: Partial<BuildPlanOptions> = {}) =>
  buildChangePlan(env.kube, parseChangeRequest(request), { ...options, ...extra });

function webAppChange(change: Record<string, unknown>, source = 'recommendation'): ChangeRequest {
  return parseChangeRequest({
    workloads: [
      {
        kind: 'Deployment',
        namespace: 'shop',
        name: 'web',
        containers: [{ container: 'app', source, ...change }],
      },
    ],
  });
}

describe('plan for a Deployment', () => {
  test("changes one container's requests, leaves the other container untouched, and removes the CPU limit", async () => {
    const before = JSON.stringify(env.sim.store.get('Deployment', 'shop', 'web'));
    const p = await buildChangePlan(
      env.kube,
      webAppChange({ requests: { cpu: '300m', memory: '400Mi' }, limits: { cpu: null, memory: '400Mi' } }),
      options,
    );
    assert.deepEqual(p.blocks, []);
    const [w] = p.workloads;
    assert.ok(w);
    assert.equal(w.dryRun.ok, true);
    assert.equal(w.patch?.type, 'strategic-merge');
    const body = w.patch?.body as {
      metadata: { resourceVersion: string };
      spec: { template: { spec: { containers: unknown[] } } };
    };
    assert.equal(body.metadata.resourceVersion, w.resourceVersion);
    assert.deepEqual(body.spec.template.spec.containers, [
      {
        name: 'app',
        resources: { requests: { cpu: '300m', memory: '400Mi' }, limits: { cpu: null, memory: '400Mi' } },
      },
    ]);
    // A dry-run stores nothing.
    assert.equal(JSON.stringify(env.sim.store.get('Deployment', 'shop', 'web')), before);
    const dryRuns = env.sim.requests.filter(
      (r) => r.method === 'PATCH' && r.path.endsWith('/deployments/web'),
    );
    assert.ok(dryRuns.every((r) => r.query.dryRun === 'All'));

    // The diff shows our change only: no managedFields, status, resourceVersion or generation noise.
    assert.match(w.diff, /^--- Deployment shop\/web \(live\)\n\+\+\+ Deployment shop\/web \(dry-run\)\n@@ /);
    const changed = w.diff.split('\n').filter((l) => /^[-+][^-+]/.test(l));
    assert.deepEqual(
      changed.sort(),
      [
        '-              cpu: "1"',
        '-              cpu: 500m',
        '-              memory: 512Mi',
        '-              memory: 512Mi',
        '+              cpu: 300m',
        '+              memory: 400Mi',
        '+              memory: 400Mi',
      ].sort(),
    );
    for (const noise of ['managedFields', 'resourceVersion', 'generation', 'status:', 'readyReplicas'])
      assert.ok(!w.diff.includes(noise), `diff mentions ${noise}`);
    assert.ok(!w.diff.includes('sidecar') || !/^[-+].*sidecar/m.test(w.diff));

    assert.deepEqual(w.containers[0]?.before, {
      requests: { cpu: '500m', memory: '512Mi' },
      limits: { cpu: '1', memory: '512Mi' },
    });
    assert.deepEqual(w.containers[0]?.after, {
      requests: { cpu: '300m', memory: '400Mi' },
      limits: { memory: '400Mi' },
    });
    assert.deepEqual(w.impact, {
      pods: 2,
      restartRequired: true,
      hpa: {
        min_replicas: 2,
        max_replicas: 10,
        current_replicas: 2,
        desired_replicas: 2,
        target_cpu_utilization_percentage: 70,
        target_memory_utilization_percentage: null,
      },
    });
    assert.ok(w.risk.reasons.some((r) => r.text.includes('HPA scales this workload on cpu')));
    assert.equal(p.hash, planHash(p));
    assert.match(p.id, /^[A-Za-z0-9_-]{22}$/);
    assert.equal(p.cluster.context, 'changes-test');
  });

  test('cost delta: Σ (Δcpu × $/vCPU-h + ΔGiB × $/GiB-h) × 730 h × replicas', async () => {
    const p = await buildChangePlan(
      env.kube,
      webAppChange({ requests: { cpu: '300m', memory: '256Mi' } }),
      options,
    );
    // Δcpu = -0.2 cores, Δmemory = -256Mi = -0.25 GiB, 2 replicas.
    const expected = (-0.2 * 0.031611 + -0.25 * 0.004237) * HOURS_PER_MONTH * 2;
    assert.ok(Math.abs(p.monthlyCostDelta - expected) < 1e-9, `${p.monthlyCostDelta} vs ${expected}`);
    assert.ok(Math.abs(expected - -10.7772) < 1e-3);
    assert.equal(p.workloads[0]?.cost.replicas, 2);
  });

  test('agent-supplied values are marked', async () => {
    const p = await buildChangePlan(env.kube, webAppChange({ requests: { cpu: '400m' } }, 'agent'), options);
    const [c] = p.workloads[0]!.containers;
    assert.equal(c?.source, 'agent');
    assert.deepEqual(c?.agentSupplied, ['requests.cpu']);
    assert.ok(
      p.workloads[0]!.risk.reasons.some(
        (r) => r.text.includes('chosen by the agent') && r.text.includes('app requests.cpu'),
      ),
    );
  });

  test('an unknown container is refused before anything is sent', async () => {
    const patchesBefore = env.sim.requests.filter((r) => r.method === 'PATCH').length;
    const p = await plan({
      workloads: [
        {
          kind: 'Deployment',
          namespace: 'shop',
          name: 'web',
          containers: [{ container: 'ap', source: 'agent', requests: { cpu: '1' } }],
        },
      ],
    });
    assert.equal(p.workloads[0]?.patch, null);
    assert.match(
      p.blocks[0] ?? '',
      /container "ap" does not exist in Deployment shop\/web \(containers: app, sidecar\)/,
    );
    assert.equal(env.sim.requests.filter((r) => r.method === 'PATCH').length, patchesBefore);
  });

  test('invalid quantities are refused with messages before anything is sent', async () => {
    const sent = env.sim.requests.length;
    const bad = {
      workloads: [
        {
          kind: 'Deployment',
          namespace: 'shop',
          name: 'web',
          containers: [{ container: 'app', source: 'agent', requests: { cpu: 'abc', memory: '-1' } }],
        },
      ],
    } as unknown as ChangeRequest;
    await assert.rejects(
      buildChangePlan(env.kube, bad, options),
      (e: ChangeRequestError) =>
        e instanceof ChangeRequestError &&
        e.problems[0] ===
          'workloads[0].containers[0].requests.cpu: "abc" is not a Kubernetes quantity (examples: 250m, 0.5, 512Mi, 1Gi)' &&
        e.problems[1] ===
          'workloads[0].containers[0].requests.memory: "-1" is negative; resources must be zero or more',
    );
    assert.equal(env.sim.requests.length, sent);
  });

  test('limit below request (with the live request kept) is a block, also from the dry-run', async () => {
    const p = await buildChangePlan(env.kube, webAppChange({ limits: { cpu: '200m' } }), options);
    assert.ok(
      p.blocks.some((b) => b.includes('cpu limit 200m is below the cpu request 500m')),
      p.blocks.join('\n'),
    );
    assert.equal(p.workloads[0]?.dryRun.ok, false);
    assert.ok(
      p.blocks.some(
        (b) => b.includes('refused the dry-run') && b.includes('must be less than or equal to cpu limit'),
      ),
    );
  });

  test('a missing workload and a forbidden one become blocks, not exceptions', async () => {
    const p = await plan({
      workloads: [
        {
          kind: 'Deployment',
          namespace: 'shop',
          name: 'nope',
          containers: [{ container: 'app', source: 'agent', requests: { cpu: '1' } }],
        },
      ],
    });
    assert.match(p.blocks[0] ?? '', /Not found/);
    env.sim.setRbac([{ verbs: ['get', 'list'], apiGroups: ['*'], resources: ['*'] }]);
    try {
      const q = await buildChangePlan(env.kube, webAppChange({ requests: { cpu: '400m' } }), options);
      assert.equal(q.workloads[0]?.dryRun.ok, false);
      assert.equal((q.workloads[0]?.dryRun as { status?: number }).status, 403);
      assert.ok(
        q.blocks.some((b) => b.includes('403') && b.includes('needs RBAC permission to patch this object')),
      );
    } finally {
      env.sim.setRbac(undefined);
    }
  });
});

describe('safety rules', () => {
  test('a workload Argo CD syncs: the plan says a live change will be reverted; the rule can block it', async () => {
    const change: ChangeRequest = {
      workloads: [
        {
          kind: 'Deployment',
          namespace: 'shop',
          name: 'synced',
          containers: [{ container: 'app', source: 'recommendation', requests: { cpu: '200m' } }],
        },
      ],
    };
    const plan = await buildChangePlan(env.kube, change, options);
    assert.deepEqual(plan.workloads[0]!.managedBy, { tool: 'Argo CD', name: 'shop-apps' });
    assert.ok(
      plan.workloads[0]!.risk.reasons.some(
        (r) => r.level === 'HIGH' && r.text.includes('a live change will be reverted at the next sync'),
      ),
    );
    assert.deepEqual(plan.blocks, []);
    const strict = await buildChangePlan(env.kube, change, {
      ...options,
      safety: { ...options.safety, blockLiveChangesToManagedWorkloads: true },
    });
    assert.equal(strict.blocks.length, 1);
    assert.match(strict.blocks[0]!, /managed by Argo CD \(application shop-apps\)/);
  });

  test('a change beyond maxChangePercent is blocked; a >50% reduction is MEDIUM', async () => {
    const up = await buildChangePlan(
      env.kube,
      webAppChange({ requests: { cpu: '4' }, limits: { cpu: '4' } }),
      options,
    );
    assert.ok(
      up.blocks.some((b) => b.includes('app requests.cpu: 500m → 4 is a 700% change, above the 500% limit')),
      up.blocks.join('\n'),
    );
    const down = await buildChangePlan(env.kube, webAppChange({ requests: { cpu: '200m' } }), options);
    assert.deepEqual(down.blocks, []);
    assert.ok(
      down.workloads[0]!.risk.reasons.some((r) => r.level === 'MEDIUM' && r.text.includes('drops by 60%')),
    );
    assert.equal(down.risk.level, 'MEDIUM');
  });

  test('memory below the observed peak and a CPU limit below the observed p95 are blocked', async () => {
    const observed = new Map([
      [
        observedKey('shop', 'Deployment', 'web', 'app'),
        { memoryPeakBytes: 450 * 1024 ** 2, cpuP95Cores: 0.6 },
      ],
    ]);
    const p = await buildChangePlan(
      env.kube,
      webAppChange({ requests: { memory: '400Mi' }, limits: { memory: '400Mi', cpu: '500m' } }),
      { ...options, observed },
    );
    assert.ok(p.blocks.some((b) => b.includes('memory request 400Mi is below the observed peak of 450Mi')));
    assert.ok(p.blocks.some((b) => b.includes('memory limit 400Mi is below the observed peak of 450Mi')));
    assert.ok(p.blocks.some((b) => b.includes('CPU limit 500m is below the observed p95 usage of 600m')));
  });

  test('single replica with restart is MEDIUM; critical name is HIGH; production namespace is HIGH; both CRITICAL', async () => {
    const change = (kind: string, namespace: string, name: string) => ({
      workloads: [
        {
          kind,
          namespace,
          name,
          containers: [{ container: 'app', source: 'recommendation', requests: { cpu: '200m' } }],
        },
      ],
    });
    const single = await plan(change('Deployment', 'shop', 'single'));
    assert.equal(single.risk.level, 'MEDIUM');
    assert.ok(
      single.workloads[0]!.risk.reasons.some(
        (r) => r.text === 'single replica: the only pod restarts: brief downtime',
      ),
    );

    const postgres = await plan({
      workloads: [
        {
          kind: 'StatefulSet',
          namespace: 'shop',
          name: 'postgres',
          containers: [{ container: 'app', source: 'recommendation', requests: { cpu: '800m' } }],
        },
      ],
    });
    assert.equal(postgres.risk.level, 'HIGH');
    assert.ok(postgres.risk.reasons.some((r) => r.text.includes('looks critical (name matches "postgres")')));

    const prodApi = await plan(change('Deployment', 'prod', 'api'));
    assert.equal(prodApi.risk.level, 'HIGH');
    assert.ok(prodApi.risk.reasons.some((r) => r.text.includes('namespace prod looks like production')));

    const redis = await plan(change('Deployment', 'prod', 'redis-cache'));
    assert.equal(redis.risk.level, 'CRITICAL');
    assert.ok(
      redis.risk.reasons.some((r) => r.text.includes('a critical workload in a production namespace')),
    );
  });
});

describe('other kinds', () => {
  test('a Rollout gets a JSON patch with name tests and the resourceVersion precondition', async () => {
    const p = await plan({
      workloads: [
        {
          kind: 'Rollout',
          namespace: 'shop',
          name: 'canary',
          containers: [
            {
              container: 'proxy',
              source: 'recommendation',
              requests: { cpu: '20m', memory: '32Mi' },
              limits: { memory: '32Mi' },
            },
          ],
        },
      ],
    });
    assert.deepEqual(p.blocks, []);
    const w = p.workloads[0]!;
    assert.equal(w.patch?.type, 'json-patch');
    assert.deepEqual(w.patch?.body, [
      { op: 'replace', path: '/metadata/resourceVersion', value: w.resourceVersion },
      { op: 'test', path: '/spec/template/spec/containers/1/name', value: 'proxy' },
      { op: 'replace', path: '/spec/template/spec/containers/1/resources/requests/cpu', value: '20m' },
      { op: 'add', path: '/spec/template/spec/containers/1/resources/requests/memory', value: '32Mi' },
      { op: 'add', path: '/spec/template/spec/containers/1/resources/limits', value: {} },
      { op: 'add', path: '/spec/template/spec/containers/1/resources/limits/memory', value: '32Mi' },
    ]);
    assert.equal(w.dryRun.ok, true);
    assert.deepEqual(w.impact.pods, 2);
    const sent = env.sim.requests.filter((r) => r.method === 'PATCH' && r.path.endsWith('/rollouts/canary'));
    assert.ok(sent.every((r) => r.headers['content-type'] === 'application/json-patch+json'));
    assert.match(w.diff, /\+ +memory: 32Mi/);
  });

  test('a CronJob is patched under spec.jobTemplate.spec.template.spec and affects the next run only', async () => {
    const p = await plan({
      workloads: [
        {
          kind: 'CronJob',
          namespace: 'batch',
          name: 'nightly-report',
          containers: [
            { container: 'report', source: 'recommendation', requests: { cpu: '600m', memory: '512Mi' } },
          ],
        },
      ],
    });
    assert.deepEqual(p.blocks, []);
    const w = p.workloads[0]!;
    const body = w.patch?.body as {
      spec: { jobTemplate: { spec: { template: { spec: { containers: unknown[] } } } } };
    };
    assert.deepEqual(body.spec.jobTemplate.spec.template.spec.containers, [
      { name: 'report', resources: { requests: { cpu: '600m', memory: '512Mi' } } },
    ]);
    assert.deepEqual(w.impact, { pods: 'next run', restartRequired: false, hpa: null });
    assert.equal(w.cost.monthlyDelta, 0);
    assert.equal(w.dryRun.ok, true);
  });

  test('a DaemonSet counts its scheduled pods', async () => {
    const p = await plan({
      workloads: [
        {
          kind: 'DaemonSet',
          namespace: 'monitoring',
          name: 'log-agent',
          containers: [{ container: 'agent', source: 'recommendation', requests: { cpu: '50m' } }],
        },
      ],
    });
    assert.equal(p.workloads[0]?.impact.pods, 3);
    assert.ok(Math.abs(p.monthlyCostDelta - -0.05 * 0.031611 * 730 * 3) < 1e-9);
  });
});
