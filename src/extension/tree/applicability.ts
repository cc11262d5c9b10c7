import type { RecommendationItem } from '../../core/recommend/recommendation-items.js';

type Resources = RecommendationItem['current'];

function values(resources: Resources): Array<string | null> {
  return [resources.requests.cpu, resources.requests.memory, resources.limits.cpu, resources.limits.memory];
}

/**
 * A recommendation can be applied when every recommended value is known ("?" means krr lacked data)
 * and at least one differs from what the workload runs with now.
 */
export function isApplicable(item: RecommendationItem): boolean {
  const recommended = values(item.recommended);
  if (recommended.includes('?')) return false;
  const current = values(item.current);
  return recommended.some((value, i) => value !== current[i]);
}

/** What the view badge counts: applicable changes krr flags as worth acting on. */
export function isActionable(item: RecommendationItem): boolean {
  return (item.severity === 'CRITICAL' || item.severity === 'WARNING') && isApplicable(item);
}
