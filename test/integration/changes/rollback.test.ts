import assert from 'node:assert/strict';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { parseChangeRequest } from '../../../src/core/changes/change-request.js';
import { DEFAULT_PRICES } from '../../../src/core/changes/cost.js';
import { applyPlan } from '../../../src/core/changes/executor.js';
import { buildChangePlan } from '../../../src/core/changes/plan-builder.js';
import { buildRollbackRequest, readLiveVersions } from '../../../src/core/changes/rollback.js';
import { DEFAULT_SAFETY_RULES } from '../../../src/core/changes/safety-rules.js';
import { SnapshotStore } from '../../../src/core/changes/snapshot-store.js';
import { WorkloadApi } from '../../../src/core/changes/workload-api.js';
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

type Resources = { requests?: Record<string, string>; limits?: Record<string, string> };
function webContainers(): Record<string, Resources> {
  const object = env.sim.store.get('Deployment', 'shop', 'web') as unknown as {
    spec: { template: { spec: { containers: Array<{ name: string; resources: Resources }> } } };
  };
  return Object.fromEntries(object.spec.template.spec.containers.map((c) => [c.name, c.resources]));
}

/** Removes web/app's CPU limit and adds a CPU limit to the sidecar, which had none. */
async function applyWebChange() {
  const plan = await buildChangePlan(
    env.kube,
    parseChangeRequest({
      workloads: [
        {
          kind: 'Deployment',
          namespace: 'shop',
          name: 'web',
          containers: [
            { container: 'app', source: 'recommendation', requests: { cpu: '300m' }, limits: { cpu: null } },
            { container: 'sidecar', source: 'agent', limits: { cpu: '100m' } },
          ],
        },
      ],
    }),
    options,
  );
  assert.deepEqual(plan.blocks, []);
  const result = await applyPlan(env.kube, plan, { snapshots: store });
  assert.equal(result.status, 'applied');
  assert.deepEqual(webContainers(), {
    app: { requests: { cpu: '300m', memory: '512Mi' }, limits: { memory: '512Mi' } },
    sidecar: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '100m' } },
  });
  return store.load(result.rollbackId);
}

test('a rollback restores the exact previous values and removes the limit that did not exist', async () => {
  const snapshot = await applyWebChange();
  const rollback = buildRollbackRequest(snapshot, await readLiveVersions(env.kube, snapshot));
  assert.deepEqual(rollback.blocks, []);
  assert.deepEqual(rollback.drift, []);
  assert.deepEqual(rollback.request, {
    workloads: [
      {
        kind: 'Deployment',
        namespace: 'shop',
        name: 'web',
        expectedGeneration: snapshot.objects[0]?.generationWritten,
        containers: [
          { container: 'app', source: 'rollback', requests: { cpu: '500m' }, limits: { cpu: '1' } },
          { container: 'sidecar', source: 'rollback', limits: { cpu: null } },
        ],
      },
    ],
  });
  // The rollback goes through the same plan (and, in the product, the same approval).
  const plan = await buildChangePlan(env.kube, parseChangeRequest(rollback.request), options);
  assert.deepEqual(plan.blocks, []);
  const result = await applyPlan(env.kube, plan, { snapshots: store });
  assert.equal(result.status, 'applied');
  const after = webContainers();
  assert.deepEqual(after.app, {
    requests: { cpu: '500m', memory: '512Mi' },
    limits: { cpu: '1', memory: '512Mi' },
  });
  assert.deepEqual(after.sidecar?.requests, { cpu: '50m', memory: '64Mi' });
  assert.equal(after.sidecar?.limits?.cpu, undefined);
});

