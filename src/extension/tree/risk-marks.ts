import type { RecommendationItem } from '../../core/recommend/recommendation-items.js';

// How the tree marks containers that are in trouble already (OOM kills, throttling, restarts, an HPA at its
// maximum). Tree descriptions render no codicons (`$(warning)` would show as text), so the mark is a
// character; the reasons are in the tooltip.

export const AT_RISK_MARK = '⚠ at risk';

export function isAtRisk(item: RecommendationItem): boolean {
  return item.risk_signals?.at_risk === true;
}

/** The mark for a description, when any of the items is at risk. */
export function atRiskMark(items: readonly RecommendationItem[]): string | undefined {
  return items.some(isAtRisk) ? AT_RISK_MARK : undefined;
}
