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
  /** krr groups by (container, pod, job); batched queries add namespace. */
  groupBy: string;
}

export type InstantLoader = Exclude<LoaderName, 'CPULoader'>;

export function usageQuery(loader: LoaderName, p: UsageQueryParams): string {
  const step = `${p.stepSeconds}s`;
  const window = `[${p.duration}:${step}]`;
  const cpu = `container_cpu_usage_seconds_total{${p.selector}}`;
  const memory = `container_memory_working_set_bytes{${p.selector}}`;
  switch (loader) {
    case 'CPULoader':
      return `max(rate(${cpu}[${step}])) by (${p.groupBy})`;
    case 'PercentileCPULoader': {
      if (p.cpuPercentile === undefined) throw new Error('PercentileCPULoader needs a percentile');
      const q = pythonFloat(pythonRound(p.cpuPercentile / 100, 2));
      return `quantile_over_time(${q}, max(rate(${cpu}[${step}])) by (${p.groupBy})${window})`;
    }
    case 'CPUAmountLoader':
      return `count_over_time(max(${cpu}) by (${p.groupBy})${window})`;
    case 'MaxMemoryLoader':
      return `max_over_time(max(${memory}) by (${p.groupBy})${window})`;
    case 'MemoryAmountLoader':
      return `count_over_time(max(${memory}) by (${p.groupBy})${window})`;
    case 'MaxOOMKilledMemoryLoader': {
      const limits = `max(kube_pod_container_resource_limits{resource="memory", ${p.selector}}) by (${p.groupBy})`;
      const oom = `max(kube_pod_container_status_last_terminated_reason{reason="OOMKilled", ${p.selector}}) by (${p.groupBy}, reason)`;
      return `max_over_time(max(${limits} * on(${p.groupBy}) group_left(reason) ${oom}) by (${p.groupBy})${window})`;
    }
  }
}
