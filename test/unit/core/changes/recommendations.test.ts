import assert from 'node:assert/strict';
import { test } from 'node:test';
import { changeRequestFromRecommendations } from '../../../../src/core/changes/recommendations.js';
import type { RecommendationValue, ResourceScan } from '../../../../src/core/recommend/model.js';

const MiB = 1024 ** 2;

function scan(
  name: string,
  container: string,
  values: { cpu: RecommendationValue; memory: RecommendationValue; cpuLimit: RecommendationValue },
  info: { cpu?: 'Not enough data' | null } = {},
): ResourceScan {
  const v = (value: RecommendationValue) => ({ value, severity: 'OK' as const });
  return {
    object: {
      cluster: null,
      name,
      container,
      pods: [],
      hpa: null,
      namespace: 'shop',
      kind: 'Deployment',
      allocations: { requests: { cpu: 1, memory: 1 }, limits: { cpu: 1, memory: 1 }, info: {} },
      warnings: [],
      labels: null,
      annotations: null,
    },
    recommended: {
      requests: { cpu: v(values.cpu), memory: v(values.memory) },
      limits: { cpu: v(values.cpuLimit), memory: v(values.memory) },
      info: { cpu: info.cpu ?? null, memory: null },
    },
    severity: 'OK',
  };
}

const idOf = (s: ResourceScan) =>
  `ctx/${s.object.namespace}/${s.object.kind}/${s.object.name}/${s.object.container}`;

test('requests and limits from krr rows, grouped per workload; a null CPU limit removes the existing one', () => {
  const scans = [
    scan('web', 'app', { cpu: 0.3, memory: 461 * MiB, cpuLimit: null }),
    scan('web', 'sidecar', { cpu: 0.005, memory: 23068672.4, cpuLimit: 0.01 }),
  ];
  const { request, skipped } = changeRequestFromRecommendations(scans, scans.map(idOf), idOf);
  assert.deepEqual(skipped, []);
  assert.deepEqual(request, {
    workloads: [
      {
        kind: 'Deployment',
        namespace: 'shop',
        name: 'web',
        containers: [
          {
            container: 'app',
            source: 'recommendation',
            recommendationId: 'ctx/shop/Deployment/web/app',
            requests: { cpu: '300m', memory: '461Mi' },
            limits: { cpu: null, memory: '461Mi' },
          },
          {
            container: 'sidecar',
            source: 'recommendation',
            recommendationId: 'ctx/shop/Deployment/web/sidecar',
            requests: { cpu: '5m', memory: '23068673' },
            limits: { cpu: '10m', memory: '23068673' },
          },
        ],
      },
    ],
  });
});

test('"?" values are skipped with the reason and leave that resource untouched', () => {
  const scans = [
    scan('web', 'app', { cpu: '?', memory: 256 * MiB, cpuLimit: '?' }, { cpu: 'Not enough data' }),
    scan('idle', 'app', { cpu: '?', memory: '?', cpuLimit: '?' }),
  ];
  const { request, skipped } = changeRequestFromRecommendations(scans, [...scans.map(idOf), 'missing'], idOf);
  assert.deepEqual(request?.workloads[0]?.containers[0], {
    container: 'app',
    source: 'recommendation',
    recommendationId: 'ctx/shop/Deployment/web/app',
    requests: { memory: '256Mi' },
    limits: { memory: '256Mi' },
  });
  assert.equal(request?.workloads.length, 1);
  assert.deepEqual(skipped, [
    {
      id: 'ctx/shop/Deployment/web/app',
      field: 'requests.cpu',
      reason: 'krr could not compute it (Not enough data); left unchanged',
    },
    {
      id: 'ctx/shop/Deployment/web/app',
      field: 'limits.cpu',
      reason: 'krr could not compute it (Not enough data); left unchanged',
    },
    {
      id: 'ctx/shop/Deployment/idle/app',
      field: 'requests.cpu',
      reason: 'krr could not compute it; left unchanged',
    },
    {
      id: 'ctx/shop/Deployment/idle/app',
      field: 'requests.memory',
      reason: 'krr could not compute it; left unchanged',
    },
    {
      id: 'ctx/shop/Deployment/idle/app',
      field: 'limits.cpu',
      reason: 'krr could not compute it; left unchanged',
    },
    { id: 'ctx/shop/Deployment/idle/app', reason: 'nothing krr could compute for this container' },
    { id: 'missing', reason: 'no recommendation with this id in the scan' },
  ]);
});
