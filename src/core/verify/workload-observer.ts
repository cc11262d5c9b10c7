// Watches one workload for the verification: the object itself (by name), its pods (by its selector) and,
// for a Deployment, its ReplicaSets, each as a list-then-watch cache. `refresh()` re-lists everything: the
// verdict at the end of the window is taken from a consistent read, not from events still in flight.

import { AppsV1Api, BatchV1Api, CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import type { WorkloadTarget } from '../changes/change-request.js';
import type { JsonObject } from '../changes/workload-object.js';
import type { KubeTarget } from '../kube/kubeconfig.js';
import { selectorOf } from '../resize/templates.js';
import type { Clock } from './clock.js';
import { ListWatch, type ListResult, type ListWatchSource } from './list-watch.js';
import type { WorkloadObservation } from './workload-health.js';

function plain(list: unknown): ListResult {
  const json = JSON.parse(JSON.stringify(list ?? {})) as {
    items?: JsonObject[];
    metadata?: { resourceVersion?: string };
  };
  return { items: json.items ?? [], resourceVersion: json.metadata?.resourceVersion ?? '' };
}

const ROLLOUTS = { group: 'argoproj.io', version: 'v1alpha1', plural: 'rollouts' } as const;

export class WorkloadObserver {
  private readonly workload: ListWatch;
  private pods: ListWatch | undefined;
  private replicaSets: ListWatch | undefined;
  private readonly core: CoreV1Api;
  private readonly apps: AppsV1Api;

  constructor(
    private readonly kube: KubeTarget,
    readonly target: WorkloadTarget,
    private readonly options: { clock: Clock; signal: AbortSignal; onChange(): void },
  ) {
    this.core = kube.kubeConfig.makeApiClient(CoreV1Api);
    this.apps = kube.kubeConfig.makeApiClient(AppsV1Api);
    this.workload = new ListWatch(kube, this.workloadSource(), options);
  }

  private workloadSource(): ListWatchSource {
    const { kind, namespace, name } = this.target;
    const ns = encodeURIComponent(namespace);
    const fieldSelector = `metadata.name=${name}`;
    const batch = this.kube.kubeConfig.makeApiClient(BatchV1Api);
    const custom = this.kube.kubeConfig.makeApiClient(CustomObjectsApi);
    const sources: Record<WorkloadTarget['kind'], [string, () => Promise<unknown>]> = {
      Deployment: [
        `/apis/apps/v1/namespaces/${ns}/deployments`,
        () => this.apps.listNamespacedDeployment({ namespace, fieldSelector }),
      ],
      StatefulSet: [
        `/apis/apps/v1/namespaces/${ns}/statefulsets`,
        () => this.apps.listNamespacedStatefulSet({ namespace, fieldSelector }),
      ],
      DaemonSet: [
        `/apis/apps/v1/namespaces/${ns}/daemonsets`,
        () => this.apps.listNamespacedDaemonSet({ namespace, fieldSelector }),
      ],
      Job: [
        `/apis/batch/v1/namespaces/${ns}/jobs`,
        () => batch.listNamespacedJob({ namespace, fieldSelector }),
      ],
      CronJob: [
        `/apis/batch/v1/namespaces/${ns}/cronjobs`,
        () => batch.listNamespacedCronJob({ namespace, fieldSelector }),
      ],
      Rollout: [
        `/apis/argoproj.io/v1alpha1/namespaces/${ns}/rollouts`,
        () => custom.listNamespacedCustomObject({ ...ROLLOUTS, namespace, fieldSelector }),
      ],
    };
    const [path, list] = sources[kind];
    return { path, fieldSelector, list: async () => plain(await list()) };
  }

  /** Lists the workload, then watches it, its pods and (Deployments) its ReplicaSets. */
  async start(): Promise<void> {
    await this.workload.start();
    const object = this.current();
    const selector = object ? selectorOf(((object.spec ?? {}) as JsonObject).selector) : '';
    const rolls = this.target.kind !== 'Job' && this.target.kind !== 'CronJob';
    if (!selector || !rolls) return;
    const { namespace } = this.target;
    const ns = encodeURIComponent(namespace);
    this.pods = new ListWatch(
      this.kube,
      {
        path: `/api/v1/namespaces/${ns}/pods`,
        labelSelector: selector,
        list: async () => plain(await this.core.listNamespacedPod({ namespace, labelSelector: selector })),
      },
      this.options,
    );
    if (this.target.kind === 'Deployment')
      this.replicaSets = new ListWatch(
        this.kube,
        {
          path: `/apis/apps/v1/namespaces/${ns}/replicasets`,
          labelSelector: selector,
          list: async () =>
            plain(await this.apps.listNamespacedReplicaSet({ namespace, labelSelector: selector })),
        },
        this.options,
      );
    await Promise.all([this.pods.start(), this.replicaSets?.start()]);
  }

  /** A consistent read of everything, for a verdict that must not depend on events in flight. */
  async refresh(): Promise<void> {
    await Promise.all([this.workload.relist(), this.pods?.relist(), this.replicaSets?.relist()]);
  }

  private current(): JsonObject | undefined {
    return [...this.workload.items.values()][0];
  }

  observation(): WorkloadObservation {
    const watches = [this.workload, this.pods, this.replicaSets].filter(
      (w): w is ListWatch => w !== undefined,
    );
    return {
      target: this.target,
      workload: this.current(),
      replicaSets: [...(this.replicaSets?.items.values() ?? [])],
      pods: [...(this.pods?.items.values() ?? [])],
      problems: watches.map((w) => w.problem).filter((p): p is string => p !== undefined),
    };
  }

  /** How each cache is kept fresh ("watch" or "poll"), for progress reports. */
  modes(): string[] {
    return [this.workload, this.pods, this.replicaSets].filter((w) => w !== undefined).map((w) => w.mode);
  }
}