test('status and metadata writes after the apply (what controllers do all the time) are not drift', async () => {
  const snapshot = await applyWebChange();
  const web = { kind: 'Deployment' as const, namespace: 'shop', name: 'web' };
  const api = new WorkloadApi(env.kube);
  await api.patch(
    web,
    { type: 'strategic-merge', body: { metadata: { labels: { touched: 'yes' } } } },
    false,
  );
  // The Deployment controller's status write, as the simulator's controllers (and a real cluster's) do it.
  const stored = env.sim.store.get('Deployment', 'shop', 'web')!;
  env.sim.store.put({ ...stored, status: { observedGeneration: stored.metadata.generation, replicas: 2 } });
  const live = await readLiveVersions(env.kube, snapshot);
  assert.notEqual(
    live.get('Deployment/shop/web')?.resourceVersion,
    snapshot.objects[0]?.resourceVersionWritten,
  );
  const rollback = buildRollbackRequest(snapshot, live);
  assert.deepEqual(rollback.drift, []);
  assert.deepEqual(rollback.blocks, []);
  const plan = await buildChangePlan(env.kube, parseChangeRequest(rollback.request), options);
  assert.deepEqual(plan.blocks, []);
  assert.equal((await applyPlan(env.kube, plan, { snapshots: store })).status, 'applied');
  assert.equal(webContainers().app?.limits?.cpu, '1');
});

test('drift (someone changed the spec since our apply) blocks the rollback unless allowed', async () => {
  const snapshot = await applyWebChange();
  await new WorkloadApi(env.kube).patch(
    { kind: 'Deployment', namespace: 'shop', name: 'web' },
    { type: 'strategic-merge', body: { spec: { replicas: 5 } } },
    false,
  );
  const live = await readLiveVersions(env.kube, snapshot);
  const blocked = buildRollbackRequest(snapshot, live);
  assert.equal(blocked.drift.length, 1);
  assert.match(
    blocked.blocks[0] ?? '',
    /Deployment shop\/web: its spec changed since our apply \(generation \d+, we left \d+\)/,
  );
  // The plan builder checks the same expectation, so the authority's re-check also sees the drift.
  const blockedPlan = await buildChangePlan(env.kube, parseChangeRequest(blocked.request), options);
  assert.ok(blockedPlan.blocks.some((b) => b.includes('the object changed since our apply')));

  const allowed = buildRollbackRequest(snapshot, live, { allowDrift: true });
  assert.deepEqual(allowed.blocks, []);
  assert.equal(allowed.drift.length, 1);
  assert.equal(allowed.request?.allowDrift, true);
  const plan = await buildChangePlan(env.kube, parseChangeRequest(allowed.request), options);
  assert.deepEqual(plan.blocks, []);
  const result = await applyPlan(env.kube, plan, { snapshots: store });
  assert.equal(result.status, 'applied');
  assert.equal(webContainers().app?.limits?.cpu, '1');
});

test('a snapshot without the generation (written by an older version) judges drift on the resourceVersion', async () => {
  const snapshot = await applyWebChange();
  const { generationWritten: _dropped, ...older } = snapshot.objects[0]!;
  const legacy = { ...snapshot, objects: [older] };
  const same = await readLiveVersions(env.kube, legacy);
  const rollback = buildRollbackRequest(legacy, same);
  assert.deepEqual(rollback.blocks, []);
  assert.equal(rollback.request?.workloads[0]?.expectedResourceVersion, older.resourceVersionWritten);
  assert.equal(rollback.request?.workloads[0]?.expectedGeneration, undefined);
  const moved = new Map([['Deployment/shop/web', { uid: older.uid, resourceVersion: 'other' }]]);
  assert.match(buildRollbackRequest(legacy, moved).blocks[0] ?? '', /resourceVersion other, we wrote/);
});

test('an object deleted since the apply is a block', async () => {
  const snapshot = await applyWebChange();
  const live = new Map([['Deployment/shop/web', undefined]]);
  assert.match(buildRollbackRequest(snapshot, live).blocks[0] ?? '', /no longer exists/);
  const recreated = new Map([['Deployment/shop/web', { uid: 'other', resourceVersion: '1', generation: 1 }]]);
  assert.match(
    buildRollbackRequest(snapshot, recreated, { allowDrift: true }).blocks[0] ?? '',
    /deleted and recreated/,
  );
});
