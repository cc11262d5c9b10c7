import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Series } from '../../../../src/core/prometheus/client.js';
import { loadRiskSignals, loadUsageHistory } from '../../../../src/core/evidence/usage-history.js';
import { at, container, HOURS, prometheus, series, TIME, window } from './prometheus-double.js';

// The loader over a Prometheus double that answers each query from hand-made series: what is asked (how
// many queries, which pods), and how the answers become one chart per container.

const options = { time: TIME, historyHours: HOURS, cpuPercentile: 95, memoryBufferPercent: 15 };

test("each container's chart is the worst of its own pods per point; other pods never leak in", async () => {
  const { client } = prometheus({
    cpu: [
      series('web-a', [0.1, 0.5, 0.2]),
      series('web-b', [0.3, 0.1, 0.2]),
      // Not a pod of web (a decoy whose name an unescaped regex would match).
      series('webxa', [9, 9, 9]),
    ],
    memory: [series('web-a', [100, 300, 200]), series('web-b', [150, 100, 250])],
  });
  const web = container('web', ['web-a', 'web-b']);
  const history = (await loadUsageHistory(client, [web], options)).get('shop/Deployment/web/app')!;
  assert.deepEqual(history.cpu.series, [
    [at(0), 0.3],
    [at(1), 0.5],
    [at(2), 0.2],
  ]);
  assert.deepEqual(history.memory.series, [
    [at(0), 150],
    [at(1), 300],
    [at(2), 250],
  ]);
  assert.equal(history.memory.peak, 300, "the series' highest point when the scan's peak is not given");
  assert.deepEqual(history.window, { start: window.start, end: window.end, stepSeconds: window.stepSeconds });
  assert.deepEqual(history.current, web.current);
  assert.equal(history.throttling, null, 'no CFS series: throttling unknown');
  assert.equal(history.restarts, null, 'no restart counter: restarts unknown');
  assert.equal(history.signals.atRisk, false);
});

test('a backend that answers more points than asked is bounded, and the peak kept', async () => {
  const many = Array.from({ length: 2000 }, (_, k) => (k === 1234 ? 42 : 1));
  const { client } = prometheus({
    cpu: [
      {
        metric: { namespace: 'shop', pod: 'web-a', container: 'app' },
        timestamps: many.map((_, k) => k),
        values: many,
      },
    ],
  });
  const history = (
    await loadUsageHistory(client, [container('web', ['web-a'])], { ...options, maxPoints: 50 })
  ).get('shop/Deployment/web/app')!;
  assert.ok(history.cpu.series.length <= 50);
  assert.ok(history.cpu.series.some(([, v]) => v === 42));
});

