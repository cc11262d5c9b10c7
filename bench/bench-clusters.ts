// What the bench scans: one synthetic cluster with its own Prometheus, or a fleet of synthetic clusters whose
// histories share one Prometheus and are told apart by a `cluster` label (each series carries the cluster's
// context name), as a Thanos or Mimir for a fleet holds them. One Kubernetes API simulator per cluster, and
// one kubeconfig with a context per cluster.
import { writeFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import type { FixtureCluster } from '../src/demo/cluster-model.js';
import { fixtureObjects, kubeconfigYaml, startKubeSimulator } from '../src/demo/kube-simulator/index.js';
import { startPrometheus } from '../src/demo/prometheus/prometheus-process.js';
import { buildSyntheticCluster } from '../test/support/fixture/synthetic-cluster.js';

export interface BenchClustersOptions {
  /** Workloads in all clusters together. */
  workloads: number;
  /** 0: one cluster with its own Prometheus; N: N clusters in one shared Prometheus. */
  fleet: number;
  historyHours: number;
  /** Unix seconds of the last sample (whole hours reuse the cached history). */
  endTime: number;
  kubeconfigPath: string;
}

export interface BenchClusters {
  prometheusUrl: string;
  prometheusPid: number;
  kubeconfig: string;
  contexts: string[];
  /** The label telling the clusters apart in a fleet's Prometheus. */
  clusterLabelName?: string;
  series: number;
  samples: number;
  stop(): Promise<void>;
}

export const FLEET_LABEL = 'cluster';

export async function startBenchClusters(options: BenchClustersOptions): Promise<BenchClusters> {
  const count = Math.max(1, options.fleet);
  const contexts =
    options.fleet > 0 ? Array.from({ length: count }, (_, i) => `cluster-${i + 1}`) : ['bench'];
  const clusters: FixtureCluster[] = contexts.map((context, i) => {
    const workloads = Math.round(options.workloads / count);
    const cluster = buildSyntheticCluster({
      workloads,
      namespaces: Math.max(4, Math.round(workloads / 25)),
      endTime: options.endTime,
      historySeconds: options.historyHours * 3600,
      // The single cluster keeps the seed it always had, so its cached history stays valid.
      seed: options.fleet > 0 ? options.workloads * 100 + i : options.workloads,
    });
    return options.fleet > 0
      ? { ...cluster, name: context, prometheusLabels: { [FLEET_LABEL]: context } }
      : cluster;
  });
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    await Promise.allSettled(stops.map((s) => s()));
  };
  try {
    const prometheus = await startPrometheus(options.fleet > 0 ? { clusters } : { cluster: clusters[0]! });
    stops.push(() => prometheus.stop());
    const kubeconfigs: string[] = [];
    for (const [i, cluster] of clusters.entries()) {
      const kube = await startKubeSimulator({
        objects: fixtureObjects(cluster),
        rolloutsCrd: cluster.rolloutsCrd,
      });
      stops.push(() => kube.stop());
      kubeconfigs.push(
        kubeconfigYaml(kube.url, undefined, { contextName: contexts[i]!, userName: contexts[i]! }),
      );
    }
    writeFileSync(options.kubeconfigPath, mergedKubeconfig(kubeconfigs), { mode: 0o600 });
    return {
      prometheusUrl: prometheus.url,
      prometheusPid: prometheus.pid,
      kubeconfig: options.kubeconfigPath,
      contexts,
      ...(options.fleet > 0 ? { clusterLabelName: FLEET_LABEL } : {}),
      series: prometheus.generated.series,
      samples: prometheus.generated.samples,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** One kubeconfig holding every file's clusters, users and contexts; the first context is current. */
function mergedKubeconfig(files: readonly string[]): string {
  const docs = files.map((f) => parse(f) as Record<string, unknown[] | string>);
  const all = (key: string) => docs.flatMap((d) => d[key] as unknown[]);
  return stringify({
    ...docs[0],
    clusters: all('clusters'),
    users: all('users'),
    contexts: all('contexts'),
  });
}
