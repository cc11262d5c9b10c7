import { BatchV1Api, CoreV1Api, type V1LabelSelector, type V1Pod } from '@kubernetes/client-node';
import type { PodData } from '../recommend/model.js';
import { describeKubeError } from './errors.js';
import type { KubeTarget } from './kubeconfig.js';
import type { Workload } from './workloads.js';

/** Renders a LabelSelector as the API's labelSelector query string. */
export function selectorString(selector: V1LabelSelector): string {
  const parts = Object.entries(selector.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of selector.matchExpressions ?? []) {
    const values = (e.values ?? []).join(',');
    if (e.operator === 'In') parts.push(`${e.key} in (${values})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${values})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  return parts.join(',');
}

/**
 * krr's fallback when kube-state-metrics knows no pods of a workload: the workload's current pods from
 * the API (deleted pods cannot be found this way). A CronJob's pods are those of its Jobs.
 */
export class ApiPodFinder {
  private readonly core: CoreV1Api;
  private readonly batch: BatchV1Api;

  constructor(private readonly target: KubeTarget) {
    this.core = target.kubeConfig.makeApiClient(CoreV1Api);
    this.batch = target.kubeConfig.makeApiClient(BatchV1Api);
  }

  async currentPods(workload: Workload): Promise<PodData[]> {
    const { namespace } = workload;
    try {
      let pods: V1Pod[];
      if (workload.kind === 'CronJob') {
        const jobs = await this.batch.listNamespacedJob({ namespace });
        const jobUids = jobs.items
          .filter((j) =>
            j.metadata?.ownerReferences?.some((o) => o.kind === 'CronJob' && o.name === workload.name),
          )
          .map((j) => j.metadata?.uid ?? '');
        if (jobUids.length === 0) return [];
        const list = await this.core.listNamespacedPod({
          namespace,
          labelSelector: `batch.kubernetes.io/controller-uid in (${jobUids.join(',')})`,
        });
        pods = list.items;
      } else {
        if (!workload.selector) return [];
        const list = await this.core.listNamespacedPod({
          namespace,
          labelSelector: selectorString(workload.selector),
        });
        pods = list.items;
      }
      return pods
        .map((p) => ({ name: p.metadata?.name ?? '', deleted: false }))
        .sort((a, b) => a.name.localeCompare(b.name));
    } catch (error) {
      throw describeKubeError(
        error,
        `list the pods of ${workload.kind} ${namespace}/${workload.name}`,
        this.target.identity.server,
      );
    }
  }
}
