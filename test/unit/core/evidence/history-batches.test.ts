import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chartWindow } from '../../../../src/core/evidence/history-queries.js';
import { loadRiskSignals } from '../../../../src/core/evidence/usage-history.js';
import { MAX_CHART_POINTS } from '../../../../src/core/evidence/usage-history-model.js';
import { container, HOURS, prometheus, TIME } from './prometheus-double.js';

// How the loader asks: windows with a bounded number of points, and batches that name their pods exactly.

test('the chart window never has more than the points asked for, on whole-minute steps', () => {
  for (const hours of [1, 6, 24, 72, 336, 720]) {
    for (const maxPoints of [MAX_CHART_POINTS, 120, 2, 10_000]) {
      const w = chartWindow(TIME, hours, maxPoints);
      const points = Math.floor((w.end - w.start) / w.stepSeconds) + 1;
      assert.ok(
        points <= Math.min(maxPoints, MAX_CHART_POINTS),
        `${hours} h, ${maxPoints}: ${points} points`,
      );
      assert.equal(w.stepSeconds % 60, 0);
      assert.ok(w.rangeSeconds >= w.stepSeconds, 'no usage between two points is skipped');
    }
  }
  assert.equal(chartWindow(TIME, 336).stepSeconds, 4080);
});

test('containers are batched under the regex limit, each query naming only its pods, escaped', async () => {
  const long = (prefix: string) =>
    Array.from({ length: 40 }, (_, i) => `${prefix}.${String(i).padStart(40, '0')}`);
  const { client, asked } = prometheus({});
  await loadRiskSignals(client, [container('a', long('a')), container('b', long('b')), container('c', [])], {
    time: TIME,
    historyHours: HOURS,
    batchLimits: { maxPodRegexLength: 2500, maxSeries: 2000 },
  });
  assert.equal(asked.length, 6, 'two batches of three queries; the container without pods costs nothing');
  for (const { query } of asked) {
    const pods = /pod=~"([^"]*)"/.exec(query)![1]!.split('|');
    assert.equal(pods.length, 40, 'one container per batch here');
    assert.equal(new Set(pods.map((p) => p[0])).size, 1, "a batch names only its own containers' pods");
    // In the query text a pod's dot is `\\.`: escaped for the regex, then for the PromQL string.
    for (const pod of pods) assert.match(pod, /^[ab]\\\\\.\d{40}$/);
  }
});

test('small containers of several namespaces share one batch: three queries for the signals of all', async () => {
  const { client, asked } = prometheus({});
  await loadRiskSignals(
    client,
    [
      container('web', ['web-a', 'web-b']),
      { ...container('api', ['api-a']), namespace: 'billing' },
      { ...container('web', ['web-a', 'web-b']), container: 'envoy' },
    ],
    { time: TIME, historyHours: HOURS },
  );
  assert.equal(asked.length, 3);
  for (const { query } of asked) {
    assert.match(query, /namespace=~"shop\|billing"/);
    assert.match(query, /pod=~"web-a\|web-b\|api-a"/, 'each pod named once');
    assert.match(query, /container=~"app\|envoy"/);
  }
});
