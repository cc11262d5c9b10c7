// The krr result model (robusta_krr/core/models/*.py), field for field, so that `krr-mcp scan -f json`
// can be read by tools written for `krr simple -f json`.

export type Severity = 'CRITICAL' | 'WARNING' | 'OK' | 'GOOD' | 'UNKNOWN';

/** A recommended or current value: a number (cores or bytes), "?" when undefined, null when unset. */
export type RecommendationValue = number | '?' | null;

export type ResourceName = 'cpu' | 'memory';

export const KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Rollout'] as const;
export type WorkloadKind = (typeof KINDS)[number];

export interface ResourceValues {
  cpu: RecommendationValue;
  memory: RecommendationValue;
}

export interface Allocations {
  requests: ResourceValues;
  limits: ResourceValues;
  info: Record<string, never>;
}

export interface PodData {
  name: string;
  deleted: boolean;
}

export interface HpaData {
  min_replicas: number | null;
  max_replicas: number;
  current_replicas: number | null;
  desired_replicas: number;
  target_cpu_utilization_percentage: number | null;
  target_memory_utilization_percentage: number | null;
}

export type ObjectWarning = 'NoPrometheusPods' | 'NoPrometheusCPUMetrics' | 'NoPrometheusMemoryMetrics';

export interface K8sObjectData {
  cluster: string | null;
  name: string;
  container: string;
  pods: PodData[];
  hpa: HpaData | null;
  namespace: string;
  kind: WorkloadKind;
  allocations: Allocations;
  warnings: ObjectWarning[];
  labels: Record<string, string> | null;
  annotations: Record<string, string> | null;
}

export interface RecommendedValue {
  value: RecommendationValue;
  severity: Severity;
}

export type RecommendationInfo = 'No data' | 'Not enough data' | 'HPA detected' | 'OOMKill detected' | null;

export interface Recommended {
  requests: { cpu: RecommendedValue; memory: RecommendedValue };
  limits: { cpu: RecommendedValue; memory: RecommendedValue };
  info: { cpu: RecommendationInfo; memory: RecommendationInfo };
}

export interface ResourceScan {
  object: K8sObjectData;
  recommended: Recommended;
  severity: Severity;
}

export type ScanError =
  | { name: 'HistoryRangeError' }
  | { name: 'NotEnoughHistoryAvailable'; retry_after: string }
  /** A scan of several clusters: this one could not be scanned (the others were). */
  | { name: 'ClusterScanError'; cluster: string; message: string };

export interface ClusterSummary {
  cluster_memory?: number;
  cluster_cpu?: number;
  kube_system_mem_req?: number;
  kube_system_cpu_req?: number;
}

export interface ScanResult {
  scans: ResourceScan[];
  score: number;
  resources: ResourceName[];
  description: string;
  strategy: { name: string; settings: Record<string, unknown> };
  errors: ScanError[];
  clusterSummary: ClusterSummary;
  config: Record<string, unknown>;
}

/** The raw output of a strategy for one resource, before rounding: NaN = undefined, null = unset. */
export interface ResourceRecommendation {
  request: number | null;
  limit: number | null;
  info: RecommendationInfo;
}
