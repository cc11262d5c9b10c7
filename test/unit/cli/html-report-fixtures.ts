// A scan result and the usage histories behind it, for the HTML report's tests (unit and E2E). One name
// carries markup and a bidi override: a report must show both as text, whatever produced them.
import type { ContainerUsageHistory } from '../../../src/core/evidence/usage-history-model.js';
import type { ResourceScan, ScanResult } from '../../../src/core/recommend/model.js';
import { usageHistory } from '../extension/approval/usage-fixtures.js';

const MiB = 1024 * 1024;
export const HOSTILE_NAME = 'x</script><img src=x onerror="window.krrCanary=1">\u202Egnp.exe';

function scan(namespace: string, name: string, container: string, cpu: number, memory: number): ResourceScan {
  return {
    object: {
      cluster: null,
      name,
      container,
      pods: [
        { name: `${name}-1`, deleted: false },
        { name: `${name}-2`, deleted: false },
      ],
      hpa: null,
      namespace,
      kind: 'Deployment',
      allocations: {
        requests: { cpu: 0.5, memory: 512 * MiB },
        limits: { cpu: null, memory: 1024 * MiB },
        info: {},
      },
      warnings: [],
      labels: null,
      annotations: null,
    },
    recommended: {
      requests: { cpu: { value: cpu, severity: 'WARNING' }, memory: { value: memory, severity: 'CRITICAL' } },
      limits: { cpu: { value: null, severity: 'OK' }, memory: { value: memory, severity: 'CRITICAL' } },
      info: { cpu: null, memory: null },
    },
    severity: 'CRITICAL',
  };
}

export const reportScan: ScanResult = {
  scans: [
    scan('shop', 'api', 'app', 0.25, 384 * MiB),
    scan('shop', 'api', 'sidecar', 0.02, 64 * MiB),
    scan('batch', HOSTILE_NAME, 'worker', 0.1, 256 * MiB),
  ],
  score: 41,
  resources: ['cpu', 'memory'],
  description: 'report fixture',
  strategy: { name: 'simple', settings: {} },
  errors: [],
  clusterSummary: {},
  config: {},
};

// Keyed as the scan command keys them (scanRowKey): the row's cluster (none here), then the container.
export const reportHistories: ContainerUsageHistory[] = [
  usageHistory({ oomDaysAgo: [2, 8], throttledMax: 0.45 }),
  usageHistory({ container: 'sidecar', cpu: 0.01, memoryMiB: 40, seed: 3 }),
  usageHistory({
    namespace: 'batch',
    name: HOSTILE_NAME,
    container: 'worker',
    cpu: 0.08,
    memoryMiB: 200,
    seed: 11,
  }),
].map((h) => ({ ...h, key: `/${h.key}` }));
