import { DEFAULT_PRICES, HOURS_PER_MONTH, type Prices } from '../changes/cost.js';
import { formatCpuCores, formatMemoryBytes } from '../changes/quantity-format.js';
import type { RiskSignalsView } from '../evidence/risk-signals.js';
import type { RecommendationValue, ResourceScan, Severity } from './model.js';

type Quantity = string | null;

/** A recommendation as agents and people read it: stable id, Kubernetes quantities, impact. */
export interface RecommendationItem {
  id: string;
  namespace: string;
  kind: string;
  name: string;
  container: string;
  severity: Severity;
  pods_running: number;
  pods_deleted: number;
  current: { requests: { cpu: Quantity; memory: Quantity }; limits: { cpu: Quantity; memory: Quantity } };
  recommended: { requests: { cpu: Quantity; memory: Quantity }; limits: { cpu: Quantity; memory: Quantity } };
  info: { cpu: string | null; memory: string | null };
  warnings: string[];
  hpa: boolean;
  /** Positive when the recommendation frees resources: Δ requests × running pods × prices × 730 h. */
  monthly_savings_usd: number;
  /** OOM kills, throttling, restarts, HPA at max over the window, when they were loaded (they cost queries). */
  risk_signals?: RiskSignalsView;
}

/** `context/namespace/kind/name/container`: Kubernetes names never contain "/". */
export function recommendationId(context: string, scan: ResourceScan): string {
  const o = scan.object;
  return `${context}/${o.namespace}/${o.kind}/${o.name}/${o.container}`;
}

/**
 * The context a recommendation id names. Context names may hold "/" (EKS ARNs do), Kubernetes names never,
 * so the context is what comes before the item's own namespace/kind/name/container.
 */
export function contextOfItem(
  item: Pick<RecommendationItem, 'id' | 'namespace' | 'kind' | 'name' | 'container'>,
): string {
  const suffix = `/${item.namespace}/${item.kind}/${item.name}/${item.container}`;
  return item.id.endsWith(suffix) ? item.id.slice(0, -suffix.length) : '';
}

function cpu(value: RecommendationValue): Quantity {
  return value === null ? null : value === '?' ? '?' : formatCpuCores(value);
}
function memory(value: RecommendationValue): Quantity {
  return value === null ? null : value === '?' ? '?' : formatMemoryBytes(value);
}
const num = (v: RecommendationValue) => (typeof v === 'number' ? v : undefined);

export function monthlySavings(scan: ResourceScan, prices: Prices = DEFAULT_PRICES): number {
  const running = scan.object.pods.filter((p) => !p.deleted).length;
  const currentCpu = num(scan.object.allocations.requests.cpu);
  const recommendedCpu = num(scan.recommended.requests.cpu.value);
  const currentMemory = num(scan.object.allocations.requests.memory);
  const recommendedMemory = num(scan.recommended.requests.memory.value);
  const cpuDelta = currentCpu !== undefined && recommendedCpu !== undefined ? currentCpu - recommendedCpu : 0;
  const memoryDelta =
    currentMemory !== undefined && recommendedMemory !== undefined
      ? (currentMemory - recommendedMemory) / 1024 ** 3
      : 0;
  const dollars =
    (cpuDelta * prices.cpuCoreHour + memoryDelta * prices.memoryGiBHour) * HOURS_PER_MONTH * running;
  return Math.round(dollars * 100) / 100;
}

export function toRecommendationItem(
  context: string,
  scan: ResourceScan,
  prices: Prices = DEFAULT_PRICES,
): RecommendationItem {
  const o = scan.object;
  const r = scan.recommended;
  const running = o.pods.filter((p) => !p.deleted).length;
  return {
    id: recommendationId(context, scan),
    namespace: o.namespace,
    kind: o.kind,
    name: o.name,
    container: o.container,
    severity: scan.severity,
    pods_running: running,
    pods_deleted: o.pods.length - running,
    current: {
      requests: { cpu: cpu(o.allocations.requests.cpu), memory: memory(o.allocations.requests.memory) },
      limits: { cpu: cpu(o.allocations.limits.cpu), memory: memory(o.allocations.limits.memory) },
    },
    recommended: {
      requests: { cpu: cpu(r.requests.cpu.value), memory: memory(r.requests.memory.value) },
      limits: { cpu: cpu(r.limits.cpu.value), memory: memory(r.limits.memory.value) },
    },
    info: { cpu: r.info.cpu, memory: r.info.memory },
    warnings: [...o.warnings],
    hpa: o.hpa !== null,
    monthly_savings_usd: monthlySavings(scan, prices),
  };
}

const SEVERITY_RANK: Record<Severity, number> = { CRITICAL: 0, WARNING: 1, OK: 2, GOOD: 3, UNKNOWN: 4 };

/** Most impactful first: severity, then the size of the monthly change, then the id for stability. */
export function byImpact(a: RecommendationItem, b: RecommendationItem): number {
  return (
    SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
    Math.abs(b.monthly_savings_usd) - Math.abs(a.monthly_savings_usd) ||
    a.id.localeCompare(b.id)
  );
}