test("the scan's readings are reused: no percentile query when every container has its p95", async () => {
  const covered = container('web', ['web-a'], { observed: { cpuP95Cores: 0.321, memoryPeakBytes: 999 } });
  const reused = prometheus({ memory: [series('web-a', [100, 200])] });
  const history = (await loadUsageHistory(reused.client, [covered], options)).get('shop/Deployment/web/app')!;
  assert.equal(history.cpu.percentile, 95);
  assert.equal(history.cpu.percentileValue, 0.321);
  assert.equal(history.memory.peak, 999);
  assert.equal(history.memory.bufferPercent, 15);
  assert.equal(reused.asked.filter((q) => q.kind === 'instant').length, 0);

  // Another percentile than the scan's p95 is computed, as the simple strategy does (max over pods).
  const computed = prometheus({}, [
    { metric: { namespace: 'shop', pod: 'web-a', container: 'app' }, value: 0.2 },
    { metric: { namespace: 'shop', pod: 'web-b', container: 'app' }, value: 0.4 },
    { metric: { namespace: 'shop', pod: 'other', container: 'app' }, value: 9 },
  ]);
  const p90 = (
    await loadUsageHistory(
      computed.client,
      [{ ...covered, pods: [...covered.pods, { name: 'web-b', deleted: true }] }],
      {
        ...options,
        cpuPercentile: 90,
      },
    )
  ).get('shop/Deployment/web/app')!;
  assert.equal(p90.cpu.percentileValue, 0.4);
  const instant = computed.asked.filter((q) => q.kind === 'instant');
  assert.equal(instant.length, 1);
  assert.match(
    instant[0]!.query,
    /^quantile_over_time\(0\.9, max\(rate\(container_cpu_usage_seconds_total\{/,
  );
  assert.match(instant[0]!.query, /\[1440m:75s\]\)$/, "krr's window and step");
});

test('signals only: three queries for a batch, one more for HPAs that scale these workloads', async () => {
  const web = container('web', ['web-a', 'web-b']);
  const plain = prometheus({});
  await loadRiskSignals(plain.client, [web], { time: TIME, historyHours: HOURS });
  assert.equal(plain.asked.length, 3);

  const full = prometheus({});
  await loadUsageHistory(full.client, [web], options);
  assert.equal(full.asked.length, 6, 'cpu, memory, throttling, OOM, restarts and the percentile');

  const withHpa = prometheus({});
  const hpaTargets = [
    { namespace: 'shop', name: 'web-autoscaler', target: { kind: 'Deployment', name: 'web' } },
    { namespace: 'shop', name: 'unrelated', target: { kind: 'Deployment', name: 'elsewhere' } },
  ];
  await loadRiskSignals(withHpa.client, [web], { time: TIME, historyHours: HOURS, hpaTargets });
  const hpa = withHpa.asked.filter((q) => q.query.includes('horizontalpodautoscaler'));
  assert.equal(hpa.length, 1);
  assert.match(hpa[0]!.query, /horizontalpodautoscaler=~"web-autoscaler"/);
});

test('an HPA is matched to its workload by scaleTargetRef, not by its name', async () => {
  const { client } = prometheus({
    hpa: [
      {
        metric: { namespace: 'shop', horizontalpodautoscaler: 'web-autoscaler' },
        timestamps: [at(5)],
        values: [4],
      },
    ],
  });
  const hpaTargets = [
    { namespace: 'shop', name: 'web-autoscaler', target: { kind: 'Deployment', name: 'web' } },
    { namespace: 'shop', name: 'api', target: { kind: 'Deployment', name: 'calm' } },
  ];
  const signals = await loadRiskSignals(client, [container('web', ['web-a']), container('api', ['api-a'])], {
    time: TIME,
    historyHours: HOURS,
    hpaTargets,
  });
  assert.equal(signals.get('shop/Deployment/web/app')!.hpaAtMax, true);
  assert.match(signals.get('shop/Deployment/web/app')!.reasons[0]!, /web-autoscaler/);
  assert.equal(signals.get('shop/Deployment/api/app')!.hpaAtMax, false);
});

test('throttling, restarts and OOM kills become signals', async () => {
  const { client } = prometheus({
    throttling: [series('web-a', [0.1, 0.3, NaN]), series('web-b', [0.05, 0.2, 0.1])],
    // web-a: +1 at 1, +2 at 2 (the 2 from before the window do not count); web-b: +1 at 2.
    restarts: [series('web-a', [2, 3, 5]), series('web-b', [0, 0, 1])],
    oom: [series('web-a', [1, 1, 1])],
  });
  const signals = (
    await loadRiskSignals(client, [container('web', ['web-a', 'web-b'])], { time: TIME, historyHours: HOURS })
  ).get('shop/Deployment/web/app')!;
  assert.equal(signals.throttledMax, 0.3, 'the highest of its pods');
  assert.equal(signals.restarts, 4);
  // OOMKilled was web-a's last reason already at the start; both of its restarts happened under it.
  assert.equal(signals.oomKilled, true);
  assert.match(signals.reasons[0]!, /^OOM-killed 2 times/);
});

test('the signals read the same throttling points as the chart, so they always agree', async () => {
  const web = container('web', ['web-a', 'web-b']);
  const answers = { throttling: [series('web-a', [0.1, 0.7, NaN]), series('web-b', [0.2, 0.1, 0.3])] };
  const history = (await loadUsageHistory(prometheus(answers).client, [web], options)).get(
    'shop/Deployment/web/app',
  )!;
  assert.deepEqual(history.throttling, {
    series: [
      [at(0), 0.2],
      [at(1), 0.7],
      [at(2), 0.3],
    ],
    max: 0.7,
  });
  const signals = (
    await loadRiskSignals(prometheus(answers).client, [web], { time: TIME, historyHours: HOURS })
  ).get('shop/Deployment/web/app')!;
  assert.deepEqual(signals, history.signals);
  assert.equal(signals.throttledMax, 0.7);
});

test("a Prometheus that keeps less than the window: restarts from before its first sample don't count", async () => {
  const late = (pod: string, values: number[], from: number): Series => ({
    metric: { namespace: 'shop', pod, container: 'app' },
    timestamps: values.map((_, k) => at(from + k)),
    values,
  });
  const { client } = prometheus({
    // The data begins at point 100: web-a had 7 restarts by then; web-b started at 150 with 1 already.
    restarts: [late('web-a', [7, 7, 8], 100), late('web-b', [1, 2], 150)],
  });
  const signals = (
    await loadRiskSignals(client, [container('web', ['web-a', 'web-b'])], { time: TIME, historyHours: HOURS })
  ).get('shop/Deployment/web/app')!;
  assert.equal(signals.restarts, 3, 'web-a +1; web-b its first 1 (it started inside the data) and +1');
});
