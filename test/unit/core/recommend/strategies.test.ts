import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { HistoryData } from '../../../../src/core/recommend/history.js';
import { parseStrategyConfig } from '../../../../src/core/recommend/settings.js';
import { createStrategy } from '../../../../src/core/recommend/strategies/strategy.js';

// Hand-computed expectations for every branch of krr's two strategies. Values are chosen so that the
// arithmetic is easy to follow: peaks of 100 MiB, percentiles of a few plateaus.

const MiB = 1024 * 1024;
const pods = (entries: Record<string, number[]>) => new Map(Object.entries(entries));
const noHpa = { cpu: null, memory: null };

function simpleHistory(overrides: Partial<HistoryData> = {}): HistoryData {
  return {
    PercentileCPULoader: pods({ a: [0.2], b: [0.35] }),
    CPUAmountLoader: pods({ a: [60], b: [60] }),
    MaxMemoryLoader: pods({ a: [100 * MiB], b: [80 * MiB] }),
    MemoryAmountLoader: pods({ a: [60], b: [60] }),
    ...overrides,
  };
}

describe('simple', () => {
  const simple = createStrategy(parseStrategyConfig('simple', {}));

  test('defaults are krr defaults', () => {
    assert.deepEqual(simple.config.settings, {
      history_duration: 336,
      timeframe_duration: 1.25,
      cpu_percentile: 95,
      memory_buffer_percentage: 15,
      points_required: 100,
      allow_hpa: false,
      use_oomkill_data: false,
      oom_memory_buffer_percentage: 25,
    });
    assert.deepEqual(simple.loaders(), [
      'PercentileCPULoader',
      'MaxMemoryLoader',
      'CPUAmountLoader',
      'MemoryAmountLoader',
    ]);
  });

  test('several pods: CPU request is the highest per-pod percentile, limit unset; memory = peak × 1.15', () => {
    const out = simple.run(simpleHistory(), noHpa);
    assert.deepEqual(out.cpu, { request: 0.35, limit: null, info: null });
    assert.deepEqual(out.memory, { request: 100 * MiB * 1.15, limit: 100 * MiB * 1.15, info: null });
  });

  test('no data: an empty loader result gives "?" with "No data"', () => {
    const out = simple.run(
      simpleHistory({ PercentileCPULoader: pods({}), MaxMemoryLoader: pods({}) }),
      noHpa,
    );
    assert.equal(out.cpu.info, 'No data');
    assert.ok(Number.isNaN(out.cpu.request!) && Number.isNaN(out.cpu.limit!));
    assert.equal(out.memory.info, 'No data');
  });

  test('too few points summed over pods: "Not enough data" (99 < 100), exactly 100 is enough', () => {
    const few = simple.run(
      simpleHistory({ CPUAmountLoader: pods({ a: [50], b: [49] }), MemoryAmountLoader: pods({ a: [99] }) }),
      noHpa,
    );
    assert.equal(few.cpu.info, 'Not enough data');
    assert.equal(few.memory.info, 'Not enough data');
    const enough = simple.run(simpleHistory({ CPUAmountLoader: pods({ a: [50], b: [50] }) }), noHpa);
    assert.equal(enough.cpu.request, 0.35);
  });

  test('HPA on CPU blocks only CPU; HPA on memory blocks only memory', () => {
    const cpu = simple.run(simpleHistory(), { cpu: 70, memory: null });
    assert.equal(cpu.cpu.info, 'HPA detected');
    assert.equal(cpu.memory.info, null);
    const memory = simple.run(simpleHistory(), { cpu: null, memory: 80 });
    assert.equal(memory.cpu.info, null);
    assert.equal(memory.memory.info, 'HPA detected');
  });

  test('--allow-hpa ignores the HPA', () => {
    const allowed = createStrategy(parseStrategyConfig('simple', { allow_hpa: true })).run(simpleHistory(), {
      cpu: 70,
      memory: 80,
    });
    assert.equal(allowed.cpu.request, 0.35);
    assert.equal(allowed.memory.info, null);
  });

  test('order of checks: "No data" wins over "Not enough data", which wins over "HPA detected"', () => {
    const out = simple.run(simpleHistory({ PercentileCPULoader: pods({}), CPUAmountLoader: pods({}) }), {
      cpu: 50,
      memory: null,
    });
    assert.equal(out.cpu.info, 'No data');
    const out2 = simple.run(simpleHistory({ CPUAmountLoader: pods({ a: [1] }) }), { cpu: 50, memory: null });
    assert.equal(out2.cpu.info, 'Not enough data');
  });

  test('OOMKill data: memory = max(peak × 1.15, OOM limit × 1.25) and the info says so', () => {
    const oom = createStrategy(parseStrategyConfig('simple', { use_oomkill_data: true }));
    assert.ok(oom.loaders().includes('MaxOOMKilledMemoryLoader'));
    const above = oom.run(simpleHistory({ MaxOOMKilledMemoryLoader: pods({ b: [128 * MiB] }) }), noHpa);
    assert.deepEqual(above.memory, { request: 160 * MiB, limit: 160 * MiB, info: 'OOMKill detected' });
    const below = oom.run(simpleHistory({ MaxOOMKilledMemoryLoader: pods({ b: [64 * MiB] }) }), noHpa);
    assert.deepEqual(below.memory, {
      request: 100 * MiB * 1.15,
      limit: 100 * MiB * 1.15,
      info: 'OOMKill detected',
    });
    const none = oom.run(simpleHistory({ MaxOOMKilledMemoryLoader: pods({}) }), noHpa);
    assert.equal(none.memory.info, null);
  });

  test('OOM data alone does not make a recommendation: no working-set data is still "No data"', () => {
    const oom = createStrategy(parseStrategyConfig('simple', { use_oomkill_data: true }));
    const out = oom.run(
      simpleHistory({ MaxMemoryLoader: pods({}), MaxOOMKilledMemoryLoader: pods({ a: [512 * MiB] }) }),
      noHpa,
    );
    assert.equal(out.memory.info, 'No data');
  });

  test('invalid settings are rejected like krr: memory buffer 0, percentile 0 or above 100, points 0', () => {
    assert.throws(() => parseStrategyConfig('simple', { memory_buffer_percentage: 0 }));
    assert.throws(() => parseStrategyConfig('simple', { cpu_percentile: 0 }));
    assert.throws(() => parseStrategyConfig('simple', { cpu_percentile: 100.5 }));
    assert.throws(() => parseStrategyConfig('simple', { points_required: 0 }));
    assert.throws(() => parseStrategyConfig('simple', { cpu_request: 50 }), 'simple has no cpu_request');
  });
});

