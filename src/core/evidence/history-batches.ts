// Containers packed into few queries: each batch names its namespaces, pods and containers exactly, so
// that a plan of three containers in a namespace of five hundred pods reads three containers' series,
// and a whole scan reads in a handful of queries.

import type { PodData } from '../recommend/model.js';
import {
  clusterMatcher,
  escapeRegex,
  exactAlternation,
  matchers,
  namespaceMatcher,
  quoteLabelValue,
  type ClusterLabel,
} from '../prometheus/promql.js';

/** One container whose history is loaded, with the pods it ran in (current and deleted). */
export interface BatchedContainer {
  namespace: string;
  kind: string;
  name: string;
  container: string;
  pods: readonly PodData[];
}

export interface HistoryBatch<C extends BatchedContainer> {
  namespaces: string[];
  pods: string[];
  containers: C[];
}

export interface BatchLimits {
  /** Longest pod alternation in one query (VictoriaMetrics rejects queries over 16 KiB by default). */
  maxPodRegexLength: number;
  /** Pod × container series one query returns at most (each up to MAX_CHART_POINTS points). */
  maxSeries: number;
}

export const DEFAULT_BATCH_LIMITS: BatchLimits = { maxPodRegexLength: 12_000, maxSeries: 2_000 };

/**
 * Batches in the given order, a workload's containers kept together where they fit. Containers without
 * pods are left out: there is nothing to read for them.
 */
export function planHistoryBatches<C extends BatchedContainer>(
  containers: readonly C[],
  limits: BatchLimits = DEFAULT_BATCH_LIMITS,
): Array<HistoryBatch<C>> {
  interface Open {
    namespaces: Set<string>;
    pods: Set<string>;
    containers: C[];
    regexLength: number;
    series: number;
  }
  const batches: Array<HistoryBatch<C>> = [];
  const close = (batch: Open) =>
    batches.push({ namespaces: [...batch.namespaces], pods: [...batch.pods], containers: batch.containers });
  const regexCost = (names: string[]) => names.reduce((n, name) => n + escapeRegex(name).length + 1, 0);
  let open: Open | undefined;
  for (const c of containers) {
    if (c.pods.length === 0) continue;
    const names = c.pods.map((p) => p.name);
    const fresh = (batch: Open) => names.filter((name) => !batch.pods.has(name));
    if (
      open &&
      (open.regexLength + regexCost(fresh(open)) > limits.maxPodRegexLength ||
        open.series + names.length > limits.maxSeries)
    ) {
      close(open);
      open = undefined;
    }
    open ??= { namespaces: new Set(), pods: new Set(), containers: [], regexLength: 0, series: 0 };
    const added = fresh(open);
    open.regexLength += regexCost(added);
    for (const name of added) open.pods.add(name);
    open.namespaces.add(c.namespace);
    open.containers.push(c);
    open.series += names.length;
  }
  if (open) close(open);
  return batches;
}

/**
 * The label matchers of a batch. Pod names from several namespaces share one alternation: a pod of the
 * same name in another of the batch's namespaces is read too and then ignored (results are filed by
 * namespace, pod and container), which costs less than a query per namespace.
 */
export function batchSelector(
  batch: HistoryBatch<BatchedContainer>,
  options: { podLabel?: string; clusterLabel?: ClusterLabel | undefined },
): string {
  const containers = [...new Set(batch.containers.map((c) => c.container))];
  return matchers(
    namespaceMatcher(batch.namespaces),
    `${options.podLabel ?? 'pod'}=~${quoteLabelValue(exactAlternation(batch.pods))}`,
    `container=~${quoteLabelValue(exactAlternation(containers))}`,
    clusterMatcher(options.clusterLabel),
  );
}
