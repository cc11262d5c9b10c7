// Reading verifications back from the audit log: which ones a restart interrupted, and where one stands.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AuditRecord } from '../../../../src/core/audit/record.js';
import type { VerificationResult } from '../../../../src/core/verify/model.js';
import {
  pendingVerifications,
  verificationCompletedRecord,
  verificationProgressRecord,
  verificationStartedRecord,
  verificationState,
} from '../../../../src/core/verify/verification-records.js';

const target = { kind: 'Deployment' as const, namespace: 'shop', name: 'web' };
const started = (id: string) =>
  verificationStartedRecord({
    verificationId: id,
    rollbackId: 'rb-0123456789abcdef',
    planId: 'p',
    context: 'prod',
    server: 'https://k',
    targets: [target],
    startedAt: '2026-01-01T00:00:00.000Z',
    windowMs: 600_000,
    baseline: { restarts: { 'pod-uid': { app: 2 } } },
  });
const result = (id: string): VerificationResult => ({
  verificationId: id,
  rollbackId: 'rb-0123456789abcdef',
  planId: 'p',
  startedAt: '2026-01-01T00:00:00.000Z',
  completedAt: '2026-01-01T00:10:00.000Z',
  verdict: 'degraded',
  workloads: [
    {
      target,
      verdict: 'degraded',
      rollout: 'complete',
      evidence: [{ kind: 'oom-killed', severity: 'warning', message: 'OOMKilled' }],
    },
  ],
});

/** As the log stores them: seq and time added. */
function stored(entries: Array<ReturnType<typeof started>>): AuditRecord[] {
  return entries.map(
    (e, i) =>
      ({
        seq: i + 1,
        time: `2026-01-01T00:0${i}:00.000Z`,
        prevHash: '0'.repeat(64),
        hash: '0'.repeat(64),
        details: {},
        ...e,
      }) as AuditRecord,
  );
}

test('started and never completed: pending, with its start time and baseline', () => {
  const records = stored([
    started('aaaaaaaaaaaa'),
    started('bbbbbbbbbbbb'),
    verificationCompletedRecord(result('aaaaaaaaaaaa')),
  ]);
  const pending = pendingVerifications(records);
  assert.deepEqual(
    pending.map((p) => [p.verificationId, p.seq, p.startedAt, p.baseline.restarts['pod-uid']?.app]),
    [['bbbbbbbbbbbb', 2, '2026-01-01T00:00:00.000Z', 2]],
  );
});

test('a pending verification keeps the rollouts it saw complete, so a resume does not forget them', () => {
  const records = stored([
    started('eeeeeeeeeeee'),
    verificationProgressRecord('eeeeeeeeeeee', 'rollout-complete', target),
    verificationProgressRecord('ffffffffffff', 'rollout-complete', { ...target, name: 'other' }),
  ]);
  const [pending] = pendingVerifications(records);
  assert.deepEqual(pending?.rolloutsCompleted, ['Deployment shop/web']);
});

test('a started record this code cannot read is not resumed on a guess', () => {
  const damaged = { ...started('cccccccccccc'), details: { verificationId: 'cccccccccccc', targets: 'web' } };
  assert.deepEqual(pendingVerifications(stored([damaged as ReturnType<typeof started>])), []);
});

test('verdict statuses: healthy ok, degraded partial, failed error; evidence sorted worst first and capped', () => {
  const many = result('dddddddddddd');
  many.workloads[0]!.evidence = [
    ...Array.from({ length: 30 }, (_, i) => ({
      kind: 'pods' as const,
      severity: 'info' as const,
      message: `info ${i}`,
    })),
    { kind: 'rollout', severity: 'failure', message: 'failed' },
  ];
  const record = verificationCompletedRecord({ ...many, verdict: 'failed' });
  assert.equal(record.status, 'error');
  const evidence = (record.details as { workloads: Array<{ evidence: Array<{ message: string }> }> })
    .workloads[0]!.evidence;
  assert.equal(evidence.length, 25);
  assert.equal(evidence[0]!.message, 'failed');
  assert.equal(verificationCompletedRecord({ ...many, verdict: 'healthy' }).status, 'ok');
  assert.equal(verificationCompletedRecord(many).status, 'partial');
});

test('state of one verification: running with its milestones, then completed with its verdict', () => {
  const id = 'eeeeeeeeeeee';
  const running = stored([started(id), verificationProgressRecord(id, 'rollout-complete', target)]);
  const state = verificationState(running, id);
  assert.equal(state.state, 'running');
  assert.deepEqual(state.state === 'running' && state.milestones.map((m) => [m.event, m.target]), [
    ['rollout-complete', 'Deployment shop/web'],
  ]);
  const done = verificationState(stored([started(id), verificationCompletedRecord(result(id))]), id);
  assert.equal(done.state === 'completed' && done.result.verdict, 'degraded');
  assert.equal(verificationState(running, 'ffffffffffff').state, 'not-found');
});
