// The usage a person's approval rests on, read by the approval authority itself: Prometheus as the person
// configured it, krr's default window (14 days) and percentiles, never the settings an agent chose for its
// own scan. The safety rules compare new values with this usage; when it cannot be read, the plan says so
// and its risk is raised (or, by the person's rule, blocked): missing evidence never reads as "fine".

import type { ChangeRequest } from '../changes/change-request.js';
import { observedKey } from '../changes/plan-builder.js';
import type { ObservedUsage } from '../changes/risk.js';
import type { KubeTarget } from '../kube/kubeconfig.js';
import type { PrometheusClient } from '../prometheus/client.js';
import { explainError, NEUTRAL_NAMES } from '../input/parameters.js';
import { parseStrategyConfig } from '../recommend/settings.js';
import type { ScanResult } from '../recommend/model.js';
import { scanCluster } from '../scan/scanner.js';
import { loadScanHistory } from './scan-history.js';
import type { ContainerUsageHistory } from './usage-history-model.js';

export interface UsageEvidence {
  /** Memory peak and CPU p95 per namespace/kind/name/container, where Prometheus had them. */
  observed: Map<string, ObservedUsage>;
  /** Why some or all of it is missing, one line per cause, for the person; empty when complete. */
  missing: string[];
  /** The Prometheus it was read from (no credentials), when one could be set up. */
  source: string | null;
  /**
   * The changed containers' usage over the window, for the charts the person judges by, with their risk
   * signals; empty when they could not be read (the checks above do not depend on them).
   */
  histories: ContainerUsageHistory[];
}

/** Where the authority reads Prometheus: the person's settings and credentials, for a cluster. */
export type PrometheusForCluster = (kube: KubeTarget) => Promise<PrometheusClient>;

/** krr's defaults: 14 days, p95 for CPU, the memory peak. */
const EVIDENCE_STRATEGY = parseStrategyConfig('simple', {});

export async function readUsageEvidence(
  kube: KubeTarget,
  prometheus: PrometheusForCluster,
  request: ChangeRequest,
  time?: number,
): Promise<UsageEvidence> {
  const containers = request.workloads.flatMap((w) =>
    w.containers.map((c) => ({ key: observedKey(w.namespace, w.kind, w.name, c.container), w, c })),
  );
  let observed: Map<string, ObservedUsage>;
  let source: string | null = null;
  let client: PrometheusClient;
  let result: ScanResult;
  const scanTime = time ?? Math.floor(Date.now() / 1000);
  try {
    client = await prometheus(kube);
    source = client.displaySource;
    ({ observed, result } = await scanCluster(kube, client, {
      strategy: EVIDENCE_STRATEGY,
      minimums: { cpu_min_value: 10, memory_min_value: 100 },
      namespaces: [...new Set(request.workloads.map((w) => w.namespace))],
      kinds: [...new Set(request.workloads.map((w) => w.kind))],
      time: scanTime,
    }));
  } catch (error) {
    return {
      observed: new Map(),
      missing: [`Prometheus could not be read (${explainError(error, NEUTRAL_NAMES)})`],
      source,
      histories: [],
    };
  }
  const missing: string[] = [];
  for (const { key, w, c } of containers) {
    const usage = observed.get(key);
    const gaps = [
      usage?.memoryPeakBytes === undefined ? 'memory peak' : undefined,
      usage?.cpuP95Cores === undefined ? 'CPU p95' : undefined,
    ].filter(Boolean);
    if (gaps.length > 0)
      missing.push(
        `${w.kind} ${w.namespace}/${w.name} ${c.container}: no ${gaps.join(' or ')} in Prometheus over 14 days`,
      );
  }
  const histories = await loadScanHistory(
    kube,
    client,
    result,
    containers.map((c) => c.key),
    { time: scanTime, observed },
  ).catch(() => []);
  return { observed, missing, source, histories };
}

/** The stricter of two readings per container (a hint from an agent's scan can only add blocks). */
export function strictestUsage(
  own: Map<string, ObservedUsage>,
  hint: ReadonlyArray<[string, ObservedUsage]>,
): Map<string, ObservedUsage> {
  const merged = new Map(own);
  for (const [key, usage] of hint) {
    const mine = merged.get(key) ?? {};
    const max = (a: number | undefined, b: number | undefined) =>
      a === undefined ? b : b === undefined ? a : Math.max(a, b);
    const memoryPeakBytes = max(mine.memoryPeakBytes, usage.memoryPeakBytes);
    const cpuP95Cores = max(mine.cpuP95Cores, usage.cpuP95Cores);
    merged.set(key, {
      ...(memoryPeakBytes !== undefined ? { memoryPeakBytes } : {}),
      ...(cpuP95Cores !== undefined ? { cpuP95Cores } : {}),
    });
  }
  return merged;
}
