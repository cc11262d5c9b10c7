import type { RecommendationInfo, RecommendationValue } from '../../../src/core/recommend/model.js';
import { MiB } from '../../support/fixture/engine-test-cluster.js';

// Expected recommendations for engineTestCluster, worked out by hand from its numbers with krr's rules:
//   simple CPU request = max over pods of the pod's p95, rounded up to 1m, at least 10m; limit unset.
//   simple_limit CPU   = p66 / p96 of every pod's samples pooled.
//   memory             = max peak × 1.15 rounded up to 1 MiB, at least 100 MiB (request = limit).

export interface Expected {
  cpu: RecommendationValue;
  cpuLimit: RecommendationValue;
  memory: RecommendationValue;
  cpuInfo?: RecommendationInfo;
  memoryInfo?: RecommendationInfo;
  pods?: Array<[string, boolean]>;
  warnings?: string[];
}

const mem = (mib: number) => mib * MiB;

/** `simple` with default settings, keyed namespace/kind/name/container. */
export const SIMPLE: Record<string, Expected> = {
  // Pods' p95: 0.2995 (a), 0.2995 (b: a 2 h burst is < 5 % of 3 days), 0.3995 (c, deleted) → 0.3995 → 400m.
  // Peaks 301, 401 (10 min plateau), 201 MiB, and 601 MiB in pod a's duplicate series (merged by krr's
  // `max by`) → 601 × 1.15 = 691.15 → 692 MiB.
  'shop/Deployment/web/app': {
    cpu: 0.4,
    cpuLimit: null,
    memory: mem(692),
    pods: [
      ['web-5d8f7-aaaaa', false],
      ['web-5d8f7-bbbbb', false],
      ['web-6c4b2-ccccc', true],
    ],
  },
  // 0.0045 → 5m → the 10m minimum; 20 MiB × 1.15 = 23 MiB → the 100 MiB minimum.
  'shop/Deployment/web/sidecar': { cpu: 0.01, cpuLimit: null, memory: mem(100) },
  // 0.1495 → 150m; 1501 × 1.15 = 1726.15 → 1727 MiB.
  'shop/StatefulSet/postgres/postgres': {
    cpu: 0.15,
    cpuLimit: null,
    memory: mem(1727),
    pods: [['postgres-0', false]],
  },
  // The HPA scales on CPU: CPU is "?", memory 251 × 1.15 = 288.65 → 289 MiB.
  'shop/Deployment/checkout/app': { cpu: '?', cpuLimit: '?', cpuInfo: 'HPA detected', memory: mem(289) },
  // The HPA scales on memory: 0.0995 → 100m, memory "?".
  'shop/Deployment/cart/app': { cpu: 0.1, cpuLimit: null, memory: '?', memoryInfo: 'HPA detected' },
  // An HPA on an external metric only blocks nothing: 0.0495 → 50m; 111 × 1.15 = 127.65 → 128 MiB.
  'shop/Deployment/queue-consumer/app': { cpu: 0.05, cpuLimit: null, memory: mem(128) },
  // kube-state-metrics never saw it: pods from the API, warning NoPrometheusPods. 120m; 131 × 1.15 → 151 MiB.
  'shop/Deployment/legacy/app': {
    cpu: 0.12,
    cpuLimit: null,
    memory: mem(151),
    pods: [['legacy-7f-xxxxx', false]],
    warnings: ['NoPrometheusPods'],
  },
  // Known pod, no usage series.
  'shop/Deployment/idle/app': {
    cpu: '?',
    cpuLimit: '?',
    memory: '?',
    cpuInfo: 'No data',
    memoryInfo: 'No data',
    warnings: ['NoPrometheusCPUMetrics', 'NoPrometheusMemoryMetrics'],
  },
  // 100m; 101 × 1.15 = 116.15 → 117 MiB. Its decoy apixv2 must never leak in (1.5 cores, 901 MiB).
  'shop/Deployment/api.v2/app': { cpu: 0.1, cpuLimit: null, memory: mem(117) },
  'shop/Deployment/apixv2/app': { cpu: 1.5, cpuLimit: null, memory: mem(1037) },
  // Argo Rollout: 250m; 257 × 1.15 = 295.55 → 296 MiB.
  'shop/Rollout/canary/app': { cpu: 0.25, cpuLimit: null, memory: mem(296) },
  // Two 40-minute runs ≈ 72 points < 100.
  'batch/CronJob/nightly-report/report': {
    cpu: '?',
    cpuLimit: '?',
    memory: '?',
    cpuInfo: 'Not enough data',
    memoryInfo: 'Not enough data',
    pods: [
      ['nightly-report-28901-x1x', true],
      ['nightly-report-28902-x2x', true],
    ],
  },
  // A finished Job (its pod is gone): 800m; 701 × 1.15 = 806.15 → 807 MiB.
  'batch/Job/migrate-db/migrate': {
    cpu: 0.8,
    cpuLimit: null,
    memory: mem(807),
    pods: [['migrate-db-qwert', true]],
  },
  // Three pods: max p95 0.0495 → 50m; max peak 181 × 1.15 = 208.15 → 209 MiB.
  'monitoring/DaemonSet/log-agent/agent': { cpu: 0.05, cpuLimit: null, memory: mem(209) },
};

/** `simple_limit` differs only in CPU. */
export const SIMPLE_LIMIT_CPU: Record<string, [RecommendationValue, RecommendationValue]> = {
  // Pooled: ~6768 samples at 0.2995, ~1152 at 0.3995, ~96 at 0.5995, 48 at 0.9995 (the duplicate
  // series): p66 (rank ≈ 5322) → 0.2995, p96 (rank ≈ 7740 < 7920) → 0.3995.
  'shop/Deployment/web/app': [0.3, 0.4],
  'shop/Deployment/web/sidecar': [0.01, 0.01],
  'shop/StatefulSet/postgres/postgres': [0.15, 0.15],
  'shop/Deployment/cart/app': [0.1, 0.1],
  // Pods at 0.0195, 0.0295, 0.0495 in equal numbers: p66 → 0.0295 (30m), p96 → 0.0495 (50m).
  'monitoring/DaemonSet/log-agent/agent': [0.03, 0.05],
};
