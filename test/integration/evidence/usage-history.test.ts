import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { loadScanHistory } from '../../../src/core/evidence/scan-history.js';
import { loadScanSignals } from '../../../src/core/evidence/scan-signals.js';
import type { ContainerUsageHistory } from '../../../src/core/evidence/usage-history-model.js';
import { loadKubeTarget, type KubeTarget } from '../../../src/core/kube/kubeconfig.js';
import { PrometheusClient } from '../../../src/core/prometheus/client.js';
import type { ScanResult } from '../../../src/core/recommend/model.js';
import { parseStrategyConfig } from '../../../src/core/recommend/settings.js';
import { scanCluster, type ObservedUsage } from '../../../src/core/scan/scanner.js';
import { startEngineEnvironment, type EngineEnvironment } from '../../support/engine-environment.js';
import { HOUR, MiB, riskEndTime, riskSignalsCluster } from '../../support/fixture/risk-signals-cluster.js';

// The history loader and the risk signals against the real Prometheus, backfilled from the risk-signals
// fixture, and the Kubernetes API simulator (for the HPAs' scaleTargetRef). Every moment in the fixture is
// on a chart step, so times and counts are exact.

let env: EngineEnvironment;
let kube: KubeTarget;
let client: PrometheusClient;
let result: ScanResult;
let observed: Map<string, ObservedUsage>;
let histories: Map<string, ContainerUsageHistory>;
let historyQueries: number;

const KEYS = [
  'shop/Deployment/api/app',
  'shop/StatefulSet/cache/redis',
  'shop/Deployment/worker/app',
  'shop/Deployment/web/app',
  'shop/Deployment/calm.v1/app',
  'shop/Deployment/calmxv1/app',
];

before(async () => {
  env = await startEngineEnvironment(riskSignalsCluster(riskEndTime()));
  kube = loadKubeTarget({ kubeconfig: env.kubeconfig });
  client = new PrometheusClient({ url: env.prometheus.url });
  ({ result, observed } = await scanCluster(kube, client, {
    strategy: parseStrategyConfig('simple', { history_duration: 24 }),
    minimums: { cpu_min_value: 10, memory_min_value: 100 },
    namespaces: ['shop'],
    kinds: [],
    time: env.cluster.endTime,
  }));
  const before = client.queryCount;
  const loaded = await loadScanHistory(kube, client, result, KEYS, { time: env.cluster.endTime, observed });
  historyQueries = client.queryCount - before;
  histories = new Map(loaded.map((h) => [h.key, h]));
});
after(async () => {
  await env?.stop();
});

const history = (key: string) => {
  const found = histories.get(key);
  assert.ok(found, `no history for ${key}`);
  return found;
};
/** Hours after the window start of each time. */
const hours = (h: ContainerUsageHistory, times: number[]) => times.map((t) => (t - h.window.start) / HOUR);
const valueAt = (points: Array<[number, number]>, time: number) => points.find(([t]) => t === time)?.[1];

