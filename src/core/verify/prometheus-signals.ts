// What Prometheus says about the changed pods since the change: the peak memory working set against the new
// memory limit, and the share of CFS periods throttled (5-minute windows) where there is a CPU limit. Only
// once a few samples exist since the change; no data is said as such, never read as "fine".

import type { JsonObject } from '../changes/workload-object.js';
import type { PrometheusClient } from '../prometheus/client.js';
import { clusterMatcher, exactAlternation, matchers, quoteLabelValue } from '../prometheus/promql.js';
import { quantityValue } from '../changes/quantity-format.js';
import type { Evidence } from './model.js';

export const MEMORY_WARNING_SHARE = 0.9;
export const THROTTLING_WARNING_SHARE = 0.25;
const STEP_SECONDS = 30;

export interface SignalWindow {
  namespace: string;
  pods: JsonObject[];
  /** Unix ms. */
  from: number;
  to: number;
  minSamples: number;
}

function limitOf(pod: JsonObject, container: string, resource: 'cpu' | 'memory'): number | undefined {
  const containers = (((pod.spec ?? {}) as JsonObject).containers ?? []) as JsonObject[];
  const found = containers.find((c) => c.name === container);
  const limits = ((found?.resources ?? {}) as JsonObject).limits as JsonObject | undefined;
  const value = limits?.[resource];
  return typeof value === 'string' ? quantityValue(value) : undefined;
}

const mib = (bytes: number) => `${Math.round(bytes / 1024 / 1024)}Mi`;
const percent = (share: number) => `${Math.round(share * 100)}%`;

/** The changed pods' names (matched exactly: a dot in a name is not a wildcard). */
function podNames(pods: JsonObject[]): string[] {
  return pods.map((p) => String(((p.metadata ?? {}) as JsonObject).name ?? ''));
}

export async function prometheusSignals(
  prometheus: PrometheusClient,
  window: SignalWindow,
): Promise<Evidence[]> {
  if (window.pods.length === 0) return [];
  const start = Math.floor(window.from / 1000);
  const end = Math.floor(window.to / 1000);
  if (end - start < STEP_SECONDS) return [];
  const selector = matchers(
    `namespace=${quoteLabelValue(window.namespace)}`,
    `pod=~${quoteLabelValue(exactAlternation(podNames(window.pods)))}`,
    `container!=""`,
    `container!="POD"`,
    // In a Prometheus several clusters share, only this cluster's pods of these names.
    clusterMatcher(prometheus.cluster),
  );
  const evidence: Evidence[] = [];
  const memory = await prometheus.rangeQuery(
    `max by (pod, container) (container_memory_working_set_bytes{${selector}})`,
    start,
    end,
    STEP_SECONDS,
  );
  const samples = Math.max(0, ...memory.map((s) => s.values.length));
  if (samples < window.minSamples) {
    evidence.push({
      kind: 'metrics',
      severity: 'info',
      message: `Prometheus has ${samples} sample${samples === 1 ? '' : 's'} since the change; memory and throttling are judged from ${window.minSamples}`,
    });
    return evidence;
  }
  for (const series of memory) {
    const { pod = '', container = '' } = series.metric;
    const podObject = window.pods.find((p) => ((p.metadata ?? {}) as JsonObject).name === pod);
    const limit = podObject ? limitOf(podObject, container, 'memory') : undefined;
    const peak = Math.max(...series.values);
    if (limit === undefined || !Number.isFinite(peak)) continue;
    const share = peak / limit;
    evidence.push({
      kind: 'memory',
      severity: share >= MEMORY_WARNING_SHARE ? 'warning' : 'info',
      pod,
      container,
      message: `${container} in pod ${pod}: memory working set peaked at ${mib(peak)}, ${percent(share)} of the new limit ${mib(limit)}${share >= MEMORY_WARNING_SHARE ? ' — close to an OOM kill' : ''}`,
    });
  }
  const throttled = await prometheus.rangeQuery(
    `sum by (pod, container) (increase(container_cpu_cfs_throttled_periods_total{${selector}}[5m])) / sum by (pod, container) (increase(container_cpu_cfs_periods_total{${selector}}[5m]))`,
    start,
    end,
    STEP_SECONDS,
  );
  if (throttled.length === 0)
    evidence.push({
      kind: 'throttling',
      severity: 'info',
      message: 'no CPU throttling data (cAdvisor reports CFS periods only for containers with a CPU limit)',
    });
  for (const series of throttled) {
    const { pod = '', container = '' } = series.metric;
    const worst = Math.max(...series.values.filter(Number.isFinite));
    if (!Number.isFinite(worst)) continue;
    evidence.push({
      kind: 'throttling',
      severity: worst >= THROTTLING_WARNING_SHARE ? 'warning' : 'info',
      pod,
      container,
      message: `${container} in pod ${pod}: CPU throttled in up to ${percent(worst)} of CFS periods (5-minute windows) since the change`,
    });
  }
  return evidence;
}
