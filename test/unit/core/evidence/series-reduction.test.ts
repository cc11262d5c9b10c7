import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Series } from '../../../../src/core/prometheus/series.js';
import {
  boundPoints,
  maxPerTime,
  oomKillTimes,
  pointsByPodContainer,
  counterRises,
} from '../../../../src/core/evidence/series-reduction.js';
import type { SeriesPoint } from '../../../../src/core/evidence/usage-history-model.js';

const series = (metric: Record<string, string>, points: SeriesPoint[]): Series => ({
  metric,
  timestamps: points.map(([t]) => t),
  values: points.map(([, v]) => v),
});
const labels = (pod: string, extra: Record<string, string> = {}) => ({
  namespace: 'shop',
  pod,
  container: 'app',
  ...extra,
});

test('range results are filed by namespace/pod/container; duplicates merge by the highest value per time', () => {
  const byPod = pointsByPodContainer([
    series(labels('a', { job: 'kubelet' }), [
      [100, 1],
      [200, 5],
    ]),
    series(labels('a', { job: 'other' }), [
      [100, 3],
      [200, 2],
      [300, 4],
    ]),
    series(labels('b'), [[100, 7]]),
    // No container label: not a container's series.
    series({ namespace: 'shop', pod: 'a' }, [[100, 99]]),
  ]);
  assert.deepEqual([...byPod.keys()].sort(), ['shop/a/app', 'shop/b/app']);
  assert.deepEqual(byPod.get('shop/a/app'), [
    [100, 3],
    [200, 5],
    [300, 4],
  ]);
});

test("kube-state-metrics' pod label can be another one (krr's KRR_RELATED_POD_LABEL)", () => {
  const byPod = pointsByPodContainer(
    [series({ namespace: 'shop', pod: 'ksm-0', exported_pod: 'web-1', container: 'app' }, [[100, 1]])],
    'exported_pod',
  );
  assert.deepEqual([...byPod.keys()], ['shop/web-1/app']);
});

test('a container is the worst of its pods at each time; NaN and infinities (0/0 ratios) are left out', () => {
  const merged = maxPerTime([
    [
      [100, 0.2],
      [200, 0.5],
      [300, NaN],
    ],
    [
      [100, 0.4],
      [200, 0.1],
      [300, 0.3],
      [400, Infinity],
    ],
    // A deleted pod's points end early; a new pod's begin late: the union covers the window.
    [[500, 0.05]],
  ]);
  assert.deepEqual(merged, [
    [100, 0.4],
    [200, 0.5],
    [300, 0.3],
    [500, 0.05],
  ]);
});

test('bounding points keeps the highest of each bucket: a peak survives any bound', () => {
  const points: SeriesPoint[] = Array.from({ length: 1000 }, (_, i) => [i * 60, i === 777 ? 50 : 1]);
  for (const max of [300, 100, 7]) {
    const bounded = boundPoints(points, max);
    assert.ok(bounded.length <= max, `${bounded.length} > ${max}`);
    assert.ok(
      bounded.some(([t, v]) => t === 777 * 60 && v === 50),
      `peak lost at ${max}`,
    );
    assert.deepEqual(
      bounded.map(([t]) => t),
      [...bounded.map(([t]) => t)].sort((a, b) => a - b),
      'in time order',
    );
  }
  assert.deepEqual(boundPoints(points.slice(0, 3), 300), points.slice(0, 3));
});

test('restarts: only rises inside the window count, with their times', () => {
  // Present at the window start with 4 restarts from before: not counted.
  assert.deepEqual(
    counterRises(
      [
        [1000, 4],
        [1300, 4],
        [1600, 6],
        [1900, 7],
      ],
      1000,
    ),
    { total: 3, times: [1600, 1900] },
  );
  // A pod that appears after the start brought its restarts into the window.
  assert.deepEqual(
    counterRises(
      [
        [1600, 1],
        [1900, 1],
      ],
      1000,
    ),
    { total: 1, times: [1600] },
  );
  // A reset is a new baseline, not a negative restart.
  assert.deepEqual(
    counterRises(
      [
        [1000, 3],
        [1300, 0],
        [1600, 1],
      ],
      1000,
    ),
    { total: 1, times: [1600] },
  );
  assert.deepEqual(counterRises([], 1000), { total: 0, times: [] });
});

test('OOM kills: the reason series appearing, and restarts while the last reason is OOMKilled', () => {
  const window = { start: 1000, stepSeconds: 300 };
  // Appears at 1900 with a restart: one kill (not two). Restarts again at 2500 while still OOMKilled: a second.
  const reason: SeriesPoint[] = [
    [1900, 1],
    [2200, 1],
    [2500, 1],
    [2800, 1],
  ];
  assert.deepEqual(oomKillTimes(reason, [1900, 2500], window), [1900, 2500]);
  // Without a restart counter the first appearance still counts.
  assert.deepEqual(oomKillTimes(reason, [], window), [1900]);
});

test('OOM kills: a reason already present at the window start is an older kill; a reappearance is a new one', () => {
  const window = { start: 1000, stepSeconds: 300 };
  const reason: SeriesPoint[] = [
    [1000, 1],
    [1300, 1],
    // Gone from 1600 to 2200 (another reason came last), back at 2500: killed again.
    [2500, 1],
  ];
  assert.deepEqual(oomKillTimes(reason, [], window), [2500]);
  // Restarts while the last reason is something else (the series absent) are not OOM kills.
  assert.deepEqual(oomKillTimes(reason, [1900, 2200], window), [2500]);
  // A zero value is kube-state-metrics saying "not this reason".
  assert.deepEqual(
    oomKillTimes(
      [
        [1300, 0],
        [1600, 1],
      ],
      [],
      window,
    ),
    [1600],
  );
});
