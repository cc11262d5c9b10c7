// QoS classes by Kubernetes' rules, and what an in-place resize would do to one pod, over hand-made objects.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ContainerResourcesText } from '../../../../src/core/changes/container-resources.js';
import { planPodResize, podView } from '../../../../src/core/resize/pod-resize-plan.js';
import { computeQosClass } from '../../../../src/core/resize/qos.js';

const r = (
  requests: Record<string, string>,
  limits: Record<string, string> = {},
): ContainerResourcesText => ({ requests, limits });

test('QoS: BestEffort when nothing is set, Guaranteed when every container has equal cpu and memory limits', () => {
  assert.equal(computeQosClass([r({})]), 'BestEffort');
  assert.equal(computeQosClass([r({}), r({})]), 'BestEffort');
  assert.equal(computeQosClass([r({ cpu: '1', memory: '1Gi' }, { cpu: '1', memory: '1Gi' })]), 'Guaranteed');
  // A request left out is the limit (the API server defaults it): still Guaranteed.
  assert.equal(computeQosClass([r({}, { cpu: '500m', memory: '256Mi' })]), 'Guaranteed');
  // "1000m" and "1" are one amount.
  assert.equal(
    computeQosClass([r({ cpu: '1000m', memory: '1024Mi' }, { cpu: '1', memory: '1Gi' })]),
    'Guaranteed',
  );
});

test('QoS: Burstable when anything is set but not Guaranteed', () => {
  assert.equal(computeQosClass([r({ cpu: '100m' })]), 'Burstable');
  assert.equal(
    computeQosClass([r({ cpu: '250m', memory: '1Gi' }, { cpu: '500m', memory: '1Gi' })]),
    'Burstable',
  );
  assert.equal(computeQosClass([r({}, { memory: '1Gi' })]), 'Burstable', 'no cpu limit');
  // One container without limits makes the whole pod Burstable (init containers count too).
  assert.equal(
    computeQosClass([r({ cpu: '1', memory: '1Gi' }, { cpu: '1', memory: '1Gi' }), r({})]),
    'Burstable',
  );
  // Zero is not "set": a 0 request with no limit leaves a pod BestEffort.
  assert.equal(computeQosClass([r({ cpu: '0' })]), 'BestEffort');
});

function pod(
  containers: Array<{ name: string; resources: object; resizePolicy?: object[] }>,
  extra: { phase?: string; qosClass?: string } = {},
) {
  return podView({
    metadata: { name: 'web-abc-12345', uid: 'u-1' },
    spec: { nodeName: 'node-1', containers: containers.map((c) => ({ image: 'x', ...c })) },
    status: { phase: extra.phase ?? 'Running', ...(extra.qosClass ? { qosClass: extra.qosClass } : {}) },
  });
}

const burstable = { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } };

test('a change within the QoS class is resized in place; the patch names only what changes', () => {
  const planned = planPodResize(
    pod([{ name: 'app', resources: burstable }]),
    new Map([['app', r({ cpu: '200m', memory: '256Mi' }, { cpu: '500m', memory: '512Mi' })]]),
    33,
  );
  assert.equal(planned.outcome, 'in-place');
  assert.equal(planned.reason, 'resized in place, no container restarts');
  assert.deepEqual(planned.patch, {
    spec: { containers: [{ name: 'app', resources: { requests: { cpu: '200m' } } }] },
  });
  assert.deepEqual([planned.qosBefore, planned.qosAfter], ['Burstable', 'Burstable']);
});

test('RestartContainer for a resource that changes is a restart; for one that does not, it is not', () => {
  const policy = [{ resourceName: 'memory', restartPolicy: 'RestartContainer' }];
  const memory = planPodResize(
    pod([{ name: 'app', resources: burstable, resizePolicy: policy }]),
    new Map([['app', r({ cpu: '250m', memory: '300Mi' }, { cpu: '500m', memory: '512Mi' })]]),
    33,
  );
  assert.equal(memory.outcome, 'restarts-container');
  assert.deepEqual(memory.restartingContainers, ['app']);
  const cpu = planPodResize(
    pod([{ name: 'app', resources: burstable, resizePolicy: policy }]),
    new Map([['app', r({ cpu: '300m', memory: '256Mi' }, { cpu: '500m', memory: '512Mi' })]]),
    33,
  );
  assert.equal(cpu.outcome, 'in-place');
});

test('not possible: QoS change, a removed limit, a lower memory limit on 1.33 (allowed on 1.34+), a pod not Running', () => {
  const qos = planPodResize(
    pod([{ name: 'app', resources: burstable }], { qosClass: 'Burstable' }),
    new Map([['app', r({ cpu: '500m', memory: '512Mi' }, { cpu: '500m', memory: '512Mi' })]]),
    33,
  );
  assert.equal(qos.outcome, 'not-possible');
  assert.match(qos.reason, /QoS class would change from Burstable to Guaranteed/);
  assert.equal(qos.patch, null);
  const removed = planPodResize(
    pod([{ name: 'app', resources: burstable }]),
    new Map([['app', r({ cpu: '250m', memory: '256Mi' }, { memory: '512Mi' })]]),
    35,
  );
  assert.match(removed.reason, /app limits\.cpu would be removed, and a resize cannot remove limits/);
  const lower = new Map([['app', r({ cpu: '250m', memory: '256Mi' }, { cpu: '500m', memory: '384Mi' })]]);
  assert.equal(
    planPodResize(pod([{ name: 'app', resources: burstable }]), lower, 33).outcome,
    'not-possible',
  );
  assert.equal(planPodResize(pod([{ name: 'app', resources: burstable }]), lower, 34).outcome, 'in-place');
  const restarting = [{ resourceName: 'memory', restartPolicy: 'RestartContainer' }];
  assert.equal(
    planPodResize(pod([{ name: 'app', resources: burstable, resizePolicy: restarting }]), lower, 33).outcome,
    'restarts-container',
  );
  const pending = planPodResize(
    pod([{ name: 'app', resources: burstable }], { phase: 'Pending' }),
    new Map([['app', r({ cpu: '200m', memory: '256Mi' }, { cpu: '500m', memory: '512Mi' })]]),
    33,
  );
  assert.match(pending.reason, /the pod is Pending, not Running/);
});

test('the target is what a new pod would get: a request left out of the template is the limit', () => {
  // Template: only a memory limit; the pod got a request equal to it when it was created.
  const running = pod([
    { name: 'app', resources: { requests: { memory: '512Mi' }, limits: { memory: '512Mi' } } },
  ]);
  const planned = planPodResize(running, new Map([['app', r({}, { memory: '256Mi' })]]), 34);
  assert.deepEqual(planned.patch, {
    spec: {
      containers: [
        { name: 'app', resources: { requests: { memory: '256Mi' }, limits: { memory: '256Mi' } } },
      ],
    },
  });
});