describe('simple_limit', () => {
  const limit = createStrategy(parseStrategyConfig('simple_limit', {}));
  const history = (cpu: Record<string, number[]>): HistoryData => ({
    CPULoader: pods(cpu),
    CPUAmountLoader: pods({ a: [100] }),
    MaxMemoryLoader: pods({ a: [200 * MiB] }),
    MemoryAmountLoader: pods({ a: [100] }),
  });

  test('defaults: request p66, limit p96', () => {
    assert.equal(limit.config.settings.history_duration, 336);
    assert.deepEqual(
      [
        limit.config.name,
        (limit.config.settings as { cpu_request: number }).cpu_request,
        (limit.config.settings as { cpu_limit: number }).cpu_limit,
      ],
      ['simple_limit', 66, 96],
    );
    assert.deepEqual(limit.loaders(), [
      'CPULoader',
      'MaxMemoryLoader',
      'CPUAmountLoader',
      'MemoryAmountLoader',
    ]);
  });

  test('pooled percentiles over all pods: 60 samples of 0.1 and 40 of 0.5', () => {
    // Sorted pool: 60 × 0.1 then 40 × 0.5. p66 → index 65.34 (in the 0.5 plateau) = 0.5;
    // p50 → index 49.5 (in the 0.1 plateau) = 0.1; p96 → 95.04 = 0.5.
    const out = limit.run(history({ a: Array(60).fill(0.1), b: Array(40).fill(0.5) }), noHpa);
    assert.deepEqual(out.cpu, { request: 0.5, limit: 0.5, info: null });
    const p50 = createStrategy(parseStrategyConfig('simple_limit', { cpu_request: 50 })).run(
      history({ a: Array(60).fill(0.1), b: Array(40).fill(0.5) }),
      noHpa,
    );
    assert.equal(p50.cpu.request, 0.1);
  });

  test('pooled percentile interpolates between ranks: [0, 1] at p66 = 0.66, p96 = 0.96', () => {
    const out = limit.run(history({ a: [0], b: [1] }), noHpa);
    assert.equal(out.cpu.request, 0.66);
    assert.equal(out.cpu.limit, 0.96);
  });

  test('memory is computed as in simple, and the branches behave the same', () => {
    const out = limit.run(history({ a: [0.1] }), noHpa);
    assert.equal(out.memory.request, 200 * MiB * 1.15);
    assert.equal(limit.run({ ...history({}), CPULoader: pods({}) }, noHpa).cpu.info, 'No data');
    assert.equal(
      limit.run({ ...history({ a: [1] }), CPUAmountLoader: pods({ a: [10] }) }, noHpa).cpu.info,
      'Not enough data',
    );
    assert.equal(limit.run(history({ a: [1] }), { cpu: 60, memory: null }).cpu.info, 'HPA detected');
  });
});
