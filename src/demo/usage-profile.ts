// Plausible, deterministic usage for generated clusters (the demo cluster and the benchmark's synthetic one):
// a daily rhythm, noise and the odd spike, from a seeded random source so that a seed always gives the same history.

import type { UsageProfile, UsageSegment } from './cluster-model.js';

const HOUR = 3600;
const DAY = 86400;

export type Random = () => number;

/** mulberry32: tiny, fast, and good enough for fixtures. */
export function mulberry32(seed: number): Random {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function roundTo(value: number, quantum: number): number {
  return Math.round(value / quantum) * quantum;
}

export interface DailyUsage {
  /** Unix seconds of the history start (the daily rhythm follows UTC wall-clock hours). */
  historyStart: number;
  /** Seconds after the history start when the pod's series begin (negative: before the history). */
  startSecond: number;
  /** Seconds after the history start when the series end. */
  endSecond: number;
  /** The typical level. */
  base: number;
  /** Relative amplitude of the daily swing: 0.5 means ±50 % around `base`, busiest in the afternoon. */
  dailySwing: number;
  round: (value: number) => number;
  /** Chance per hour of a 2–4× spike (default 0.01). Memory rarely spikes like CPU does. */
  spikeChance?: number;
}

/**
 * Hourly segments: a daily pattern (busier in the afternoon, UTC), ±15 % noise, and now and then a spike of
 * 5–30 minutes. One segment per hour keeps generation fast; spikes add two more.
 */
export function dailyUsageProfile(random: Random, shape: DailyUsage): UsageProfile {
  const { startSecond, endSecond, base, dailySwing, round } = shape;
  const segments: UsageSegment[] = [];
  const firstHour = Math.max(0, Math.ceil(startSecond / HOUR) * HOUR);
  const levelAt = (second: number): number => {
    const hourOfDay = ((((shape.historyStart + second) % DAY) + DAY) % DAY) / HOUR;
    const daily = 1 + dailySwing * Math.sin(((hourOfDay - 9) / 24) * 2 * Math.PI);
    return Math.max(0, round(base * daily * (0.85 + 0.3 * random())));
  };
  segments.push({ fromSecond: Math.min(startSecond, 0), value: levelAt(Math.max(startSecond, 0)) });
  for (let hour = firstHour; hour < endSecond; hour += HOUR) {
    const value = levelAt(hour);
    if (hour > segments[segments.length - 1]!.fromSecond) segments.push({ fromSecond: hour, value });
    if (random() < (shape.spikeChance ?? 0.01)) {
      // Never at the hour itself: two segments must not share a start.
      const spikeStart = hour + (1 + Math.floor(random() * 29)) * 60;
      const spikeMinutes = 5 + Math.floor(random() * 26);
      segments.push({ fromSecond: spikeStart, value: round(value * (2 + 2 * random())) });
      segments.push({ fromSecond: spikeStart + spikeMinutes * 60, value });
    }
  }
  return segments;
}
