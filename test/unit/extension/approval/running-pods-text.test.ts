// What the "Running pods" section says: never "no restart" where Kubernetes restarts something, and every
// name as the characters it is.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { approvalViewOf } from '../../../../src/extension/approval/approval-view.js';
import type { PodResizeView } from '../../../../src/extension/approval/panel-protocol.js';
import { podLine, workloadPods } from '../../../../webview/approval/running-pods-text.js';
import { ATTRIBUTE_BREAKOUT, HOSTILE_POD, resizeRequest, SCRIPT_NAME } from './approval-fixtures.js';

function pod(overrides: Partial<PodResizeView> = {}): PodResizeView {
  return {
    name: 'api-1',
    outcome: 'in-place',
    reason: 'resized in place, no container restarts',
    restartingContainers: [],
    qosBefore: 'Burstable',
    qosAfter: 'Burstable',
    ...overrides,
  };
}

test('each pod says what happens to it: in place, a container restart, or not at all, and why', () => {
  const [resized, restarting] = workloadPods(approvalViewOf(resizeRequest()).workloads[0]!).pods;
  assert.deepEqual(resized, {
    pod: `api-7d9f-${SCRIPT_NAME}⟨U+202E⟩`,
    fate: 'in-place',
    what: 'resized in place, no restart',
    qos: 'Burstable',
    why: 'resized in place, no container restarts',
  });
  assert.deepEqual(restarting, {
    pod: 'api-7d9f-k2x',
    fate: 'restarts-container',
    what: `resized in place; container app-${ATTRIBUTE_BREAKOUT} restarts`,
    qos: 'Burstable',
    why: `resized in place; app-${ATTRIBUTE_BREAKOUT} restarts (resizePolicy RestartContainer)`,
  });
  const refused = podLine(
    pod({
      outcome: 'not-possible',
      reason: 'its QoS class would change from Guaranteed to Burstable',
      qosBefore: 'Guaranteed',
      qosAfter: 'Burstable',
    }),
    true,
  );
  assert.equal(refused.fate, 'not-resized');
  assert.equal(refused.what, 'cannot be resized in place');
  assert.equal(refused.qos, 'Guaranteed → Burstable (would change)');
  assert.equal(refused.why, 'its QoS class would change from Guaranteed to Burstable');
});

test('"no restart" is never said of a pod with a restarting container, whatever its outcome says', () => {
  const inconsistent = podLine(pod({ outcome: 'in-place', restartingContainers: ['app'] }), true);
  assert.equal(inconsistent.fate, 'restarts-container');
  assert.equal(inconsistent.what, 'resized in place; container app restarts');
  const unnamed = podLine(pod({ outcome: 'restarts-container' }), true);
  assert.equal(unnamed.what, 'resized in place; a container restarts');
  for (const line of [inconsistent, unnamed]) assert.doesNotMatch(line.what, /no restart/);
});

test('the pods of a workload not resized in place are replaced by the rollout, and the headline says why', () => {
  const view = approvalViewOf(resizeRequest()).workloads[0]!;
  const notOffered = workloadPods({
    ...view,
    inPlaceResize: {
      offered: false,
      reason: `pod db-0 cannot be resized in place: its QoS class would change ${SCRIPT_NAME}`,
      pods: [pod({ name: 'db-1' }), pod({ name: 'db-0', outcome: 'not-possible', reason: 'QoS' })],
    },
  });
  assert.equal(notOffered.offered, false);
  assert.equal(
    notOffered.headline,
    `Not resized in place: pod db-0 cannot be resized in place: its QoS class would change ${SCRIPT_NAME}. Its pods are replaced by the rollout, as with Approve.`,
  );
  assert.deepEqual(
    notOffered.pods.map((p) => [p.pod, p.fate, p.what]),
    [
      ['db-1', 'replaced', 'replaced by the rollout (its workload is not resized in place)'],
      ['db-0', 'not-resized', 'cannot be resized in place'],
    ],
  );
  const noPlan = workloadPods({ ...view, inPlaceResize: undefined });
  assert.equal(noPlan.offered, false);
  assert.deepEqual(noPlan.pods, []);
  assert.match(noPlan.headline, /^Not resized in place .*replaced by the rollout/);
});

test('an offered workload counts its pods by what happens to them', () => {
  const offered = workloadPods(approvalViewOf(resizeRequest()).workloads[0]!);
  assert.equal(offered.offered, true);
  assert.equal(
    offered.headline,
    '2 running pod(s): 1 resized in place without a restart, 1 resized with a container restart.',
  );
});

test('names and reasons keep their markup as text and show invisible characters', () => {
  const line = podLine(pod({ name: HOSTILE_POD, reason: `why\n${SCRIPT_NAME}` }), true);
  assert.equal(line.pod, `api-7d9f-${SCRIPT_NAME}⟨U+202E⟩`);
  assert.equal(line.why, `why⟨U+000A⟩${SCRIPT_NAME}`);
});
