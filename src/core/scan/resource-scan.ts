import { loaderValues, type HistoryData } from '../recommend/history.js';
import type {
  Allocations,
  HpaData,
  K8sObjectData,
  ObjectWarning,
  PodData,
  RecommendationValue,
  ResourceName,
  ResourceRecommendation,
  ResourceScan,
} from '../recommend/model.js';
import { roundRecommendation } from '../recommend/rounding.js';
import type { ValueMinimums } from '../recommend/settings.js';
import { scanSeverity, valueSeverity } from '../recommend/severity.js';
import type { StrategyOutput } from '../recommend/strategies/strategy.js';
import { parseQuantityLikeKrr } from '../kube/quantity.js';
import type { ContainerResources, Workload } from '../kube/workloads.js';

function currentValue(text: string | undefined): RecommendationValue {
  if (text === undefined) return null;
  const value = parseQuantityLikeKrr(text);
  return Number.isNaN(value) ? '?' : value;
}

export function currentAllocations(container: ContainerResources): Allocations {
  return {
    requests: { cpu: currentValue(container.requests.cpu), memory: currentValue(container.requests.memory) },
    limits: { cpu: currentValue(container.limits.cpu), memory: currentValue(container.limits.memory) },
    info: {},
  };
}

/** krr's `_gather_data` warnings: any empty loader whose name mentions CPU or Memory. */
export function metricWarnings(history: HistoryData): ObjectWarning[] {
  const warnings = new Set<ObjectWarning>();
  for (const loader of Object.keys(history) as Array<keyof HistoryData>) {
    if (loaderValues(history, loader).size > 0) continue;
    if (loader.includes('CPU')) warnings.add('NoPrometheusCPUMetrics');
    else if (loader.includes('Memory')) warnings.add('NoPrometheusMemoryMetrics');
  }
  return [...warnings];
}

function toValue(value: number | null): RecommendationValue {
  return value !== null && Number.isNaN(value) ? '?' : value;
}

export interface ObjectContext {
  cluster: string | null;
  workload: Workload;
  container: ContainerResources;
  pods: PodData[];
  hpa: HpaData | null;
  warnings: ObjectWarning[];
}

/** Rounds the strategy's output, adds per-value and per-scan severity: one row of krr's `scans`. */
export function buildResourceScan(
  context: ObjectContext,
  output: StrategyOutput,
  minimums: ValueMinimums,
): ResourceScan {
  const allocations = currentAllocations(context.container);
  const recommended = (resource: ResourceName, which: 'request' | 'limit', raw: ResourceRecommendation) => {
    const value = toValue(roundRecommendation(raw[which], resource, minimums));
    const current = allocations[which === 'request' ? 'requests' : 'limits'][resource];
    return { value, severity: valueSeverity(current, value, resource) };
  };
  const requests = {
    cpu: recommended('cpu', 'request', output.cpu),
    memory: recommended('memory', 'request', output.memory),
  };
  const limits = {
    cpu: recommended('cpu', 'limit', output.cpu),
    memory: recommended('memory', 'limit', output.memory),
  };
  const object: K8sObjectData = {
    cluster: context.cluster,
    name: context.workload.name,
    container: context.container.name,
    pods: context.pods,
    hpa: context.hpa,
    namespace: context.workload.namespace,
    kind: context.workload.kind,
    allocations,
    warnings: context.warnings,
    labels: context.workload.labels,
    annotations: context.workload.annotations,
  };
  return {
    object,
    recommended: { requests, limits, info: { cpu: output.cpu.info, memory: output.memory.info } },
    severity: scanSeverity([
      requests.cpu.severity,
      requests.memory.severity,
      limits.cpu.severity,
      limits.memory.severity,
    ]),
  };
}
