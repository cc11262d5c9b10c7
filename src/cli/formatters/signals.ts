// The risk signals in the scan output: a "!" column and a legend under the table, and a `signals` field per
// scan row in JSON/YAML, only when asked (--with-signals), so that krr's JSON stays byte for byte krr's.

import { riskSignalsView, type RiskSignalsView } from '../../core/evidence/risk-signals.js';
import type { RiskSignals } from '../../core/evidence/usage-history-model.js';
import type { ResourceScan, ScanResult } from '../../core/recommend/model.js';
import { scanRowKey } from './scan-row-key.js';
import { wrap } from './text-table.js';

/** Per scanRowKey (cluster, then `namespace/kind/name/container`); null when asked for and not read. */
export type ScanSignalMap = ReadonlyMap<string, RiskSignals> | null;

/** The table's marker column: "!" for a container already at risk. */
export const AT_RISK_MARK = '!';

function signalsOf(scan: ResourceScan, signals: ScanSignalMap): RiskSignals | undefined {
  const o = scan.object;
  return signals?.get(scanRowKey(o));
}

export function atRiskCell(scan: ResourceScan, signals: ScanSignalMap): string {
  return signalsOf(scan, signals)?.atRisk ? AT_RISK_MARK : '';
}

/** krr's result with a `signals` object (or null) added as the last field of every scan row. */
export function resultWithSignals(
  result: ScanResult,
  signals: ScanSignalMap,
): Omit<ScanResult, 'scans'> & { scans: Array<ResourceScan & { signals: RiskSignalsView | null }> } {
  return {
    ...result,
    scans: result.scans.map((scan) => {
      const found = signalsOf(scan, signals);
      return { ...scan, signals: found ? riskSignalsView(found) : null };
    }),
  };
}

/**
 * The lines under the table: what "!" means, then each at-risk row (by its number in the table) with its
 * reasons. Nothing when no row is at risk.
 */
export function atRiskLegend(
  scans: readonly ResourceScan[],
  signals: ScanSignalMap,
  width: number | undefined,
): string[] {
  if (signals === null)
    return ['Warning: risk signals (OOM kills, throttling, restarts, HPA at max) could not be read.'];
  const rows = scans.flatMap((scan, i) => {
    const found = signalsOf(scan, signals);
    if (!found?.atRisk) return [];
    const o = scan.object;
    return [`  #${i + 1} ${o.namespace}/${o.name} ${o.container}: ${found.reasons.join('; ')}`];
  });
  if (rows.length === 0) return [];
  const lines = [
    `${AT_RISK_MARK} already at risk, whatever the recommendation says (OOM kills, CPU throttling, restarts, or an HPA at its maximum):`,
    ...rows,
  ];
  return width === undefined ? lines : lines.flatMap((line) => wrap(line, width));
}
