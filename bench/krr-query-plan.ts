// A replay of krr's own per-object query plan (krr-spec §3.3–3.4): for every (workload, container),
// pod discovery through kube-state-metrics (owners → pods → running phase, owner and pod batches of 100),
// then each loader's query per batch of 50 pods, with krr's exact query templates. The values feed the
// same strategy code as our scan, so the benchmark can check that both plans give identical results.
// With a cluster label (krr's `--prometheus-label NAME -l VALUE`), krr appends `, NAME="VALUE"` to every
// selector of every query; so does the replay.
import type { PrometheusClient } from '../src/core/prometheus/client.js';
import {
  clusterMatcher,
  discoveryPeriod,
  durationString,
  stepSeconds,
  type ClusterLabel,
} from '../src/core/prometheus/promql.js';
import { usageQuery } from '../src/core/prometheus/usage-queries.js';
import type { HistoryData, LoaderName } from '../src/core/recommend/history.js';
import type { PodData, WorkloadKind } from '../src/core/recommend/model.js';
import type { Strategy } from '../src/core/recommend/strategies/strategy.js';
import { mapWithConcurrency } from '../src/core/scan/concurrency.js';

export interface KrrObject {
  kind: WorkloadKind;
  namespace: string;
  name: string;
  container: string;
}

const POD_BATCH = 50;
const OWNER_BATCH = 100;

function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** krr joins names unescaped (`"|".join(...)`); so does the replay. */
const alternation = (names: readonly string[]) => names.join('|');

/** krr's `get_prometheus_cluster_label()`: `, NAME="VALUE"`, or nothing. */
const clusterSuffix = (label: ClusterLabel | undefined) => (label ? `, ${clusterMatcher(label)}` : '');

async function loadPods(
  client: PrometheusClient,
  o: KrrObject,
  historyHours: number,
  time: number,
  cluster: string,
): Promise<PodData[]> {
  const period = discoveryPeriod(historyHours);
  let owners: string[];
  let ownerKind: string;
  if (o.kind === 'Deployment' || o.kind === 'Rollout') {
    const series = await client.instantMatrixQuery(
      `kube_replicaset_owner{owner_name="${o.name}", owner_kind="${o.kind}", namespace="${o.namespace}"${cluster}}[${period}]`,
      time,
    );
    owners = [...new Set(series.map((s) => s.metric.replicaset ?? ''))];
    ownerKind = 'ReplicaSet';
  } else if (o.kind === 'CronJob') {
    const series = await client.instantMatrixQuery(
      `kube_job_owner{owner_name="${o.name}", owner_kind="${o.kind}", namespace="${o.namespace}"${cluster}}[${period}]`,
      time,
    );
    owners = [...new Set(series.map((s) => s.metric.job_name ?? ''))];
    ownerKind = 'Job';
  } else {
    owners = [o.name];
    ownerKind = o.kind;
  }
  const pods = new Set<string>();
  for (const batch of batches(owners, OWNER_BATCH)) {
    const samples = await client.instantQuery(
      `last_over_time(kube_pod_owner{owner_name=~"${alternation(batch)}", owner_kind="${ownerKind}", namespace="${o.namespace}"${cluster}}[${period}])`,
      time,
    );
    for (const s of samples) if (s.metric.pod) pods.add(s.metric.pod);
  }
  const running = new Set<string>();
  for (const batch of batches([...pods], OWNER_BATCH)) {
    const samples = await client.instantQuery(
      `kube_pod_status_phase{phase="Running", pod=~"${alternation(batch)}", namespace="${o.namespace}"${cluster}} == 1`,
      time,
    );
    for (const s of samples) if (s.metric.pod) running.add(s.metric.pod);
  }
  return [...pods].sort().map((name) => ({ name, deleted: !running.has(name) }));
}

async function loadHistory(
  client: PrometheusClient,
  o: KrrObject,
  pods: PodData[],
  strategy: Strategy,
  time: number,
  cluster: string,
): Promise<HistoryData> {
  const s = strategy.common;
  const step = stepSeconds(s.timeframe_duration);
  const history: HistoryData = {};
  for (const loader of strategy.loaders()) {
    const values = new Map<string, number[]>();
    for (const batch of batches(pods, POD_BATCH)) {
      const cpuPercentile = strategy.cpuPercentile();
      const query = usageQuery(loader as LoaderName, {
        selector: `namespace="${o.namespace}", pod=~"${alternation(batch.map((p) => p.name))}", container="${o.container}"${cluster}`,
        stepSeconds: step,
        duration: durationString(s.history_duration),
        groupBy: 'container, pod, job',
        ...(cpuPercentile !== undefined ? { cpuPercentile } : {}),
      });
      const series =
        loader === 'CPULoader'
          ? await client.rangeQuery(
              query,
              Math.floor(time / 60) * 60 - Math.round(s.history_duration * 3600),
              Math.floor(time / 60) * 60,
              step,
            )
          : (await client.instantQuery(query, time)).map((x) => ({
              metric: x.metric,
              values: [x.value],
              timestamps: [],
            }));
      // filter_prom_jobs_results: one series per pod, job="kubelet" first, else the first job by name.
      const chosen = new Map<string, { job: string; values: number[] }>();
      for (const x of series) {
        const pod = x.metric.pod;
        if (!pod) continue;
        const job = x.metric.job ?? '';
        const current = chosen.get(pod);
        if (!current || (current.job !== 'kubelet' && (job === 'kubelet' || job < current.job)))
          chosen.set(pod, { job, values: x.values });
      }
      for (const [pod, v] of chosen) values.set(pod, v.values);
    }
    history[loader] = values;
  }
  return history;
}

export interface ReplayedObject {
  object: KrrObject;
  pods: PodData[];
  history: HistoryData;
}

export interface ReplayOptions {
  /** krr's `-w`; its default is 10. */
  concurrency?: number;
  /** krr's `--prometheus-label` and `-l`: one cluster of a shared Prometheus. */
  clusterLabel?: ClusterLabel;
}

/** Runs krr's plan for every object of one cluster, as one krr run does. */
export async function replayKrrPlan(
  client: PrometheusClient,
  objects: readonly KrrObject[],
  strategy: Strategy,
  time: number,
  options: ReplayOptions = {},
): Promise<ReplayedObject[]> {
  const cluster = clusterSuffix(options.clusterLabel);
  return mapWithConcurrency(objects, options.concurrency ?? 10, async (object) => {
    const pods = await loadPods(client, object, strategy.common.history_duration, time, cluster);
    const history =
      pods.length > 0
        ? await loadHistory(client, object, pods, strategy, time, cluster)
        : Object.fromEntries(strategy.loaders().map((l) => [l, new Map()]));
    return { object, pods, history };
  });
}
