import type { ClusterSummary, ScanError } from '../recommend/model.js';
import type { PrometheusClient } from './client.js';
import { PrometheusError, type PrometheusErrorKind } from './errors.js';
import { clusterMatcher, matchers, type ClusterLabel } from './promql.js';

/**
 * krr's `_check_data_availability`: at least 3 hours of history must exist (a warning, not a failure).
 * Uses max(prometheus_tsdb_head_series) over the last 5 hours at a 1 hour step.
 */
export async function checkHistoryAvailability(client: PrometheusClient, time: number): Promise<ScanError[]> {
  try {
    const series = await client.rangeQuery('max(prometheus_tsdb_head_series)', time - 5 * 3600, time, 3600);
    const timestamps = series[0]?.timestamps ?? [];
    if (timestamps.length === 0) return [{ name: 'HistoryRangeError' }];
    const span = timestamps[timestamps.length - 1]! - timestamps[0]!;
    if (span < 3 * 3600) {
      const retryAfter = new Date((timestamps[0]! + 3 * 3600) * 1000).toISOString().replace('Z', '');
      return [{ name: 'NotEnoughHistoryAvailable', retry_after: retryAfter }];
    }
    return [];
  } catch (error) {
    // krr only warns when this check fails; but a Prometheus that cannot be reached at all would then make
    // every later phase wait for its own timeout. Fail now with the real cause.
    if (error instanceof PrometheusError && UNUSABLE.has(error.kind)) throw error;
    return [{ name: 'HistoryRangeError' }];
  }
}

/** Failures that no other query can get past. */
const UNUSABLE = new Set<PrometheusErrorKind>(['unreachable', 'timeout', 'tls', 'unauthorized', 'forbidden']);

/** krr's `get_cluster_summary`: cluster capacity and kube-system requests; `{}` on any failure. */
export async function clusterSummary(
  client: PrometheusClient,
  time: number,
  label: ClusterLabel | undefined,
): Promise<ClusterSummary> {
  const single = clusterMatcher(label) ?? '';
  const cluster = matchers(`namespace="kube-system"`, clusterMatcher(label));
  const queries: Record<keyof ClusterSummary, string> = {
    cluster_memory: `sum(max by (instance) (machine_memory_bytes{${single}}))`,
    cluster_cpu: `sum(max by (instance) (machine_cpu_cores{${single}}))`,
    kube_system_mem_req: `sum(max(kube_pod_container_resource_requests{${cluster}, resource="memory"}) by (job, pod, container))`,
    kube_system_cpu_req: `sum(max(kube_pod_container_resource_requests{${cluster}, resource="cpu"}) by (job, pod, container))`,
  };
  try {
    const entries = await Promise.all(
      Object.entries(queries).map(async ([key, query]) => {
        const result = await client.instantQuery(query, time);
        return [key, result[0]?.value ?? 0] as const;
      }),
    );
    return Object.fromEntries(entries);
  } catch {
    return {};
  }
}
