// The verdict rules over hand-made objects: what makes a workload healthy, degraded or failed.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JsonObject } from '../../../../src/core/changes/workload-object.js';
import { assessWorkload, type WorkloadObservation } from '../../../../src/core/verify/workload-health.js';

const target = { kind: 'Deployment' as const, namespace: 'shop', name: 'web' };
const template = {
  metadata: { labels: { app: 'web' } },
  spec: { containers: [{ name: 'app', image: 'x' }] },
};
const noBaseline = { restarts: {} };

function deployment(status: JsonObject, generation = 2): JsonObject {
  return {
    metadata: { name: 'web', uid: 'd', generation },
    spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template },
    status: {
      observedGeneration: generation,
      replicas: 2,
      updatedReplicas: 2,
      readyReplicas: 2,
      availableReplicas: 2,
      ...status,
    },
  };
}

const rs = (uid: string, current: boolean): JsonObject => ({
  metadata: { name: `web-${uid}`, uid, ownerReferences: [{ uid: 'd', controller: true }] },
  spec: {
    template: current
      ? { ...template, metadata: { labels: { app: 'web', 'pod-template-hash': uid } } }
      : { ...template, spec: { containers: [{ name: 'app', image: 'old' }] } },
  },
});

function pod(name: string, owner: string, status: JsonObject, uid = name): JsonObject {
  return {
    metadata: { name, uid, ownerReferences: [{ uid: owner, controller: true }] },
    status: { phase: 'Running', ...status },
  };
}

const ready = {
  conditions: [{ type: 'Ready', status: 'True' }],
  containerStatuses: [{ name: 'app', ready: true, restartCount: 0, state: { running: {} } }],
};
const crashLoop = (restarts: number, reason = 'OOMKilled') => ({
  conditions: [{ type: 'Ready', status: 'False', message: 'containers with unready status: [app]' }],
  containerStatuses: [
    {
      name: 'app',
      ready: false,
      restartCount: restarts,
      lastState: {
        terminated: {
          reason,
          exitCode: reason === 'OOMKilled' ? 137 : 1,
          finishedAt: '2026-01-01T00:10:00Z',
        },
      },
      state: {
        waiting: {
          reason: 'CrashLoopBackOff',
          message: 'back-off 40s restarting failed container=app pod=web-new-1_shop(1)',
        },
      },
    },
  ],
});

function observe(
  workload: JsonObject | undefined,
  pods: JsonObject[],
  problems: string[] = [],
): WorkloadObservation {
  return { target, workload, replicaSets: [rs('new', true), rs('old', false)], pods, problems };
}

test('complete rollout, Ready pods, no restarts: healthy, final only when the window is over', () => {
  const seen = observe(deployment({}), [pod('web-new-1', 'new', ready), pod('web-new-2', 'new', ready)]);
  const during = assessWorkload(seen, { baseline: noBaseline, windowOver: false });
  assert.deepEqual([during.verdict, during.rollout, during.final], ['healthy', 'complete', false]);
  assert.equal(assessWorkload(seen, { baseline: noBaseline, windowOver: true }).final, true);
  assert.ok(during.evidence.some((e) => e.message === '2/2 pods of the current template Ready'));
});

test('ProgressDeadlineExceeded: failed at once, with the controller message', () => {
  const stuck = deployment({
    updatedReplicas: 1,
    replicas: 3,
    conditions: [
      {
        type: 'Progressing',
        status: 'False',
        reason: 'ProgressDeadlineExceeded',
        message: 'ReplicaSet "web-new" has timed out progressing.',
      },
    ],
  });
  const health = assessWorkload(observe(stuck, []), { baseline: noBaseline, windowOver: false });
  assert.deepEqual([health.verdict, health.rollout, health.final], ['failed', 'failed', true]);
  assert.match(health.evidence[0]!.message, /timed out progressing.*ProgressDeadlineExceeded/);
});

test('an OOM kill of a current pod while others serve: degraded; the same on an old pod is not evidence', () => {
  const health = assessWorkload(
    observe(deployment({}), [
      pod('web-new-1', 'new', crashLoop(1)),
      pod('web-new-2', 'new', ready),
      pod('web-old-1', 'old', crashLoop(3)),
    ]),
    { baseline: noBaseline, windowOver: false },
  );
  assert.equal(health.verdict, 'degraded');
  assert.deepEqual(
    health.evidence.filter((e) => e.severity === 'warning').map((e) => [e.kind, e.pod]),
    [
      ['oom-killed', 'web-new-1'],
      ['crash-loop', 'web-new-1'],
    ],
  );
});

test('restarts count from the baseline: a restart before the verification is not evidence', () => {
  const restarted = {
    ...ready,
    containerStatuses: [
      {
        ...ready.containerStatuses[0],
        restartCount: 4,
        lastState: { terminated: { reason: 'Error', exitCode: 1 } },
      },
    ],
  };
  const seen = observe(deployment({}), [pod('web-new-1', 'new', restarted, 'p1')]);
  assert.equal(
    assessWorkload(seen, { baseline: { restarts: { p1: { app: 4 } } }, windowOver: true }).verdict,
    'healthy',
  );
  const since = assessWorkload(seen, { baseline: { restarts: { p1: { app: 3 } } }, windowOver: true });
  assert.equal(since.verdict, 'degraded');
  assert.match(
    since.evidence.find((e) => e.kind === 'restarts')!.message,
    /restarted 1 time since the change \(last: Error, exit code 1\)/,
  );
});

