// Hand-made usage histories in the exact model src/core/evidence loads (ContainerUsageHistory): a day/night
// rhythm with noise from a seeded generator, so that every run draws the same charts.
import type { ContainerUsageHistory } from '../../../../src/core/evidence/usage-history-model.js';

const DAY = 86_400;
const MiB = 1024 * 1024;

export interface HistoryOptions {
  namespace?: string;
  kind?: string;
  name?: string;
  container?: string;
  /** Unix seconds of the window's end. */
  end?: number;
  days?: number;
  points?: number;
  /** Typical CPU in cores and memory in MiB. */
  cpu?: number;
  memoryMiB?: number;
  current?: ContainerUsageHistory['current'];
  /** Days before the end at which the container was OOM-killed. */
  oomDaysAgo?: number[];
  /** Highest throttled share, or null when cAdvisor has no throttling series. */
  throttledMax?: number | null;
  restarts?: number;
  seed?: number;
}

/** A small deterministic generator (mulberry32). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function usageHistory(options: HistoryOptions = {}): ContainerUsageHistory {
  const {
    namespace = 'shop',
    kind = 'Deployment',
    name = 'api',
    container = 'app',
    end = 1_735_689_600,
    days = 14,
    points = 300,
    cpu = 0.2,
    memoryMiB = 300,
    current = { requests: { cpu: 0.5, memory: 512 * MiB }, limits: { memory: 1024 * MiB } },
    oomDaysAgo = [],
    throttledMax = null,
    restarts = oomDaysAgo.length,
    seed = 7,
  } = options;
  const next = random(seed);
  const start = end - days * DAY;
  const step = (end - start) / (points - 1);
  const times = Array.from({ length: points }, (_, i) => Math.round(start + i * step));
  const rhythm = (t: number) => 1 + 0.5 * Math.sin((2 * Math.PI * (t - start)) / DAY);
  const cpuSeries = times.map((t): [number, number] => [
    t,
    Math.max(0, cpu * rhythm(t) * (0.8 + 0.4 * next())),
  ]);
  const memorySeries = times.map((t): [number, number] => [
    t,
    memoryMiB * MiB * (0.85 + 0.1 * rhythm(t) + 0.05 * next()),
  ]);
  const sortedCpu = cpuSeries.map(([, v]) => v).sort((a, b) => a - b);
  const p95 = sortedCpu[Math.floor(0.95 * (sortedCpu.length - 1))]!;
  const peak = Math.max(...memorySeries.map(([, v]) => v));
  const oomKills = oomDaysAgo.map((d) => Math.round(end - d * DAY));
  const throttling =
    throttledMax === null
      ? null
      : {
          series: times.map((t, i): [number, number] => [
            t,
            i % 40 === 20 ? throttledMax : throttledMax * 0.2 * next(),
          ]),
          max: throttledMax,
        };
  const reasons = [
    ...(oomKills.length > 0 ? [`OOM-killed ${oomKills.length} time(s) in the window.`] : []),
    ...(throttledMax !== null && throttledMax > 0.25
      ? [`CPU throttled in up to ${Math.round(throttledMax * 100)}% of periods.`]
      : []),
    ...(restarts > 0 ? [`Restarted ${restarts} time(s).`] : []),
  ];
  return {
    key: `${namespace}/${kind}/${name}/${container}`,
    namespace,
    kind,
    name,
    container,
    window: { start, end, stepSeconds: Math.round(step) },
    cpu: { series: cpuSeries, percentile: 95, percentileValue: p95 },
    memory: { series: memorySeries, peak, bufferPercent: 15 },
    current,
    oomKills,
    throttling,
    restarts: { total: restarts, times: oomKills },
    signals: {
      atRisk: reasons.length > 0,
      oomKilled: oomKills.length > 0,
      throttledMax,
      restarts,
      hpaAtMax: false,
      reasons,
    },
  };
}
