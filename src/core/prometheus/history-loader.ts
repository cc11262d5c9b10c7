import type { HistoryData, LoaderName } from '../recommend/history.js';
import type { PodData } from '../recommend/model.js';
import type { PrometheusClient, Series } from './client.js';
import { PrometheusError, type PrometheusErrorKind } from './errors.js';
import {
  clusterMatcher,
  durationSeconds,
  durationString,
  exactAlternation,
  matchers,
  namespaceMatcher,
  quoteLabelValue,
  stepSeconds,
  type ClusterLabel,
} from './promql.js';
import type { QuerySlots } from './query-slots.js';
import { usageQuery, type UsageQueryParams } from './usage-queries.js';

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
  /** Shared by every batch of a scan: bounds the queries in flight (none when absent). */
  slots?: QuerySlots;
}

export function containerKey(workloadKey: string, container: string): string {
  return `${workloadKey}/${container}`;
}

const GROUP_BY = 'namespace, container, pod, job';
/** Beyond the subquery's duration: the 75 s rate window, the 5 min lookback, and a margin. */
const READ_MARGIN_SECONDS = 600;

/**
 * Loads every loader's data for a batch and returns it per (workload, container) in the shape krr's
 * strategies read. Series scraped by several jobs are reduced like krr's `filter_prom_jobs_results`.
 *
 * Speed without changing a single value: krr wraps every usage query in `max(…) by (container, pod,
 * job)`, which merges cAdvisor series that report the same container twice (around restarts). That
 * aggregation, evaluated at each of the subquery's thousands of steps, is most of Prometheus' work. So
 * the series index first says which pods really have a group of several series; every other pod is
 * read without the aggregation (a group of one series is its own max, so the values are identical), and
 * those few pods are read again with krr's exact query.
 */
export async function loadHistory(
  prometheus: PrometheusClient,
  batch: HistoryBatch,
  options: HistoryOptions,
): Promise<Map<string, HistoryData>> {
  const client = throughSlots(prometheus, options.slots);
  const step = stepSeconds(options.timeframeMinutes);
  const selectorFor = (namespaces: string[], pods: string[] | undefined) =>
    matchers(
      namespaceMatcher(namespaces),
      pods && `pod=~${quoteLabelValue(exactAlternation(pods))}`,
      'container!=""',
      'container!="POD"',
      clusterMatcher(options.clusterLabel),
    );
  const base = {
    stepSeconds: step,
    duration: durationString(options.historyHours),
    ...(options.cpuPercentile !== undefined ? { cpuPercentile: options.cpuPercentile } : {}),
  };
  const selector = selectorFor(batch.namespaces, batch.pods);
  const readSeconds =
    Math.max(durationSeconds(options.historyHours), Math.round(options.historyHours * 3600)) +
    READ_MARGIN_SECONDS;

  const [merged, fast] = await Promise.all([
    podsWithMergedSeries(client, selector, readSeconds, options.time),
    runLoaders(client, options, { ...base, selector }),
  ]);
  if (merged.size > 0) {
    // Re-read the pods whose series krr merges, with krr's own query, and let those values win.
    const byNamespace = new Map<string, string[]>();
    for (const key of merged) {
      const [namespace, pod] = key.split('/') as [string, string];
      byNamespace.set(namespace, [...(byNamespace.get(namespace) ?? []), pod]);
    }
    for (const [namespace, pods] of byNamespace) {
      const exact = await runLoaders(client, options, {
        ...base,
        selector: selectorFor([namespace], pods),
        groupBy: GROUP_BY,
      });
      for (const [loader, values] of fast) {
        for (const key of [...values.keys()])
          if (merged.has(key.slice(0, key.lastIndexOf('/')))) values.delete(key);
        for (const [key, v] of exact.get(loader) ?? []) values.set(key, v);
      }
    }
  }

  const history = new Map<string, HistoryData>();
  for (const w of batch.workloads) {
    for (const container of w.containers) {
      const data: HistoryData = {};
      for (const [loader, values] of fast) {
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

/** The client's reads the loader uses. */
type UsageReader = Pick<PrometheusClient, 'instantQuery' | 'rangeQuery' | 'seriesLabels'>;

function throughSlots(client: PrometheusClient, slots: QuerySlots | undefined): UsageReader {
  if (!slots) return client;
  return {
    instantQuery: (query, time) => slots.run(() => client.instantQuery(query, time)),
    rangeQuery: (query, start, end, step) => slots.run(() => client.rangeQuery(query, start, end, step)),
    seriesLabels: (selectors, start, end) => slots.run(() => client.seriesLabels(selectors, start, end)),
  };
}

const CADVISOR_METRICS = ['container_cpu_usage_seconds_total', 'container_memory_working_set_bytes'];
/** A backend that refuses the series endpoint (or its size) still answers the query that reads samples. */
const SERIES_REFUSED = new Set<PrometheusErrorKind>(['query', 'http']);

/**
 * `namespace/pod` of every pod where one (metric, container, job) has several cAdvisor series in the window.
 * The series index answers this without reading a sample (a query counting the series reads every sample of
 * the window, more than any usage query). It may also name a pod whose extra series only has a chunk touching
 * the window: that pod is read with krr's exact query, which gives the same numbers, only at krr's cost.
 */
async function podsWithMergedSeries(
  client: UsageReader,
  selector: string,
  seconds: number,
  time: number,
): Promise<Set<string>> {
  let series: Array<Record<string, string>>;
  try {
    series = await client.seriesLabels(
      CADVISOR_METRICS.map((metric) => `${metric}{${selector}}`),
      time - seconds,
      time,
    );
  } catch (error) {
    if (!(error instanceof PrometheusError && SERIES_REFUSED.has(error.kind))) throw error;
    return podsWithMergedSamples(client, selector, seconds, time);
  }
  const groups = new Set<string>();
  const pods = new Set<string>();
  for (const labels of series) {
    // The groups of krr's `by (container, pod, job)` (plus namespace), per metric; a missing label is "".
    const { __name__: name, namespace = '', pod = '', container = '', job = '' } = labels;
    const group = JSON.stringify([name, namespace, pod, container, job]);
    if (groups.has(group)) pods.add(`${namespace}/${pod}`);
    else groups.add(group);
  }
  return pods;
}

/** The same answer from the samples: `count by (…) (count_over_time(…)) > 1` over the window. */
async function podsWithMergedSamples(
  client: UsageReader,
  selector: string,
  seconds: number,
  time: number,
): Promise<Set<string>> {
  const several = (metric: string) =>
    `count by (${GROUP_BY}) (count_over_time(${metric}{${selector}}[${seconds}s])) > 1`;
  const samples = await client.instantQuery(CADVISOR_METRICS.map(several).join(' or '), time);
  return new Set(samples.map((s) => `${s.metric.namespace}/${s.metric.pod}`));
}

async function runLoaders(
  client: UsageReader,
  options: HistoryOptions,
  params: UsageQueryParams,
): Promise<Map<LoaderName, Map<string, number[]>>> {
  const entries = await Promise.all(
    options.loaders.map(async (loader): Promise<[LoaderName, Map<string, number[]>]> => {
      const query = usageQuery(loader, params);
      let series: Series[];
      if (loader === 'CPULoader') {
        const end = Math.floor(options.time / 60) * 60;
        series = await client.rangeQuery(
          query,
          end - Math.round(options.historyHours * 3600),
          end,
          params.stepSeconds,
        );
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
  return new Map(entries);
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
