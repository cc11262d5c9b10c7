import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { parseChangeRequest } from '../../../src/core/changes/change-request.js';
import { DEFAULT_PRICES } from '../../../src/core/changes/cost.js';
import { applyPlan, PlanNotApplicableError, type ApplyEvent } from '../../../src/core/changes/executor.js';
import { buildChangePlan } from '../../../src/core/changes/plan-builder.js';
import { DEFAULT_SAFETY_RULES } from '../../../src/core/changes/safety-rules.js';
import {
  incompleteApplies,
  SnapshotStore,
  type ApplySnapshot,
} from '../../../src/core/changes/snapshot-store.js';
import { WorkloadApi } from '../../../src/core/changes/workload-api.js';
import { checkQuantity } from '../../../src/core/kube/quantity.js';
import { startChangeTestEnvironment, type ChangeTestEnvironment } from './change-test-cluster.js';

let env: ChangeTestEnvironment;
let store: SnapshotStore;
beforeEach(async () => {
  env = await startChangeTestEnvironment();
  store = new SnapshotStore(join(env.dir, 'snapshots'));
});
afterEach(async () => {
  await env?.stop();
});

const options = { safety: DEFAULT_SAFETY_RULES, prices: DEFAULT_PRICES };

function deploymentChange(names: string[], cpu = '200m', memory = '192Mi') {
  return parseChangeRequest({
    workloads: names.map((name) => ({
      kind: 'Deployment',
      namespace: 'shop',
      name,
      containers: [
        { container: 'app', source: 'recommendation', requests: { cpu, memory }, limits: { memory } },
      ],
    })),
  });
}

type StoredContainer = {
  name: string;
  resources: { requests?: Record<string, string>; limits?: Record<string, string> };
};
function storedContainers(kind: string, name: string, namespace = 'shop'): StoredContainer[] {
  const object = env.sim.store.get(kind, namespace, name) as unknown as {
    spec: { template: { spec: { containers: StoredContainer[] } } };
  };
  return object.spec.template.spec.containers;
}
function appResources(name: string) {
  return storedContainers('Deployment', name).find((c) => c.name === 'app')!.resources;
}
const value = (q: string | undefined) =>
  q === undefined ? undefined : (checkQuantity(q) as { value: number }).value;
function assertOriginal(name: string) {
  const r = appResources(name);
  assert.equal(value(r.requests?.cpu), 0.25, `${name} cpu request`);
  assert.equal(value(r.requests?.memory), 256 * 1024 ** 2, `${name} memory request`);
  assert.equal(value(r.limits?.memory), 256 * 1024 ** 2, `${name} memory limit`);
}
const realPatches = () =>
  env.sim.requests.filter((r) => r.method === 'PATCH' && r.query.dryRun === undefined);

