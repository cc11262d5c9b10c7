// The approval covers the in-place resize: its pods (a replaced pod is another uid), their patches, the
// ReplicaSet patch and the person's choice change the plan hash; a plan without the section hashes as before.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  planHash,
  withResizeChoice,
  type ChangePlan,
  type PlannedWorkload,
} from '../../../../src/core/changes/plan.js';
import type { InPlaceResizePlan } from '../../../../src/core/resize/resize-model.js';

const section = (uid = 'pod-uid-1', offered = true): InPlaceResizePlan => ({
  supported: true,
  offered,
  replicaSet: {
    name: 'web-5d4f8',
    uid: 'rs-uid',
    resourceVersion: '41',
    patch: { type: 'strategic-merge', body: { metadata: { resourceVersion: '41' } } },
    pausesDeployment: true,
    containers: [],
  },
  pods: [
    {
      name: 'web-5d4f8-aaaaa',
      uid,
      qosBefore: 'Burstable',
      qosAfter: 'Burstable',
      outcome: 'in-place',
      reason: 'resized in place, no container restarts',
      restartingContainers: [],
      containers: [],
      patch: { spec: { containers: [{ name: 'app', resources: { requests: { cpu: '200m' } } }] } },
    },
  ],
});

function plan(inPlaceResize?: InPlaceResizePlan): ChangePlan {
  const workload = {
    target: { kind: 'Deployment', namespace: 'shop', name: 'web' },
    uid: 'd-uid',
    resourceVersion: '40',
    patch: { type: 'strategic-merge', body: { metadata: { resourceVersion: '40' } } },
    ...(inPlaceResize ? { inPlaceResize } : {}),
  } as unknown as PlannedWorkload;
  const base = {
    cluster: { context: 'c', cluster: 'c', server: 'https://k', user: 'u' },
    workloads: [workload],
  };
  return { ...base, hash: planHash(base) } as unknown as ChangePlan;
}

test('the section is bound: pods, their uids and patches; absent, the hash is what it was', () => {
  const without = plan();
  assert.equal(
    planHash(without),
    planHash({
      cluster: without.cluster,
      workloads: without.workloads.map(({ inPlaceResize: _, ...w }) => w),
    }),
  );
  const a = plan(section());
  assert.notEqual(a.hash, without.hash);
  assert.notEqual(plan(section('pod-uid-2')).hash, a.hash, 'a replaced pod is not the approved one');
  const other = section();
  other.pods[0]!.patch = {
    spec: { containers: [{ name: 'app', resources: { requests: { cpu: '100m' } } }] },
  };
  assert.notEqual(plan(other).hash, a.hash);
  const unpaused = section();
  unpaused.replicaSet!.pausesDeployment = false;
  assert.notEqual(plan(unpaused).hash, a.hash);
});

test("the person's choice to resize is bound, and is only possible where a workload offers it", () => {
  const offered = plan(section());
  const chosen = withResizeChoice(offered, true);
  assert.equal(chosen.resizeRunningPods, true);
  assert.notEqual(chosen.hash, offered.hash);
  assert.equal(chosen.hash, planHash(chosen));
  const declined = withResizeChoice(chosen, false);
  assert.equal(declined.resizeRunningPods, undefined);
  assert.equal(declined.hash, offered.hash);
  const notOffered = plan(section('pod-uid-1', false));
  assert.equal(withResizeChoice(notOffered, true), notOffered);
});
