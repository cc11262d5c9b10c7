// How the verification keeps watching: resumed from the audit log after the host stopped mid-window (same
// window, one verdict), watches reopened after the server ends them (and re-listed after 410 Expired), and
// LIST polling where RBAC allows no watch.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { afterEach, beforeEach, test, type TestContext } from 'node:test';
import { AuditLog } from '../../../src/core/audit/audit-log.js';
import { queryHistory } from '../../../src/core/audit/history.js';
import type { VerificationProgress } from '../../../src/core/verify/model.js';
import { pendingVerifications } from '../../../src/core/verify/verification-records.js';
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
const ids = { rollbackId: 'rollback-0123456789abcdef', planId: 'plan-1' };
const target = () => ({ kind: 'Deployment' as const, namespace: env.namespace, name: 'web' });

async function auditRecords(path: string) {
  return (await queryHistory(path, { limit: 500 })).records.reverse();
}

/** Resolves with the first progress report that satisfies `test`. */
function progressWhere(test: (p: VerificationProgress) => boolean) {
  let resolve!: (p: VerificationProgress) => void;
  const seen = new Promise<VerificationProgress>((r) => (resolve = r));
  return { seen, onProgress: (p: VerificationProgress) => test(p) && resolve(p) };
}

const oomEvidence = (p: VerificationProgress) =>
  p.workloads[0]!.evidence.some((e) => e.kind === 'oom-killed');

function needsSimulator(t: TestContext): boolean {
  if (env.sim) return true;
  t.skip('needs the simulator: the test ends its watches and changes its RBAC');
  return false;
}

test(
  'a verification interrupted by a restart resumes from the audit log: same window, one verdict',
  { timeout: 60_000 },
  async () => {
    const path = join(env.dir, 'audit', 'audit.jsonl');
    let log = await AuditLog.open(path);
    const host = new AbortController();
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const first = verifyChange({
      kube: env.kube,
      ...ids,
      targets: [target()],
      windowMs: WINDOW_MS,
      clock: env.clock,
      signal: host.signal,
      audit: async (entry) => {
        await log.append(entry);
        if (entry.operation === 'verification_started') started();
      },
    });
    await running;
    await env.advance(60_000, 30_000);
    // The extension host stops: the verification is aborted and the log closed, with no verdict written.
    host.abort();
    await assert.rejects(first, { name: 'AbortError' });
    await log.close();

    log = await AuditLog.open(path);
    const pending = pendingVerifications(await auditRecords(path));
    assert.equal(pending.length, 1);
    const [interrupted] = pending;
    assert.deepEqual(interrupted!.targets, [target()]);
    assert.equal(interrupted!.windowMs, WINDOW_MS);
    assert.ok(Object.keys(interrupted!.baseline.restarts).length === 2, 'the restart counts of both pods');

    const resumed = verifyChange({
      kube: env.kube,
      rollbackId: interrupted!.rollbackId,
      planId: interrupted!.planId,
      targets: interrupted!.targets,
      windowMs: interrupted!.windowMs,
      resume: interrupted!,
      clock: env.clock,
      audit: async (entry) => void (await log.append(entry)),
    });
    // Only what was left of the window: a restarted window would need five more minutes (and time out).
    await env.advance(WINDOW_MS - 60_000, 30_000);
    const verdict = await resumed;
    assert.equal(verdict.verificationId, interrupted!.verificationId);
    assert.equal(verdict.startedAt, interrupted!.startedAt);
    assert.equal(Date.parse(verdict.completedAt) - Date.parse(verdict.startedAt), WINDOW_MS);
    assert.equal(verdict.verdict, 'healthy');
    await log.close();

    const records = await auditRecords(path);
    assert.deepEqual(
      records.map((r) => r.operation).filter((o) => o.startsWith('verification')),
      [
        'verification_started',
        'verification_progress',
        'verification_progress',
        'verification_progress',
        'verification_completed',
      ],
    );
    assert.equal(records.filter((r) => r.operation === 'verification_completed').length, 1);
    assert.ok(records.some((r) => r.operation === 'verification_progress' && r.details.event === 'resumed'));
    assert.deepEqual(pendingVerifications(records), []);
  },
);

test(
  'watches the server ends are reopened, and a 410 Expired one is listed again',
  { timeout: 60_000 },
  async (t) => {
    if (!needsSimulator(t)) return;
    const sim = env.sim!;
    const { seen, onProgress } = progressWhere(oomEvidence);
    const listeners = [onProgress];
    const stop = new AbortController();
    const verification = verifyChange({
      kube: env.kube,
      ...ids,
      targets: [target()],
      windowMs: WINDOW_MS,
      clock: env.clock,
      signal: stop.signal,
      onProgress: (p) => listeners.forEach((l) => l(p)),
    });
    // The workload, its ReplicaSets and its pods.
    await sim.watches.whenWatching(3);
    const lists = () =>
      sim.requests.filter(
        (r) => r.method === 'GET' && r.path.endsWith('/pods') && r.query.watch === undefined,
      ).length;
    const listsBefore = lists();
    // The server ends every watch; while the client is away the pods change and the history is compacted.
    sim.watches.closeAll();
    sim.behaviour.oomKill({ namespace: env.namespace, workload: 'web', memoryLimitBelow: '1Gi' });
    sim.watches.compact();
    const report = await seen;
    assert.match(
      report.workloads[0]!.evidence.find((e) => e.kind === 'oom-killed')!.message,
      /was OOMKilled \(exit code 137\)/,
    );
    assert.ok(lists() > listsBefore, 'the pods were listed again after 410 Expired');
    await sim.watches.whenWatching(3);
    // The reopened watches deliver: the kubelet's next restart (back-off 10 s, then 20 s) reaches the verifier.
    const { seen: backoff, onProgress: next } = progressWhere((p) =>
      p.workloads[0]!.evidence.some((e) => /back-off 20s/.test(e.message)),
    );
    listeners.push(next);
    await env.advance(10_000);
    await backoff;
    stop.abort();
    await assert.rejects(verification, { name: 'AbortError' });
    // Every watch ends with the verification (this would time out otherwise).
    await sim.watches.whenNoneOpen();
  },
);

test('where RBAC allows no watch, the verification polls with LIST', { timeout: 60_000 }, async (t) => {
  if (!needsSimulator(t)) return;
  const sim = env.sim!;
  sim.setRbac([{ verbs: ['get', 'list'], apiGroups: ['*'], resources: ['*'] }]);
  const { seen, onProgress } = progressWhere(oomEvidence);
  const stop = new AbortController();
  const verification = verifyChange({
    kube: env.kube,
    ...ids,
    targets: [target()],
    windowMs: WINDOW_MS,
    clock: env.clock,
    signal: stop.signal,
    onProgress,
  });
  // Three caches polling on the clock, each waiting for its next LIST.
  await sim.clock.whenSleeping(4);
  assert.equal(sim.watches.active, 0);
  assert.ok(sim.requests.some((r) => r.query.watch === 'true' && r.status === 403));
  sim.behaviour.oomKill({ namespace: env.namespace, workload: 'web', memoryLimitBelow: '1Gi' });
  await env.advance(2_000);
  await seen;
  stop.abort();
  await assert.rejects(verification, { name: 'AbortError' });
});
