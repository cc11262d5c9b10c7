import type { RecommendationItem } from '../../core/recommend/recommendation-items.js';
import type { Severity } from '../../core/recommend/model.js';
import { worstSeverity } from './severity.js';

/** Groups in first-seen order; callers sort. */
export function groupBy<K>(items: readonly RecommendationItem[], key: (item: RecommendationItem) => K) {
  const groups = new Map<K, RecommendationItem[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

export interface Workload {
  kind: string;
  name: string;
  items: RecommendationItem[];
  severity: Severity;
  monthlySavingsUsd: number;
}

export function workloadsOf(items: readonly RecommendationItem[]): Workload[] {
  return [...groupBy(items, (i) => `${i.namespace}/${i.kind}/${i.name}`).values()].map((group) => {
    const first = group[0]!;
    const savings = group.reduce((sum, i) => sum + i.monthly_savings_usd, 0);
    return {
      kind: first.kind,
      name: first.name,
      items: group,
      severity: worstSeverity(group.map((i) => i.severity)),
      monthlySavingsUsd: Math.round(savings * 100) / 100,
    };
  });
}

/** "12 workloads · 3 CRITICAL": how many workloads, and how many share the worst severity. */
export function workloadCountText(workloads: readonly Workload[]): string {
  if (workloads.length === 0) return 'no matching workloads';
  const worst = worstSeverity(workloads.map((w) => w.severity));
  const atWorst = workloads.filter((w) => w.severity === worst).length;
  const noun = workloads.length === 1 ? 'workload' : 'workloads';
  return `${workloads.length} ${noun} · ${atWorst} ${worst}`;
}