describe('applyPlan', () => {
  test('applies every object, with the resourceVersion precondition, after writing the snapshot', async () => {
    const plan = await buildChangePlan(env.kube, deploymentChange(['w1', 'w2']), options);
    assert.deepEqual(plan.blocks, []);
    const seen: Array<{ event: ApplyEvent; snapshot: ApplySnapshot; patchesSoFar: number }> = [];
    const result = await applyPlan(env.kube, plan, {
      snapshots: store,
      audit: async (event) => {
        seen.push({
          event,
          snapshot: await store.load(event.rollbackId),
          patchesSoFar: realPatches().length,
        });
      },
    });
    assert.equal(result.status, 'applied');
    assert.deepEqual(
      result.objects.map((o) => o.state),
      ['applied', 'applied'],
    );
    for (const name of ['w1', 'w2']) {
      const r = appResources(name);
      assert.equal(r.requests?.cpu, '200m');
      assert.equal(r.limits?.memory, '192Mi');
    }
    // The snapshot is on disk before the first real PATCH, and updated after each step.
    const first = seen[0]!;
    assert.equal(first.event.type, 'snapshot-written');
    assert.equal(first.patchesSoFar, 0);
    assert.deepEqual(
      first.snapshot.objects.map((o) => o.state),
      ['pending', 'pending'],
    );
    assert.deepEqual(first.snapshot.objects[0]?.containers[0]?.previous, {
      requests: { cpu: '250m', memory: '256Mi' },
      limits: { memory: '256Mi' },
    });
    assert.deepEqual(
      seen.map((s) => s.event.type),
      ['snapshot-written', 'object-applied', 'object-applied', 'apply-finished'],
    );
    assert.deepEqual(
      seen[1]!.snapshot.objects.map((o) => o.state),
      ['applied', 'pending'],
    );
    assert.equal(seen[1]!.patchesSoFar, 1);
    const final = await store.load(result.rollbackId);
    assert.equal(final.status, 'applied');
    assert.equal(final.planHash, plan.hash);
    assert.equal(final.objects[0]?.resourceVersionWritten, result.objects[0]?.resourceVersionWritten);
    // Every real patch carried the precondition.
    for (const r of realPatches()) assert.match(r.body, /"resourceVersion":"\d+"/);
    assert.equal(statSync(store.directory).mode & 0o777, 0o700);
    assert.equal(statSync(join(store.directory, `${result.rollbackId}.json`)).mode & 0o777, 0o600);
    assert.deepEqual(await incompleteApplies(store), []);
  });

  test('an injected 500 on the 3rd of 5 workloads restores the first two and reports each object', async () => {
    const plan = await buildChangePlan(env.kube, deploymentChange(['w1', 'w2', 'w3', 'w4', 'w5']), options);
    env.sim.faults.add({ method: 'PATCH', path: /\/deployments\/w[1-5]$/, status: 500, after: 2, times: 1 });
    const result = await applyPlan(env.kube, plan, { snapshots: store });
    assert.equal(result.status, 'failed-restored');
    assert.deepEqual(
      result.objects.map((o) => [o.target.name, o.state]),
      [
        ['w1', 'restored'],
        ['w2', 'restored'],
        ['w3', 'failed'],
        ['w4', 'pending'],
        ['w5', 'pending'],
      ],
    );
    assert.match(result.objects[2]?.error ?? '', /500/);
    assert.match(result.objects[3]?.error ?? '', /not attempted: Deployment shop\/w3 failed first/);
    for (const name of ['w1', 'w2', 'w3', 'w4', 'w5']) assertOriginal(name);
    // The restores were conditioned on the versions read back (ours: nothing else wrote in between).
    const restores = realPatches().slice(3);
    assert.equal(restores.length, 2);
    assert.ok(
      restores[0]!.path.endsWith('/w2') &&
        restores[0]!.body.includes(`"${result.objects[1]?.resourceVersionWritten}"`),
    );
    const snapshot = await store.load(result.rollbackId);
    assert.equal(snapshot.status, 'failed-restored');
  });

  test('a restore after a failed apply is not stopped by the controller writing status in between', async () => {
    const plan = await buildChangePlan(env.kube, deploymentChange(['w1', 'w2']), options);
    // Right after our write to w1, the Deployment controller records observedGeneration (a new resourceVersion).
    let statusWrites = 0;
    const stop = env.sim.store.onChange((change) => {
      const meta = change.object.metadata;
      if (statusWrites > 0 || change.type !== 'MODIFIED' || meta.name !== 'w1') return;
      statusWrites++;
      env.sim.store.put({ ...change.object, status: { observedGeneration: meta.generation } });
    });
    env.sim.faults.add({ method: 'PATCH', path: /\/deployments\/w2$/, status: 500, times: 1 });
    try {
      const result = await applyPlan(env.kube, plan, { snapshots: store });
      assert.equal(statusWrites, 1);
      assert.equal(result.status, 'failed-restored');
      assert.equal(result.objects[0]?.state, 'restored');
      assertOriginal('w1');
    } finally {
      stop();
    }
  });

  test('a restore after a failed apply refuses to overwrite a spec change made in between', async () => {
    const plan = await buildChangePlan(env.kube, deploymentChange(['w1', 'w2']), options);
    let scaled = false;
    const stop = env.sim.store.onChange((change) => {
      if (scaled || change.type !== 'MODIFIED' || change.object.metadata.name !== 'w1') return;
      scaled = true;
      const object = change.object as typeof change.object & { spec: { replicas?: number } };
      env.sim.store.put({
        ...object,
        metadata: { ...object.metadata, generation: (object.metadata.generation ?? 1) + 1 },
        spec: { ...object.spec, replicas: 7 },
      });
    });
    env.sim.faults.add({ method: 'PATCH', path: /\/deployments\/w2$/, status: 500, times: 1 });
    try {
      const result = await applyPlan(env.kube, plan, { snapshots: store });
      assert.equal(result.status, 'failed-partially-restored');
      assert.equal(result.objects[0]?.state, 'applied');
      assert.match(result.objects[0]?.restoreError ?? '', /not restored: its spec changed since our apply/);
      assert.equal(appResources('w1').requests?.cpu, '200m');
    } finally {
      stop();
    }
  });

  test('a failed restore is reported as failed-partially-restored', async () => {
    const plan = await buildChangePlan(env.kube, deploymentChange(['w1', 'w2', 'w3']), options);
    env.sim.faults.add({ method: 'PATCH', path: /\/deployments\/w3$/, status: 500, times: 1 });
    env.sim.faults.add({ method: 'PATCH', path: /\/deployments\/w2$/, status: 503, after: 1, times: 1 });
    const result = await applyPlan(env.kube, plan, { snapshots: store });
    assert.equal(result.status, 'failed-partially-restored');
    assert.deepEqual(
      result.objects.map((o) => o.state),
      ['restored', 'applied', 'failed'],
    );
    assert.match(result.objects[1]?.restoreError ?? '', /503/);
    assertOriginal('w1');
    assert.equal(appResources('w2').requests?.cpu, '200m');
  });

  test('a concurrent change gives 409 and the objects already changed are restored', async () => {
    const plan = await buildChangePlan(env.kube, deploymentChange(['w1', 'w2']), options);
    // Someone scales w2 between the approval and the apply.
    await new WorkloadApi(env.kube).patch(
      { kind: 'Deployment', namespace: 'shop', name: 'w2' },
      { type: 'strategic-merge', body: { spec: { replicas: 5 } } },
      false,
    );
    const result = await applyPlan(env.kube, plan, { snapshots: store });
    assert.equal(result.status, 'failed-restored');
    assert.equal(result.objects[1]?.state, 'failed');
    assert.match(result.objects[1]?.error ?? '', /409|modified/);
    assertOriginal('w1');
    assertOriginal('w2');
    assert.equal(
      (env.sim.store.get('Deployment', 'shop', 'w2') as unknown as { spec: { replicas: number } }).spec
        .replicas,
      5,
    );
  });

  test('a 403 on the second object (RBAC only for one namespace) restores the first', async () => {
    const plan = await buildChangePlan(
      env.kube,
      parseChangeRequest({
        workloads: [
          {
            kind: 'Deployment',
            namespace: 'shop',
            name: 'w1',
            containers: [{ container: 'app', source: 'agent', requests: { cpu: '200m' } }],
          },
          {
            kind: 'Deployment',
            namespace: 'prod',
            name: 'api',
            containers: [{ container: 'app', source: 'agent', requests: { cpu: '200m' } }],
          },
        ],
      }),
      options,
    );
    assert.deepEqual(plan.blocks, []);
    env.sim.setRbac([
      { verbs: ['get', 'list'], apiGroups: ['*'], resources: ['*'] },
      { verbs: ['patch'], apiGroups: ['apps'], resources: ['deployments'], namespaces: ['shop'] },
    ]);
    const result = await applyPlan(env.kube, plan, { snapshots: store });
    assert.equal(result.status, 'failed-restored');
    assert.match(result.objects[1]?.error ?? '', /403 Forbidden/);
    assertOriginal('w1');
  });

  test('a hanging API server times out and is restored like any failure', async () => {
    const plan = await buildChangePlan(env.kube, deploymentChange(['w1', 'w2']), options);
    env.sim.faults.add({ method: 'PATCH', path: /\/deployments\/w2$/, hang: true, times: 1 });
    const result = await applyPlan(env.kube, plan, { snapshots: store, timeoutMs: 500 });
    assert.equal(result.status, 'failed-restored');
    assert.match(result.objects[1]?.error ?? '', /did not answer within 0.5 s/);
    assertOriginal('w1');
  });

  test('a Rollout is restored with a JSON patch, removing the fields the apply added', async () => {
    const plan = await buildChangePlan(
      env.kube,
      parseChangeRequest({
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
          {
            kind: 'Deployment',
            namespace: 'shop',
            name: 'w1',
            containers: [{ container: 'app', source: 'recommendation', requests: { cpu: '200m' } }],
          },
        ],
      }),
      options,
    );
    assert.deepEqual(plan.blocks, []);
    env.sim.faults.add({ method: 'PATCH', path: /\/deployments\/w1$/, status: 500, times: 1 });
    const before = JSON.stringify(
      (env.sim.store.get('Rollout', 'shop', 'canary') as unknown as { spec: { template: unknown } }).spec
        .template,
    );
    const result = await applyPlan(env.kube, plan, { snapshots: store });
    assert.equal(result.status, 'failed-restored');
    const rollout = env.sim.store.get('Rollout', 'shop', 'canary') as unknown as {
      spec: { template: { spec: { containers: StoredContainer[] } } };
    };
    const proxy = rollout.spec.template.spec.containers[1]!;
    assert.deepEqual(proxy.resources, { requests: { cpu: '10m' }, limits: {} });
    assert.deepEqual(rollout.spec.template.spec.containers[0], JSON.parse(before).spec.containers[0]);
  });

  test('refuses a plan with blocks or a changed patch', async () => {
    const blocked = await buildChangePlan(env.kube, deploymentChange(['w1'], '200m', '192Mi'), {
      ...options,
      observed: new Map([['shop/Deployment/w1/app', { memoryPeakBytes: 250 * 1024 ** 2 }]]),
    });
    await assert.rejects(applyPlan(env.kube, blocked, { snapshots: store }), PlanNotApplicableError);
    const plan = await buildChangePlan(env.kube, deploymentChange(['w1']), options);
    const tampered = structuredClone(plan);
    (
      tampered.workloads[0]!.patch!.body as { metadata: { resourceVersion: string } }
    ).metadata.resourceVersion = '1';
    await assert.rejects(applyPlan(env.kube, tampered, { snapshots: store }), /does not match its hash/);
    assert.equal(realPatches().length, 0);
  });
});

