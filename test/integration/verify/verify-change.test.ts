// Post-apply verification against the simulated cluster (controllers, scheduler and kubelets on a clock the
// test advances), through the real pipeline: plan, apply, then verifyChange watching over HTTP.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { afterEach, beforeEach, test, type TestContext } from 'node:test';
import type { AuditEntry } from '../../../src/core/audit/record.js';
import { parseChangeRequest } from '../../../src/core/changes/change-request.js';
import { DEFAULT_PRICES } from '../../../src/core/changes/cost.js';
import { applyPlan } from '../../../src/core/changes/executor.js';
import { buildChangePlan } from '../../../src/core/changes/plan-builder.js';
import { DEFAULT_SAFETY_RULES } from '../../../src/core/changes/safety-rules.js';
import { SnapshotStore } from '../../../src/core/changes/snapshot-store.js';
import type { VerificationProgress } from '../../../src/core/verify/model.js';
import { verifyChange } from '../../../src/core/verify/verify-change.js';
import {
  createDeployment,
  startClusterUnderTest,
  testContainer,
  type ClusterUnderTest,
} from '../../support/cluster-under-test.js';

let env: ClusterUnderTest;
beforeEach(async () => {
  env = await startClusterUnderTest();
  await createDeployment(env, {
    name: 'web',
    containers: [
      testContainer('app', { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '512Mi' } }),
    ],
  });
});
afterEach(async () => {
  await env?.stop();
});

const WINDOW_MS = 5 * 60_000;
const target = () => ({ kind: 'Deployment' as const, namespace: env.namespace, name: 'web' });

/** Plans and applies new values for web/app through the product's pipeline. */
async function apply(resources: { requests?: Record<string, string>; limits?: Record<string, string> }) {
  const plan = await buildChangePlan(
    env.kube,
    parseChangeRequest({
      workloads: [{ ...target(), containers: [{ container: 'app', source: 'agent', ...resources }] }],
    }),
    { safety: DEFAULT_SAFETY_RULES, prices: DEFAULT_PRICES },
  );
  assert.deepEqual(plan.blocks, []);
  const result = await applyPlan(env.kube, plan, {
    snapshots: new SnapshotStore(join(env.dir, 'snapshots')),
  });
  assert.equal(result.status, 'applied');
  return { plan, result };
}

/** Starts verifying web; resolves once the verification watches (its started record is written). */
async function startVerifying(ids: { rollbackId: string; planId: string }, windowMs = WINDOW_MS) {
  const records: AuditEntry[] = [];
  const progress: VerificationProgress[] = [];
  let started!: () => void;
  const running = new Promise<void>((resolve) => (started = resolve));
  const verification = verifyChange({
    kube: env.kube,
    ...ids,
    targets: [target()],
    windowMs,
    clock: env.clock,
    audit: async (entry) => {
      records.push(entry);
      if (entry.operation === 'verification_started') started();
    },
    onProgress: (p) => progress.push(p),
  });
  await running;
  return { verification, records, progress };
}

function needsSimulator(t: TestContext): boolean {
  if (env.sim) return true;
  t.skip('needs the simulator: its controllers act out the fault');
  return false;
}

test('a healthy rollout: rollout complete, new pods Ready, no restarts → healthy after the window', async () => {
  const { plan, result } = await apply({ requests: { cpu: '200m' } });
  const { verification, records, progress } = await startVerifying({
    rollbackId: result.rollbackId,
    planId: plan.id,
  });
  await env.advance(WINDOW_MS, 30_000);
  const verdict = await verification;
  assert.equal(verdict.verdict, 'healthy');
  const web = verdict.workloads[0]!;
  assert.equal(web.rollout, 'complete');
  assert.ok(
    web.evidence.some((e) => /rollout complete: 2\/2 pods updated and available/.test(e.message)),
    JSON.stringify(web.evidence),
  );
  assert.ok(web.evidence.every((e) => e.severity === 'info'));
  assert.equal(verdict.endedEarly, undefined);
  assert.equal(Date.parse(verdict.completedAt) - Date.parse(verdict.startedAt), WINDOW_MS);
  assert.deepEqual(
    records.map((r) => r.operation),
    ['verification_started', 'verification_progress', 'verification_completed'],
  );
  assert.equal(records.at(-1)?.status, 'ok');
  assert.ok(progress.length >= 1);
});