describe('usage history', () => {
  test('one history per asked container, at chart resolution over the whole day', () => {
    assert.deepEqual([...histories.keys()], KEYS);
    const api = history('shop/Deployment/api/app');
    assert.deepEqual(api.window, {
      start: env.cluster.endTime - 24 * HOUR,
      end: env.cluster.endTime,
      stepSeconds: 300,
    });
    for (const h of histories.values()) {
      assert.ok(h.cpu.series.length >= 287 && h.cpu.series.length <= 289, `${h.key}: ${h.cpu.series.length}`);
      assert.ok(h.memory.series.length <= 300);
    }
  });

  test("CPU is the worst pod's at each point; the strategy's readings are the scan's", () => {
    const api = history('shop/Deployment/api/app');
    // 7 h: pod b's burst (0.35) is the container's value; 3 h: both pods at 0.15.
    assert.ok(Math.abs(valueAt(api.cpu.series, api.window.start + 7 * HOUR)! - 0.35) < 1e-9);
    assert.ok(Math.abs(valueAt(api.cpu.series, api.window.start + 3 * HOUR)! - 0.15) < 1e-9);
    assert.equal(api.cpu.percentile, 95);
    assert.equal(api.cpu.percentileValue, observed.get('shop/Deployment/api/app')!.cpuP95Cores);
    assert.ok(Math.abs(api.cpu.percentileValue! - 0.35) < 1e-9, 'two hours of 24 are above p95');
    assert.equal(api.memory.peak, 181 * MiB, "pod b's 30-minute plateau");
    assert.equal(Math.max(...api.memory.series.map(([, v]) => v)), 181 * MiB, 'the chart keeps the peak');
    assert.equal(api.memory.bufferPercent, 15);
    assert.deepEqual(api.current, { requests: { cpu: 0.2, memory: 256 * MiB }, limits: { cpu: 0.4 } });
  });

  test('a throttled container: the highest share of its pods, above the threshold', () => {
    const api = history('shop/Deployment/api/app');
    assert.ok(api.throttling);
    assert.ok(Math.abs(api.throttling.max - 0.6) < 1e-6, String(api.throttling.max));
    assert.ok(Math.abs(valueAt(api.throttling.series, api.window.start + 3 * HOUR)! - 0.05) < 1e-6);
    assert.equal(api.signals.atRisk, true);
    assert.deepEqual(api.signals.reasons, [
      'CPU throttled in up to 60% of its CFS periods in the last day (above 25%)',
    ]);
  });

  test('an OOM-killed container: both kills, the second read from the restart counter', () => {
    const cache = history('shop/StatefulSet/cache/redis');
    assert.deepEqual(hours(cache, cache.oomKills), [10, 14]);
    assert.deepEqual(cache.restarts && { ...cache.restarts, times: hours(cache, cache.restarts.times) }, {
      total: 2,
      times: [10, 14],
    });
    assert.equal(cache.throttling, null, 'no CPU quota: cAdvisor has no CFS series');
    assert.equal(cache.signals.oomKilled, true);
    assert.equal(cache.signals.restarts, 2);
    assert.match(
      cache.signals.reasons.join('\n'),
      /^OOM-killed 2 times in the last day \(last seen at .* UTC\)$/,
    );
    assert.doesNotMatch(
      cache.signals.reasons.join('\n'),
      /restarted/,
      'two restarts are below the threshold',
    );
  });

  test('a restarting container: restarts of a replaced pod and its successor, none from before the window', () => {
    const worker = history('shop/Deployment/worker/app');
    assert.ok(worker.restarts);
    assert.equal(worker.restarts.total, 4);
    assert.deepEqual(hours(worker, worker.restarts.times), [1, 3, 12, 20]);
    assert.deepEqual(worker.oomKills, []);
    assert.equal(worker.signals.atRisk, true);
    assert.deepEqual(worker.signals.reasons, ['restarted 4 times in the last day']);
  });

  test("an HPA at its maximum, found by its scaleTargetRef; another HPA's name does not mislead", () => {
    const web = history('shop/Deployment/web/app');
    assert.equal(web.signals.hpaAtMax, true);
    assert.deepEqual(web.signals.reasons, [
      'its HorizontalPodAutoscaler web-autoscaler sat at its maximum replicas in the last day: it could not scale out further',
    ]);
    // The HPA named "web" scales calm.v1 and never reaches its maximum.
    assert.equal(history('shop/Deployment/calm.v1/app').signals.hpaAtMax, false);
  });

  test('a calm container stays calm though an unescaped regex would read its troubled decoy', () => {
    const calm = history('shop/Deployment/calm.v1/app');
    assert.equal(calm.signals.atRisk, false);
    assert.ok(Math.abs(calm.signals.throttledMax! - 0.02) < 1e-6);
    assert.equal(calm.signals.restarts, 0);
    assert.deepEqual(calm.oomKills, []);
    const decoy = history('shop/Deployment/calmxv1/app');
    assert.equal(decoy.signals.atRisk, true);
    assert.equal(decoy.signals.reasons.length, 3);
  });

  test('few queries: one batch of five range queries (the scan gave the p95) and one for the HPAs', () => {
    assert.equal(historyQueries, 6);
  });
});

describe('risk signals of a whole scan', () => {
  test('four queries, the same signals as the full history', async () => {
    const before = client.queryCount;
    const { signals, problems } = await loadScanSignals(kube, client, result.scans, {
      time: env.cluster.endTime,
      historyHours: 24,
    });
    assert.equal(client.queryCount - before, 4);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      [...signals]
        .filter(([, s]) => s.atRisk)
        .map(([key]) => key)
        .sort(),
      KEYS.filter((k) => k !== 'shop/Deployment/calm.v1/app').sort(),
    );
    for (const key of KEYS) assert.deepEqual(signals.get(key), history(key).signals, key);
  });
});
