// Risk signals for the scan rows agents are shown, loaded once per scan snapshot and row: a page of
// scan_recommendations and a preview read the same few queries' results, and a snapshot that expires
// takes its signals with it (a WeakMap keyed by the snapshot).

import { historyKey } from '../core/evidence/usage-history.js';
import { historyHoursOf, loadScanSignals, scannedContainer } from '../core/evidence/scan-signals.js';
import type { RiskSignals } from '../core/evidence/usage-history-model.js';
import { explainError } from '../core/input/parameters.js';
import type { KubeTarget } from '../core/kube/kubeconfig.js';
import type { ResourceScan } from '../core/recommend/model.js';
import { MCP_PARAMETER_NAMES } from './parameter-names.js';
import type { ScanSnapshot } from './scan-service.js';
import type { ServerContext } from './server-context.js';

const loaded = new WeakMap<ScanSnapshot, Map<string, RiskSignals>>();

export interface RowSignals {
  /** Keyed `namespace/kind/name/container`; a row is missing when its signals could not be read. */
  signals: Map<string, RiskSignals>;
  /** Why some could not be read, for the tool's answer. */
  problems: string[];
}

export async function signalsForRows(
  context: ServerContext,
  kube: KubeTarget,
  snapshot: ScanSnapshot,
  rows: readonly ResourceScan[],
): Promise<RowSignals> {
  const known = loaded.get(snapshot) ?? new Map<string, RiskSignals>();
  loaded.set(snapshot, known);
  const keyOf = (row: ResourceScan) => historyKey(scannedContainer(row));
  const missing = rows.filter((row) => !known.has(keyOf(row)));
  const problems: string[] = [];
  if (missing.length > 0) {
    try {
      const client = await context.prometheus(kube);
      const started = performance.now();
      const before = client.queryCount;
      const read = await loadScanSignals(kube, client, missing, {
        time: Math.floor(snapshot.scannedAt.getTime() / 1000),
        historyHours: historyHoursOf(snapshot.result),
      });
      for (const [key, signals] of read.signals) known.set(key, signals);
      problems.push(...read.problems.map((p) => `Risk signals: ${p}`));
      context.log.info('risk signals loaded', {
        containers: missing.length,
        queries: client.queryCount - before,
        ms: Math.round(performance.now() - started),
      });
    } catch (error) {
      const message = explainError(error, MCP_PARAMETER_NAMES);
      context.log.warn('risk signals could not be read', { error: message });
      problems.push(`Risk signals could not be read from Prometheus: ${message}`);
    }
  }
  const signals = new Map<string, RiskSignals>();
  for (const row of rows) {
    const found = known.get(keyOf(row));
    if (found) signals.set(keyOf(row), found);
  }
  return { signals, problems };
}