test('a memory cut that gets the new pods OOMKilled → degraded, with the kill as evidence', async (t) => {
  if (!needsSimulator(t)) return;
  // Runs a minute, then exceeds anything under 300Mi: the rollout completes, then the kills begin.
  env.sim!.behaviour.oomKill({
    namespace: env.namespace,
    workload: 'web',
    container: 'app',
    memoryLimitBelow: '300Mi',
    afterMs: 60_000,
  });
  const { plan, result } = await apply({ limits: { memory: '256Mi' }, requests: { memory: '256Mi' } });
  const { verification } = await startVerifying({ rollbackId: result.rollbackId, planId: plan.id });
  await env.advance(WINDOW_MS, 10_000);
  const verdict = await verification;
  assert.equal(verdict.verdict, 'degraded');
  const evidence = verdict.workloads[0]!.evidence;
  const oom = evidence.filter((e) => e.kind === 'oom-killed');
  assert.equal(oom.length, 2, JSON.stringify(evidence, null, 1));
  assert.match(oom[0]!.message, /app in pod web-[a-z0-9]+-[a-z0-9]{5} was OOMKilled \(exit code 137\)/);
  assert.equal(verdict.workloads[0]!.rollout, 'complete');
});

test('an unschedulable pod: the scheduler message is the evidence, and the stuck rollout fails at the window end', async (t) => {
  if (!needsSimulator(t)) return;
  // Nodes of one CPU: a pod asking for 1200m fits none of them.
  for (const node of env.sim!.behaviour.nodes) env.sim!.behaviour.setAllocatable(node.name, { cpu: '1' });
  const { plan, result } = await apply({ requests: { cpu: '1200m' } });
  const { verification, progress } = await startVerifying({ rollbackId: result.rollbackId, planId: plan.id });
  await env.advance(WINDOW_MS, 30_000);
  const verdict = await verification;
  assert.equal(verdict.verdict, 'failed');
  const evidence = verdict.workloads[0]!.evidence;
  const unschedulable = evidence.find((e) => e.kind === 'unschedulable');
  assert.ok(unschedulable, JSON.stringify(evidence, null, 1));
  assert.match(
    unschedulable.message,
    /cannot be scheduled: 0\/3 nodes are available: 3 Insufficient cpu\. preemption: 0\/3 nodes are available: 3 No preemption victims found for incoming pod\./,
  );
  assert.ok(
    evidence.some(
      (e) =>
        e.severity === 'failure' && /had not completed when the verification window ended/.test(e.message),
    ),
  );
  // While the window ran, the old pods kept serving: degraded, not failed.
  assert.ok(progress.some((p) => p.workloads[0]?.verdict === 'degraded'));
});

test('a rollout that never progresses fails at its progress deadline, before the window ends', async (t) => {
  if (!needsSimulator(t)) return;
  env.sim!.behaviour.neverReady({ namespace: env.namespace, workload: 'web' });
  const { plan, result } = await apply({ requests: { cpu: '300m' } });
  const { verification, records } = await startVerifying(
    { rollbackId: result.rollbackId, planId: plan.id },
    20 * 60_000,
  );
  // progressDeadlineSeconds is 600: one step past it.
  await env.advance(601_000, 60_000);
  const verdict = await verification;
  assert.equal(verdict.verdict, 'failed');
  assert.equal(verdict.endedEarly, true);
  assert.equal(verdict.workloads[0]!.rollout, 'failed');
  assert.match(
    verdict.workloads[0]!.evidence[0]!.message,
    /the rollout failed: ReplicaSet "web-[a-z0-9]+" has timed out progressing\. \(ProgressDeadlineExceeded\)/,
  );
  assert.ok(
    records.some((r) => r.operation === 'verification_progress' && r.details?.event === 'workload-failed'),
  );
  assert.equal(records.at(-1)?.status, 'error');
});