describe('auditing', () => {
  test('an audit failure before the first write stops the apply', async () => {
    const plan = await buildChangePlan(env.kube, deploymentChange(['w1']), options);
    await assert.rejects(
      applyPlan(env.kube, plan, {
        snapshots: store,
        audit: async () => {
          throw new Error('disk full');
        },
      }),
      /disk full/,
    );
    assert.equal(realPatches().length, 0);
    assertOriginal('w1');
  });

  test('audit failures after the writes began are reported, not fatal', async () => {
    const plan = await buildChangePlan(env.kube, deploymentChange(['w1']), options);
    const result = await applyPlan(env.kube, plan, {
      snapshots: store,
      audit: async (event) => {
        if (event.type === 'object-applied') throw new Error('log unavailable');
      },
    });
    assert.equal(result.status, 'applied');
    assert.deepEqual(result.auditErrors, ['object-applied: log unavailable']);
  });
});

describe('incompleteApplies', () => {
  test('lists snapshots a crash left in progress with pending or applied objects', async () => {
    const plan = await buildChangePlan(env.kube, deploymentChange(['w1']), options);
    const done = await applyPlan(env.kube, plan, { snapshots: store });
    const crashed: ApplySnapshot = {
      ...(await store.load(done.rollbackId)),
      rollbackId: 'crashedcrashedcrashed',
      status: 'in-progress',
    };
    crashed.objects = crashed.objects.map((o) => ({ ...o, state: 'applied' }));
    await store.save(crashed);
    const listed = await incompleteApplies(store);
    assert.deepEqual(
      listed.map((s) => s.rollbackId),
      ['crashedcrashedcrashed'],
    );
    assert.ok(JSON.parse(readFileSync(join(store.directory, 'crashedcrashedcrashed.json'), 'utf8')));
  });
});
