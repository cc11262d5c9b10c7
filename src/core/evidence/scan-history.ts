// The usage history of some of a scan's containers, with the strategy settings that scan used: what the
// details panel, the approval panel and the HTML report chart.

import type { ObservedUsage } from '../changes/risk.js';
import type { KubeTarget } from '../kube/kubeconfig.js';
import type { PrometheusClient } from '../prometheus/client.js';
import type { ScanResult } from '../recommend/model.js';
import { listHpaTargets } from './hpa-targets.js';
import { historyContainerOf, historyHoursOf } from './scan-signals.js';
import { historyKey, loadUsageHistory, type UsageHistoryOptions } from './usage-history.js';
import type { ContainerUsageHistory } from './usage-history-model.js';

/** The strategy readings a chart draws: the CPU percentile (simple's, or simple_limit's request) and the memory buffer. */
export function strategyLinesOf(
  result: Pick<ScanResult, 'strategy'>,
): Pick<UsageHistoryOptions, 'historyHours' | 'cpuPercentile' | 'memoryBufferPercent' | 'timeframeMinutes'> {
  const settings = result.strategy.settings;
  const number = (value: unknown, fallback: number) => (typeof value === 'number' ? value : fallback);
  const percentile =
    result.strategy.name === 'simple_limit'
      ? number(settings.cpu_request, 66)
      : number(settings.cpu_percentile, 95);
  return {
    historyHours: historyHoursOf(result),
    cpuPercentile: percentile,
    memoryBufferPercent: number(settings.memory_buffer_percentage, 15),
    timeframeMinutes: number(settings.timeframe_duration, 1.25),
  };
}

export interface ScanHistoryOptions {
  /** Unix seconds the window ends at (the scan's time, so the chart shows what the recommendation read). */
  time: number;
  /** The scan's readings per `namespace/kind/name/container` (memory peak, CPU p95), reused when given. */
  observed?: ReadonlyMap<string, ObservedUsage>;
  relatedPodLabel?: string;
  maxPoints?: number;
}

/**
 * The histories of the scan rows with these keys (`namespace/kind/name/container`; unknown keys are left
 * out). The HPAs of the rows that have one are listed for the "HPA at max" signal; when that fails the
 * signal is left false rather than the whole history lost.
 */
export async function loadScanHistory(
  kube: KubeTarget,
  client: PrometheusClient,
  result: ScanResult,
  keys: readonly string[],
  options: ScanHistoryOptions,
): Promise<ContainerUsageHistory[]> {
  const wanted = new Set(keys);
  const rows = result.scans.filter((scan) => wanted.has(historyKey(scan.object)));
  const withHpa = [...new Set(rows.filter((r) => r.object.hpa !== null).map((r) => r.object.namespace))];
  const hpaTargets =
    withHpa.length > 0 ? await listHpaTargets(kube, withHpa).catch(() => undefined) : undefined;
  const histories = await loadUsageHistory(
    client,
    rows.map((row) => historyContainerOf(row, options.observed)),
    {
      ...strategyLinesOf(result),
      time: options.time,
      ...(hpaTargets ? { hpaTargets } : {}),
      ...(options.relatedPodLabel ? { relatedPodLabel: options.relatedPodLabel } : {}),
      ...(options.maxPoints !== undefined ? { maxPoints: options.maxPoints } : {}),
    },
  );
  return keys.flatMap((key) => (histories.has(key) ? [histories.get(key)!] : []));
}
