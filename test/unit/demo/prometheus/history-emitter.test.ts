import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FixtureCluster } from '../../../../src/demo/cluster-model.js';
import { HistoryEmitter } from '../../../../src/demo/prometheus/history-emitter.js';
import type { Labels, SeriesSink } from '../../../../src/demo/prometheus/series-sink.js';

const END = 1_700_000_100;
const cluster = (prometheusLabels?: Record<string, string>): FixtureCluster => ({
  name: 'emitter-test',
  namespaces: [],
  workloads: [],
  hpas: [],
  rolloutsCrd: false,
  endTime: END,
  historySeconds: 300,
  scrapeIntervalSeconds: 30,
  ...(prometheusLabels ? { prometheusLabels } : {}),
});

interface Recorded {
  name: string;
  labels: Labels;
  samples: Array<[number, number]>;
}

class RecordingSink implements SeriesSink {
  readonly recorded: Recorded[] = [];
  family(): void {}
  series(
    name: string,
    labels: Labels,
    first: number,
    step: number,
    values: Float64Array,
    count: number,
  ): void {
    const samples = Array.from({ length: count }, (_, i): [number, number] => [first + i * step, values[i]!]);
    this.recorded.push({ name, labels, samples });
  }
}

describe('HistoryEmitter', () => {
  const start = END - 300;

  test('samples constants, gauges and counters at the scrape interval over their span', () => {
    const sink = new RecordingSink();
    const out = new HistoryEmitter(sink, cluster());
    out.constant({ name: 'c', labels: {} }, 7, out.span(60, 150));
    out.gauge(
      { name: 'g', labels: {} },
      [
        { fromSecond: -100, value: 1 },
        { fromSecond: 100, value: 2 },
      ],
      out.wholeHistory,
    );
    // 0.5 cores from 45 s before the first sample: the counter starts at 1000 + 22.5.
    out.counter({ name: 'k', labels: {} }, [{ fromSecond: -45, value: 0.5 }], -45, out.span(0, 91));
    assert.deepEqual(sink.recorded[0]!.samples, [
      [start + 60, 7],
      [start + 90, 7],
      [start + 120, 7],
    ]);
    assert.deepEqual(
      sink.recorded[1]!.samples.map(([, v]) => v),
      [1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2],
    );
    assert.deepEqual(sink.recorded[2]!.samples, [
      [start, 1022.5],
      [start + 30, 1037.5],
      [start + 60, 1052.5],
      [start + 90, 1067.5],
    ]);
    assert.deepEqual([out.series, out.samples], [3, 18]);
  });

  test('counts without a sink exactly what it would have written', () => {
    const out = new HistoryEmitter(undefined, cluster());
    out.constant({ name: 'c', labels: {} }, 7, out.span(60, 150));
    out.constant({ name: 'none', labels: {} }, 7, out.span(400, 500));
    assert.deepEqual([out.series, out.samples], [1, 3]);
  });

  test("puts the cluster's own labels after the series' own, and refuses a clash", () => {
    const sink = new RecordingSink();
    const out = new HistoryEmitter(sink, cluster({ cluster: 'west' }));
    out.constant({ name: 'c', labels: { job: 'x' } }, 1, out.wholeHistory);
    assert.deepEqual(Object.entries(sink.recorded[0]!.labels), [
      ['job', 'x'],
      ['cluster', 'west'],
    ]);
    assert.throws(
      () => out.constant({ name: 'c', labels: { cluster: 'x' } }, 1, out.wholeHistory),
      /prometheusLabels.cluster collides/,
    );
  });
});
