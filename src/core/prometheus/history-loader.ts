import type { HistoryData, LoaderName } from '../recommend/history.js';
import type { PodData } from '../recommend/model.js';
import type { PrometheusClient, Series } from './client.js';
import {
  clusterMatcher,
  durationString,
  exactAlternation,
  matchers,
  namespaceMatcher,
  quoteLabelValue,
  stepSeconds,
  type ClusterLabel,
} from './promql.js';
import { usageQuery } from './usage-queries.js';

/** A workload whose history is loaded: its pods (current and deleted) and the containers to report. */
export interface HistoryWorkload {
  key: string;
  namespace: string;
  containers: string[];
  pods: PodData[];
}

/** Workloads whose usage is read with one query per loader. */
export interface HistoryBatch {
  namespaces: string[];
  /** Restrict to these pods (when the namespaces hold many pods that are not scanned). */
  pods?: string[];
  workloads: HistoryWorkload[];
}

export interface HistoryOptions {
  time: number;
  historyHours: number;
  timeframeMinutes: number;
  cpuPercentile?: number;
  loaders: LoaderName[];
  clusterLabel?: ClusterLabel;
}

export function containerKey(workloadKey: string, container: string): string {
  return `${workloadKey}/${container}`;
}

const GROUP_BY = 'namespace, container, pod, job';

/**
 * Loads every loader's data for a batch and returns it per (workload, container) in the shape krr's
 * strategies read. Series scraped by several jobs are reduced like krr's `filter_prom_jobs_results`.
 */
export async function loadHistory(
  client: PrometheusClient,
  batch: HistoryBatch,
  options: HistoryOptions,
): Promise<Map<string, HistoryData>> {
  const step = stepSeconds(options.timeframeMinutes);
  const selector = matchers(
    namespaceMatcher(batch.namespaces),
    batch.pods && `pod=~${quoteLabelValue(exactAlternation(batch.pods))}`,
    'container!=""',
    'container!="POD"',
    clusterMatcher(options.clusterLabel),
  );
  const params = {
    selector,
    stepSeconds: step,
    duration: durationString(options.historyHours),
    groupBy: GROUP_BY,
    ...(options.cpuPercentile !== undefined ? { cpuPercentile: options.cpuPercentile } : {}),
  };

  const results = await Promise.all(
    options.loaders.map(async (loader): Promise<[LoaderName, Map<string, number[]>]> => {
      const query = usageQuery(loader, params);
      let series: Series[];
      if (loader === 'CPULoader') {
        const end = Math.floor(options.time / 60) * 60;
        series = await client.rangeQuery(query, end - Math.round(options.historyHours * 3600), end, step);
      } else {
        series = (await client.instantQuery(query, options.time)).map((s) => ({
          metric: s.metric,
          values: [s.value],
          timestamps: [],
        }));
      }
      return [loader, byPodContainer(series)];
    }),
  );

  const history = new Map<string, HistoryData>();
  for (const w of batch.workloads) {
    for (const container of w.containers) {
      const data: HistoryData = {};
      for (const [loader, values] of results) {
        const perPod = new Map<string, number[]>();
        for (const pod of w.pods) {
          const v = values.get(`${w.namespace}/${pod.name}/${container}`);
          if (v) perPod.set(pod.name, v);
        }
        data[loader] = perPod;
      }
      history.set(containerKey(w.key, container), data);
    }
  }
  return history;
}

/** One series per (namespace, pod, container): job="kubelet" if present, else the first job by name. */
function byPodContainer(series: Series[]): Map<string, number[]> {
  const chosen = new Map<string, { job: string; values: number[] }>();
  for (const s of series) {
    const { namespace, pod, container } = s.metric;
    if (namespace === undefined || pod === undefined || container === undefined) continue;
    const key = `${namespace}/${pod}/${container}`;
    const job = s.metric.job ?? '';
    const current = chosen.get(key);
    if (!current || (current.job !== 'kubelet' && (job === 'kubelet' || job < current.job))) {
      chosen.set(key, { job, values: s.values });
    }
  }
  return new Map([...chosen].map(([k, v]) => [k, v.values]));
}
