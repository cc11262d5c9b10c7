// The PromQL of the usage history: chart-resolution range queries over a batch's selector, and the
// window they share. Everything the cluster names goes through promql.ts' escapes.

import { MAX_CHART_POINTS } from './usage-history-model.js';

/** The evaluation times of every range query: `start + k·stepSeconds` up to `end`. */
export interface ChartWindow {
  start: number;
  end: number;
  stepSeconds: number;
  /** The rate()/max_over_time() window behind each point: the step, so no usage between points is lost. */
  rangeSeconds: number;
}

/** Steps are whole minutes: repeated loads of the same window ask for the same points. */
const STEP_QUANTUM_SECONDS = 60;
/**
 * Short windows still need a few samples per point: rate() needs two, and scrapes every 30–60 s are
 * common. Five minutes is what dashboards use for the same reason.
 */
const MIN_RANGE_SECONDS = 300;

/**
 * The window ending at `time` (floored to the minute, as the scan does) and a step that gives at most
 * `maxPoints` points (never more than MAX_CHART_POINTS, never fewer than 2).
 */
export function chartWindow(time: number, historyHours: number, maxPoints = MAX_CHART_POINTS): ChartWindow {
  const points = Math.max(2, Math.min(MAX_CHART_POINTS, Math.floor(maxPoints)));
  const end = Math.floor(time / 60) * 60;
  const span = Math.max(STEP_QUANTUM_SECONDS, Math.round(historyHours * 3600));
  // floor(span / step) + 1 points: at most `points` when step ≥ span / (points − 1).
  const stepSeconds =
    Math.ceil(span / (points - 1) / STEP_QUANTUM_SECONDS) * STEP_QUANTUM_SECONDS || STEP_QUANTUM_SECONDS;
  return { start: end - span, end, stepSeconds, rangeSeconds: Math.max(stepSeconds, MIN_RANGE_SECONDS) };
}

/** The groups every per-container query keeps: one series per container of a pod. */
const byContainer = (podLabel: string) => `namespace, ${podLabel}, container`;

/** Cores per point: the CPU rate over the step (a step's average, so short bursts still show). */
export function cpuUsageQuery(selector: string, window: ChartWindow): string {
  return `max by (${byContainer('pod')}) (rate(container_cpu_usage_seconds_total{${selector}}[${window.rangeSeconds}s]))`;
}

/** Working-set bytes per point: the highest sample of the step, so a spike between points is not lost. */
export function memoryUsageQuery(selector: string, window: ChartWindow): string {
  return `max by (${byContainer('pod')}) (max_over_time(container_memory_working_set_bytes{${selector}}[${window.rangeSeconds}s]))`;
}

/** Share of CFS periods throttled per point; containers without a CPU quota have no such series. */
export function throttlingQuery(selector: string, window: ChartWindow): string {
  const range = `[${window.rangeSeconds}s]`;
  return (
    `max by (${byContainer('pod')}) (rate(container_cpu_cfs_throttled_periods_total{${selector}}${range})` +
    ` / rate(container_cpu_cfs_periods_total{${selector}}${range}))`
  );
}

/** 1 while OOMKilled is the container's last termination reason (kube-state-metrics). */
export function oomReasonQuery(ksmSelector: string, podLabel: string): string {
  return `max by (${byContainer(podLabel)}) (kube_pod_container_status_last_terminated_reason{reason="OOMKilled", ${ksmSelector}})`;
}

/**
 * The restart counter of each container (kube-state-metrics), whole. Measured on 14 days of 50 workloads, this
 * costs Prometheus less than asking only for the points where it rose (`x - x offset step > 0`) plus which
 * counters exist at all, and the answer (one small number per point) stays a small part of a batch's.
 */
export function restartsQuery(ksmSelector: string, podLabel: string): string {
  return `max by (${byContainer(podLabel)}) (kube_pod_container_status_restarts_total{${ksmSelector}})`;
}

/**
 * A point for each step in which an HPA reached its maximum replicas: the highest replica count of the
 * step compared with the maximum, so that a short stay at the ceiling between two points still counts.
 */
export function hpaAtMaxQuery(selector: string, window: ChartWindow): string {
  const by = 'namespace, horizontalpodautoscaler';
  return (
    `max by (${by}) (max_over_time(kube_horizontalpodautoscaler_status_current_replicas{${selector}}[${window.rangeSeconds}s]))` +
    ` >= max by (${by}) (kube_horizontalpodautoscaler_spec_max_replicas{${selector}})`
  );
}
