import type { LoaderName } from '../recommend/history.js';
import { pythonFloat, pythonRound } from './promql.js';

// The usage queries of krr's metric loaders (robusta_krr/core/integrations/prometheus/metrics/*.py),
// over any selector. krr fills the selector with one workload's container and ≤ 50 pods; the scanner
// fills it with whole namespaces, which is why `namespace` joins krr's `by (container, pod, job)`:
// each output series is computed from exactly the same input series as in krr's query, so the values
// are identical.

export interface UsageQueryParams {
  /** Label matchers without braces, e.g. `namespace="shop", container!="", container!="POD"`. */
  selector: string;
  /** krr's step in whole seconds (75 by default); also the rate() window. */
  stepSeconds: number;
  /** krr's duration string (`14d`). */
  duration: string;
  /** The percentile of PercentileCPULoader (0–100). */
  cpuPercentile?: number;
  /**
   * krr groups by (container, pod, job); batched queries add namespace. Undefined: no aggregation,
   * which gives the same values where every group holds a single series (see history-loader.ts).
   */
  groupBy?: string;
}

export type InstantLoader = Exclude<LoaderName, 'CPULoader'>;

export function usageQuery(loader: LoaderName, p: UsageQueryParams): string {
  const step = `${p.stepSeconds}s`;
  const window = `[${p.duration}:${step}]`;
  const cpu = `container_cpu_usage_seconds_total{${p.selector}}`;
  const memory = `container_memory_working_set_bytes{${p.selector}}`;
  const grouped = (expression: string) =>
    p.groupBy === undefined ? expression : `max(${expression}) by (${p.groupBy})`;
  switch (loader) {
    case 'CPULoader':
      return grouped(`rate(${cpu}[${step}])`);
    case 'PercentileCPULoader': {
      if (p.cpuPercentile === undefined) throw new Error('PercentileCPULoader needs a percentile');
      const q = pythonFloat(pythonRound(p.cpuPercentile / 100, 2));
      return `quantile_over_time(${q}, ${grouped(`rate(${cpu}[${step}])`)}${window})`;
    }
    case 'CPUAmountLoader':
      return `count_over_time(${grouped(cpu)}${window})`;
    case 'MaxMemoryLoader':
      return `max_over_time(${grouped(memory)}${window})`;
    case 'MemoryAmountLoader':
      return `count_over_time(${grouped(memory)}${window})`;
    case 'MaxOOMKilledMemoryLoader': {
      // kube-state-metrics series are few; this one always keeps krr's form (its join needs the grouping).
      const by = p.groupBy ?? 'namespace, container, pod, job';
      const limits = `max(kube_pod_container_resource_limits{resource="memory", ${p.selector}}) by (${by})`;
      const oom = `max(kube_pod_container_status_last_terminated_reason{reason="OOMKilled", ${p.selector}}) by (${by}, reason)`;
      return `max_over_time(max(${limits} * on(${by}) group_left(reason) ${oom}) by (${by})${window})`;
    }
  }
}