test('no Ready pod and every current pod stuck (unschedulable, or crash-looping for 5 restarts): failed early', () => {
  const unschedulable = {
    phase: 'Pending',
    conditions: [
      {
        type: 'PodScheduled',
        status: 'False',
        reason: 'Unschedulable',
        message: '0/3 nodes are available: 3 Insufficient cpu.',
      },
    ],
  };
  const pending = assessWorkload(
    observe(deployment({ updatedReplicas: 2, availableReplicas: 0 }), [
      pod('web-new-1', 'new', unschedulable),
    ]),
    { baseline: noBaseline, windowOver: false },
  );
  assert.equal(pending.verdict, 'failed');
  assert.match(
    pending.evidence.find((e) => e.kind === 'unschedulable')!.message,
    /cannot be scheduled: 0\/3 nodes are available: 3 Insufficient cpu\./,
  );
  // A momentary outage (everyone restarting at once) is degraded, not failed.
  const momentary = assessWorkload(
    observe(deployment({}), [pod('web-new-1', 'new', crashLoop(2)), pod('web-new-2', 'new', crashLoop(2))]),
    { baseline: noBaseline, windowOver: false },
  );
  assert.equal(momentary.verdict, 'degraded');
  const lasting = assessWorkload(
    observe(deployment({}), [pod('web-new-1', 'new', crashLoop(5)), pod('web-new-2', 'new', crashLoop(6))]),
    { baseline: noBaseline, windowOver: false },
  );
  assert.equal(lasting.verdict, 'failed');
});

test('the window ends with the rollout still going: failed; a pod still not Ready at the end: degraded', () => {
  const going = assessWorkload(
    observe(deployment({ updatedReplicas: 1, replicas: 3 }), [pod('web-new-1', 'new', ready)]),
    { baseline: noBaseline, windowOver: true },
  );
  assert.equal(going.verdict, 'failed');
  assert.ok(going.evidence.some((e) => e.severity === 'failure' && /window ended/.test(e.message)));
  const unready = {
    conditions: [{ type: 'Ready', status: 'False', message: 'containers with unready status: [app]' }],
    containerStatuses: [{ name: 'app', ready: false, restartCount: 0, state: { running: {} } }],
  };
  const late = assessWorkload(
    observe(deployment({}), [pod('web-new-1', 'new', unready), pod('web-new-2', 'new', ready)]),
    { baseline: noBaseline, windowOver: true },
  );
  assert.equal(late.verdict, 'degraded');
  assert.equal(
    assessWorkload(observe(deployment({}), [pod('web-new-1', 'new', unready)]), {
      baseline: noBaseline,
      windowOver: false,
    }).verdict,
    'healthy',
    'still starting',
  );
});

test('gone, unobservable, or a CronJob', () => {
  assert.equal(
    assessWorkload(observe(undefined, []), { baseline: noBaseline, windowOver: false }).verdict,
    'failed',
  );
  const blind = assessWorkload(
    observe(
      deployment({}),
      [pod('web-new-1', 'new', ready), pod('web-new-2', 'new', ready)],
      ['could not list pods: Forbidden'],
    ),
    { baseline: noBaseline, windowOver: true },
  );
  assert.equal(blind.verdict, 'degraded', 'what could not be watched is not healthy');
  const cron = assessWorkload(
    {
      target: { kind: 'CronJob', namespace: 'batch', name: 'report' },
      workload: { metadata: {}, spec: {} },
      replicaSets: [],
      pods: [],
      problems: [],
    },
    { baseline: noBaseline, windowOver: false },
  );
  assert.deepEqual([cron.verdict, cron.rollout, cron.final], ['healthy', 'not-applicable', true]);
});

test('Prometheus evidence: a warning makes it degraded, info does not', () => {
  const seen = observe(deployment({}), [pod('web-new-1', 'new', ready), pod('web-new-2', 'new', ready)]);
  const metric = (severity: 'info' | 'warning') => [{ kind: 'memory' as const, severity, message: 'm' }];
  assert.equal(
    assessWorkload(seen, { baseline: noBaseline, windowOver: true, metrics: metric('info') }).verdict,
    'healthy',
  );
  assert.equal(
    assessWorkload(seen, { baseline: noBaseline, windowOver: true, metrics: metric('warning') }).verdict,
    'degraded',
  );
});

test('a workload that cannot be read is degraded with the reason, not "gone"', () => {
  const health = assessWorkload(
    observe(undefined, [], ['could not list /apis/apps/v1/namespaces/shop/deployments: Forbidden']),
    { baseline: noBaseline, windowOver: false },
  );
  assert.deepEqual([health.verdict, health.rollout, health.final], ['degraded', 'unknown', false]);
  assert.match(health.evidence[0]!.message, /Forbidden/);
});

test('a rollout seen complete stays complete: pods that stop being Ready later are degraded, not "not completed"', () => {
  const unreadyStatus = { availableReplicas: 1, readyReplicas: 1 };
  const crashing = pod('web-new-1', 'new', crashLoop(2));
  const seen = observe(deployment(unreadyStatus), [crashing, pod('web-new-2', 'new', ready)]);
  const before = assessWorkload(seen, { baseline: noBaseline, windowOver: true });
  assert.equal(before.verdict, 'failed', 'without the memory it reads as a rollout that never completed');
  const after = assessWorkload(seen, {
    baseline: noBaseline,
    windowOver: true,
    rolloutCompletedBefore: true,
  });
  assert.equal(after.rollout, 'complete');
  assert.equal(after.verdict, 'degraded');
  assert.ok(after.evidence.some((e) => /had completed earlier/.test(e.message)));
  assert.ok(!after.evidence.some((e) => /window ended/.test(e.message)));
});
