// Views for the panels' pages in the harness: built the way the extension host builds them (approvalViewOf,
// detailsView) from hand-made usage histories in src/core/evidence's model.

import type { ApprovalRequest } from '../../../src/core/approval/approval-request.js';
import type { RecommendationItem } from '../../../src/core/recommend/recommendation-items.js';
import { approvalViewOf } from '../../../src/extension/approval/approval-view.js';
import type { ApprovalView, DetailsView } from '../../../src/extension/approval/panel-protocol.js';
import { detailsView } from '../../../src/extension/details/details-view.js';
import { usageHistory } from '../../unit/extension/approval/usage-fixtures.js';

const MiB = 1024 * 1024;

/** 2,000 newlines: a thousand one-dot lines and a thousand empty ones, with a bidi override and a zero-width space. */
export const TALL_REASON = `Right-size the api\u202E and its sidecar\u200B.${'\n.'.repeat(1000)}${'\n'.repeat(1000)}`;

const diff = (cpuFrom: string, cpuTo: string) =>
  `--- live\n+++ dry-run\n@@ -20,7 +20,7 @@\n         resources:\n           requests:\n-            cpu: ${cpuFrom}\n+            cpu: ${cpuTo}\n`;

export function approvalView(reason: string = TALL_REASON): ApprovalView {
  return approvalViewOf(harnessRequest(reason));
}

function harnessRequest(reason: string): ApprovalRequest {
  return {
    planId: 'plan-harness',
    planHash: 'hash',
    summary: 'Change 2 workload(s)',
    cluster: { context: 'prod-eu', server: 'https://10.0.0.1:6443' },
    objects: [],
    risk: 'MEDIUM',
    expiresAt: new Date(Date.now() + 10 * 60_000).toISOString(),
    details: {
      workloads: [
        {
          kind: 'Deployment',
          namespace: 'shop',
          name: 'api',
          containers: [
            {
              container: 'app',
              source: 'recommendation',
              changes: [
                { field: 'requests.cpu', from: '500m', to: '250m', percent: -50, agentSupplied: false },
                { field: 'requests.memory', from: '512Mi', to: '384Mi', percent: -25, agentSupplied: false },
                { field: 'limits.memory', from: '1Gi', to: '384Mi', percent: -62.5, agentSupplied: false },
              ],
            },
            {
              container: 'sidecar',
              source: 'recommendation',
              changes: [
                { field: 'requests.cpu', from: '100m', to: '20m', percent: -80, agentSupplied: true },
              ],
            },
          ],
          diff: diff('500m', '250m'),
          impact: { pods: 3, restartRequired: true, hpa: false },
          risk: { level: 'MEDIUM', reasons: ['3 pods restart'] },
        },
        {
          kind: 'StatefulSet',
          namespace: 'shop',
          name: 'postgres',
          containers: [
            {
              container: 'db',
              source: 'recommendation',
              changes: [
                { field: 'requests.memory', from: '1Gi', to: '1536Mi', percent: 50, agentSupplied: false },
              ],
            },
          ],
          diff: diff('1', '1'),
          impact: { pods: 1, restartRequired: true, hpa: false },
          risk: { level: 'MEDIUM', reasons: ['a StatefulSet restarts one pod at a time'] },
        },
      ],
      risk: { level: 'MEDIUM', reasons: ['4 pods restart'] },
      monthlyCostDelta: -18.4,
      evidence: { source: 'http://prometheus.monitoring:9090', missing: [] },
      agentReason: reason,
      usage: [
        usageHistory({ oomDaysAgo: [3, 9], throttledMax: 0.4 }),
        usageHistory({
          container: 'sidecar',
          cpu: 0.01,
          memoryMiB: 40,
          current: { requests: { cpu: 0.1, memory: 64 * MiB }, limits: {} },
          seed: 3,
        }),
        usageHistory({
          kind: 'StatefulSet',
          name: 'postgres',
          container: 'db',
          cpu: 0.6,
          memoryMiB: 1200,
          current: { requests: { cpu: 1, memory: 1024 * MiB }, limits: { memory: 2048 * MiB } },
          oomDaysAgo: [5],
          seed: 5,
        }),
      ],
    },
  };
}

/** A pod name with markup in it: the page must show these characters, and no image may appear. */
export const HOSTILE_POD = 'api-7d9f-<img src=x onerror="window.krrPwned=1">';

/**
 * The same change where the cluster resizes pods in place (Kubernetes ≥ 1.33): the api's pods are offered
 * the resize (one without a restart, one restarting its sidecar); postgres is not, its pod would change
 * QoS class, so its pods roll out all the same.
 */
export function approvalViewWithResize(): ApprovalView {
  const request = harnessRequest('short');
  request.resizeOption = { planHash: 'hash-resize' };
  const [api, postgres] = request.details!.workloads;
  api!.inPlaceResize = {
    offered: true,
    pods: [
      {
        name: HOSTILE_POD,
        outcome: 'in-place',
        reason: 'resized in place, no container restarts',
        restartingContainers: [],
        qosBefore: 'Burstable',
        qosAfter: 'Burstable',
      },
      {
        name: 'api-7d9f-k2x',
        outcome: 'restarts-container',
        reason: 'resized in place; sidecar restarts (resizePolicy RestartContainer)',
        restartingContainers: ['sidecar'],
        qosBefore: 'Burstable',
        qosAfter: 'Burstable',
      },
    ],
  };
  const qos =
    'its QoS class would change from Guaranteed to Burstable, and Kubernetes resizes a pod in place only within its QoS class';
  postgres!.inPlaceResize = {
    offered: false,
    reason: `pod postgres-0 cannot be resized in place: ${qos}`,
    pods: [
      {
        name: 'postgres-0',
        outcome: 'not-possible',
        reason: qos,
        restartingContainers: [],
        qosBefore: 'Guaranteed',
        qosAfter: 'Burstable',
      },
    ],
  };
  return approvalViewOf(request);
}

function item(name: string, container: string, severity: RecommendationItem['severity']): RecommendationItem {
  return {
    id: `prod-eu/shop/Deployment/${name}/${container}`,
    namespace: 'shop',
    kind: 'Deployment',
    name,
    container,
    severity,
    pods_running: 3,
    pods_deleted: 0,
    current: { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: null, memory: '1Gi' } },
    recommended: { requests: { cpu: '250m', memory: '384Mi' }, limits: { cpu: null, memory: '384Mi' } },
    info: { cpu: null, memory: null },
    warnings: [],
    hpa: false,
    monthly_savings_usd: 21.5,
  };
}

export function detailsViewWithCharts(): DetailsView {
  return detailsView(
    [item('api', 'app', 'CRITICAL'), item('api', 'sidecar', 'OK')],
    [usageHistory({ oomDaysAgo: [4], throttledMax: 0.3 })],
  );
}
