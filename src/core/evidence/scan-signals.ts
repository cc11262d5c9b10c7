// A finished scan's rows as the history loader reads them, and the signals of a whole scan in one call:
// what the CLI's table, the tree and the MCP tools share.

import type { ObservedUsage } from '../changes/risk.js';
import type { KubeTarget } from '../kube/kubeconfig.js';
import type { PrometheusClient } from '../prometheus/client.js';
import type { Allocations, RecommendationValue, ResourceScan, ScanResult } from '../recommend/model.js';
import { listHpaTargets, type HpaTarget } from './hpa-targets.js';
import {
  historyKey,
  loadRiskSignals,
  type BatchedContainer,
  type HistoryContainer,
} from './usage-history.js';
import type { ResourceLines, RiskSignals } from './usage-history-model.js';

/** The container of a scan row, with every pod the scan found for it (current and deleted). */
export function scannedContainer(scan: ResourceScan): BatchedContainer {
  const o = scan.object;
  return { namespace: o.namespace, kind: o.kind, name: o.name, container: o.container, pods: o.pods };
}

const amount = (value: RecommendationValue) => (typeof value === 'number' ? value : undefined);

/** krr's allocations (numbers, "?" or null) as chart lines: only the values that are set and known. */
export function resourceLinesOf(allocations: Allocations): ResourceLines {
  const pick = (values: Allocations['requests']) => {
    const cpu = amount(values.cpu);
    const memory = amount(values.memory);
    return { ...(cpu !== undefined ? { cpu } : {}), ...(memory !== undefined ? { memory } : {}) };
  };
  return { requests: pick(allocations.requests), limits: pick(allocations.limits) };
}

/** A scan row ready for loadUsageHistory, reusing the scan's own readings when given. */
export function historyContainerOf(
  scan: ResourceScan,
  observed?: ReadonlyMap<string, ObservedUsage>,
): HistoryContainer {
  const container = scannedContainer(scan);
  const usage = observed?.get(historyKey(container));
  return {
    ...container,
    current: resourceLinesOf(scan.object.allocations),
    ...(usage ? { observed: usage } : {}),
  };
}

/** The window the scan's strategy read (krr's history_duration, 336 hours by default). */
export function historyHoursOf(result: Pick<ScanResult, 'strategy'>): number {
  const hours = result.strategy.settings.history_duration;
  return typeof hours === 'number' && hours > 0 ? hours : 336;
}

export interface ScanSignalsOptions {
  /** Unix seconds the scan was evaluated at. */
  time: number;
  historyHours: number;
  relatedPodLabel?: string;
  concurrency?: number;
  /** HPAs already listed; absent: listed here. */
  hpaTargets?: readonly HpaTarget[];
}

export interface ScanSignals {
  /** Keyed `namespace/kind/name/container`. */
  signals: Map<string, RiskSignals>;
  /** What could not be read (the HPAs), one sentence each; the signals are complete without them otherwise. */
  problems: string[];
}

/**
 * The risk signals of scan rows. A Prometheus failure is thrown (nothing could be read); an HPA listing
 * that fails only leaves "HPA at max" unknown, said in `problems`.
 */
export async function loadScanSignals(
  kube: KubeTarget,
  client: PrometheusClient,
  scans: readonly ResourceScan[],
  options: ScanSignalsOptions,
): Promise<ScanSignals> {
  const problems: string[] = [];
  let hpaTargets = options.hpaTargets;
  // The scan saw every HPA already (krr's `hpa` of each row): only their namespaces are listed again, for
  // the HPAs' names, and nothing at all when no row has one.
  const withHpa = [...new Set(scans.filter((s) => s.object.hpa !== null).map((s) => s.object.namespace))];
  if (!hpaTargets && withHpa.length > 0) {
    try {
      hpaTargets = await listHpaTargets(kube, withHpa);
    } catch (error) {
      problems.push(`whether an HPA sat at its maximum replicas is unknown: ${(error as Error).message}`);
    }
  }
  const signals = await loadRiskSignals(client, scans.map(scannedContainer), {
    time: options.time,
    historyHours: options.historyHours,
    ...(options.relatedPodLabel ? { relatedPodLabel: options.relatedPodLabel } : {}),
    ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
    ...(hpaTargets ? { hpaTargets } : {}),
  });
  return { signals, problems };
}

/** How many of the containers are at risk, for logs: "3 of 42 containers at risk". */
export function atRiskSummary(signals: ReadonlyMap<string, RiskSignals>): string {
  const atRisk = [...signals.values()].filter((s) => s.atRisk).length;
  return `${atRisk} of ${signals.size} containers at risk`;
}
