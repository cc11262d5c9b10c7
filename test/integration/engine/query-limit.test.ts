import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { loadKubeTarget, type KubeTarget } from '../../../src/core/kube/kubeconfig.js';
import { PrometheusClient } from '../../../src/core/prometheus/client.js';
import { QuerySlots } from '../../../src/core/prometheus/query-slots.js';
import { parseStrategyConfig } from '../../../src/core/recommend/settings.js';
import { scanCluster, type ScanOptions } from '../../../src/core/scan/scanner.js';
import { startEngineEnvironment, type EngineEnvironment } from '../../support/engine-environment.js';
import { alignedEndTime, engineTestCluster } from '../../support/fixture/engine-test-cluster.js';
import { startGatedProxy, type GatedProxy } from '../../support/prometheus/gated-proxy.js';

// The scan's usage queries (the series index and the cAdvisor reads, where a scan's Prometheus time goes)
// pass one limit: at most `concurrency` in flight over all its batches, and, when several scans share one
// limit (a fleet's clusters in one Prometheus), over all of them together. A proxy in front of the real
// Prometheus counts what was really open at once; it holds nothing back.

const end = alignedEndTime();
let env: EngineEnvironment;
let target: KubeTarget;

before(async () => {
  env = await startEngineEnvironment(engineTestCluster(end));
  target = loadKubeTarget({ kubeconfig: env.kubeconfig, env: {} });
});
after(async () => {
  await env?.stop();
});

const isUsageQuery = (path: string, body: string) =>
  path.startsWith('/api/v1/series') ||
  /container_cpu_usage_seconds_total|container_memory_working_set_bytes/.test(body);

async function scanThroughProxy(extra: Partial<ScanOptions>[]) {
  const proxy: GatedProxy = await startGatedProxy(env.prometheus.url, () => false);
  try {
    const results = await Promise.all(
      extra.map((options) =>
        scanCluster(target, new PrometheusClient({ url: proxy.url }), {
          strategy: parseStrategyConfig('simple', {}),
          minimums: { cpu_min_value: 10, memory_min_value: 100 },
          namespaces: [],
          kinds: [],
          time: end,
          concurrency: 4,
          ...options,
        }),
      ),
    );
    return { results, maxUsage: proxy.maxInFlight(isUsageQuery) };
  } finally {
    await proxy.stop();
  }
}

let baseline: Awaited<ReturnType<typeof scanCluster>>;

test("a scan's own limit: at most `concurrency` usage queries in flight over all its batches", async () => {
  const { results, maxUsage } = await scanThroughProxy([{}]);
  baseline = results[0]!;
  assert.ok(maxUsage >= 1 && maxUsage <= 4, `at most 4 in flight, saw ${maxUsage}`);
});

test('a limit of 1 given to the scan holds: one usage query at a time, and the same rows', async () => {
  const { results, maxUsage } = await scanThroughProxy([{ querySlots: new QuerySlots(1) }]);
  assert.equal(maxUsage, 1);
  assert.deepEqual(results[0]!.result.scans, baseline.result.scans);
});

test('two scans sharing one limit of 2 never have more than 2 usage queries in flight together', async () => {
  const shared = new QuerySlots(2);
  const { results, maxUsage } = await scanThroughProxy([{ querySlots: shared }, { querySlots: shared }]);
  assert.ok(maxUsage <= 2, `at most 2 in flight over both scans, saw ${maxUsage}`);
  for (const r of results) assert.deepEqual(r.result.scans, baseline.result.scans);
});
