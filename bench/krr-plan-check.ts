// krr's side of the bench: one krr run per cluster (listing its workloads and HPAs, then krr's per-object
// query plan, krr-query-plan.ts), and the check that our scan's rows carry exactly the recommendations, info
// strings and pods that krr's plan gives.
import { hpaKey, listHpas, type HpaIndex } from '../src/core/kube/hpas.js';
import { loadKubeTarget } from '../src/core/kube/kubeconfig.js';
import { WorkloadLister } from '../src/core/kube/workloads.js';
import { PrometheusClient } from '../src/core/prometheus/client.js';
import type { ScanResult } from '../src/core/recommend/model.js';
import { roundRecommendation } from '../src/core/recommend/rounding.js';
import type { Strategy } from '../src/core/recommend/strategies/strategy.js';
import { replayKrrPlan, type ReplayedObject } from './krr-query-plan.js';

export interface KrrPlanRun {
  /** Per cluster, in the order given. */
  clusters: Array<{ context: string; replayed: ReplayedObject[]; hpas: HpaIndex }>;
  queries: number;
  wallS: number;
}

/**
 * krr scans one cluster per run when its Prometheus is given (`-p`), so a fleet is one run per cluster, one
 * after the other, each with `--prometheus-label NAME -l CONTEXT`.
 */
export async function runKrrPlan(options: {
  kubeconfig: string;
  contexts: readonly string[];
  prometheusUrl: string;
  clusterLabelName: string | undefined;
  strategy: Strategy;
  time: number;
}): Promise<KrrPlanRun> {
  const client = new PrometheusClient({ url: options.prometheusUrl, timeoutMs: 300_000 });
  const started = performance.now();
  const clusters: KrrPlanRun['clusters'] = [];
  for (const context of options.contexts) {
    const target = loadKubeTarget({ kubeconfig: options.kubeconfig, context });
    const workloads = await new WorkloadLister(target).list({ namespaces: undefined, kinds: [] });
    const hpas = await listHpas(target, undefined);
    const objects = workloads.flatMap((w) =>
      w.containers.map((c) => ({ kind: w.kind, namespace: w.namespace, name: w.name, container: c.name })),
    );
    const replayed = await replayKrrPlan(client, objects, options.strategy, options.time, {
      ...(options.clusterLabelName
        ? { clusterLabel: { name: options.clusterLabelName, value: context } }
        : {}),
    });
    clusters.push({ context, replayed, hpas });
  }
  return { clusters, queries: client.queryCount, wallS: (performance.now() - started) / 1000 };
}

export interface RecommendationCheck {
  objects: number;
  matched: number;
  mismatches: string[];
}

const MINIMUMS = { cpu_min_value: 10, memory_min_value: 100 };

/** Runs the strategy on krr's replayed data and compares every row with our scan's. */
export function checkRecommendations(
  krr: KrrPlanRun,
  ours: ScanResult,
  strategy: Strategy,
): RecommendationCheck {
  const key = (cluster: string | null, ns: string, kind: string, name: string, container: string) =>
    `${cluster ?? ''}/${ns}/${kind}/${name}/${container}`;
  const byKey = new Map(
    ours.scans.map((s) => [
      key(s.object.cluster, s.object.namespace, s.object.kind, s.object.name, s.object.container),
      s,
    ]),
  );
  const mismatches: string[] = [];
  let objects = 0;
  for (const { context, replayed, hpas } of krr.clusters) {
    for (const r of replayed) {
      objects++;
      const k = key(context, r.object.namespace, r.object.kind, r.object.name, r.object.container);
      const scan = byKey.get(k);
      if (!scan) {
        mismatches.push(`${k}: missing from our scan`);
        continue;
      }
      const hpa = hpas.get(hpaKey(r.object.namespace, r.object.kind, r.object.name));
      const out = strategy.run(r.history, {
        cpu: hpa?.target_cpu_utilization_percentage ?? null,
        memory: hpa?.target_memory_utilization_percentage ?? null,
      });
      const show = (v: number | null) => (v !== null && Number.isNaN(v) ? '?' : v);
      const theirs = [
        show(roundRecommendation(out.cpu.request, 'cpu', MINIMUMS)),
        show(roundRecommendation(out.cpu.limit, 'cpu', MINIMUMS)),
        show(roundRecommendation(out.memory.request, 'memory', MINIMUMS)),
        out.cpu.info,
        out.memory.info,
        r.pods.map((p) => `${p.name}:${p.deleted}`).join(','),
      ];
      const mine = [
        scan.recommended.requests.cpu.value,
        scan.recommended.limits.cpu.value,
        scan.recommended.requests.memory.value,
        scan.recommended.info.cpu,
        scan.recommended.info.memory,
        scan.object.pods.map((p) => `${p.name}:${p.deleted}`).join(','),
      ];
      if (JSON.stringify(theirs) !== JSON.stringify(mine))
        mismatches.push(`${k}: krr plan ${JSON.stringify(theirs)} vs ours ${JSON.stringify(mine)}`);
    }
  }
  const matched = objects - mismatches.length;
  if (ours.scans.length !== objects)
    mismatches.push(`our scan has ${ours.scans.length} rows, krr's plan ${objects}`);
  return { objects, matched, mismatches };
}
