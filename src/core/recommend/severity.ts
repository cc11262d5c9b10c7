import type { RecommendationValue, ResourceName, ResourceScan, Severity } from './model.js';

// krr's default severity calculators (robusta_krr/core/models/severity.py) and score
// (robusta_krr/core/models/result.py).

const THRESHOLDS: Record<ResourceName, { critical: number; warning: number; ok: number; unit: number }> = {
  cpu: { critical: 0.5, warning: 0.25, ok: 0.1, unit: 1 },
  memory: { critical: 500, warning: 250, ok: 100, unit: 1024 * 1024 },
};

export function valueSeverity(
  current: RecommendationValue,
  recommended: RecommendationValue,
  resource: ResourceName,
): Severity {
  if (current === '?' || recommended === '?') return 'UNKNOWN';
  if (current === null && recommended === null) return 'GOOD';
  if (current === null || recommended === null) return 'WARNING';
  const t = THRESHOLDS[resource];
  const diff =
    resource === 'cpu' ? Math.abs(current - recommended) : Math.abs(current - recommended) / 1024 / 1024;
  if (diff >= t.critical) return 'CRITICAL';
  if (diff >= t.warning) return 'WARNING';
  if (diff >= t.ok) return 'OK';
  return 'GOOD';
}

const SCAN_ORDER: Severity[] = ['CRITICAL', 'WARNING', 'OK', 'GOOD', 'UNKNOWN'];

/** The first severity found among the cells, in the order CRITICAL, WARNING, OK, GOOD, UNKNOWN. */
export function scanSeverity(cells: readonly Severity[]): Severity {
  return SCAN_ORDER.find((level) => cells.includes(level)) ?? 'UNKNOWN';
}

function scanCost(scan: ResourceScan): number {
  if (scan.severity === 'CRITICAL') return 1;
  if (scan.severity === 'WARNING') return 0.7;
  return 0;
}

/** int((N − Σ cost) / N × 100), accumulated in scan order like krr; 0 for no scans. */
export function overallScore(scans: readonly ResourceScan[]): number {
  if (scans.length === 0) return 0;
  let total = 0;
  for (const scan of scans) total += scanCost(scan);
  return Math.trunc(((scans.length - total) / scans.length) * 100);
}

export function scoreLetter(score: number): 'A' | 'B' | 'C' | 'D' | 'F' {
  if (score < 30) return 'F';
  if (score < 55) return 'D';
  if (score < 70) return 'C';
  if (score < 90) return 'B';
  return 'A';
}
