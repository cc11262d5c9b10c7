import { AutoscalingV1Api, AutoscalingV2Api } from '@kubernetes/client-node';
import type { HpaData } from '../recommend/model.js';
import { describeKubeError, KubeApiError } from './errors.js';
import type { KubeTarget } from './kubeconfig.js';

/** HPAs keyed by `namespace/kind/name` of the workload they scale. */
export type HpaIndex = Map<string, HpaData>;

export function hpaKey(namespace: string, kind: string, name: string): string {
  return `${namespace}/${kind}/${name}`;
}

/**
 * Lists HPAs like krr (autoscaling/v2, falling back to v1 only on 404), but without krr's pitfall of
 * filtering HPAs with the workload label selector. Other errors are reported, not hidden: a missed HPA
 * would produce a recommendation that fights the autoscaler.
 */
export async function listHpas(target: KubeTarget, namespaces: string[] | undefined): Promise<HpaIndex> {
  const index: HpaIndex = new Map();
  const scopes = namespaces ?? [undefined];
  try {
    const v2 = target.kubeConfig.makeApiClient(AutoscalingV2Api);
    for (const namespace of scopes) {
      const list = namespace
        ? await v2.listNamespacedHorizontalPodAutoscaler({ namespace })
        : await v2.listHorizontalPodAutoscalerForAllNamespaces();
      for (const hpa of list.items) {
        const metrics = hpa.spec?.metrics ?? [];
        const target = (name: string) =>
          metrics.find((m) => m.type === 'Resource' && m.resource?.name === name)?.resource?.target
            ?.averageUtilization ?? null;
        index.set(
          hpaKey(
            hpa.metadata?.namespace ?? '',
            hpa.spec?.scaleTargetRef.kind ?? '',
            hpa.spec?.scaleTargetRef.name ?? '',
          ),
          {
            min_replicas: hpa.spec?.minReplicas ?? null,
            max_replicas: hpa.spec?.maxReplicas ?? 0,
            current_replicas: hpa.status?.currentReplicas ?? null,
            desired_replicas: hpa.status?.desiredReplicas ?? 0,
            target_cpu_utilization_percentage: target('cpu'),
            target_memory_utilization_percentage: target('memory'),
          },
        );
      }
    }
    return index;
  } catch (error) {
    const described = describeKubeError(
      error,
      'list horizontal pod autoscalers (autoscaling/v2)',
      target.identity.server,
    );
    if (!(described instanceof KubeApiError) || described.status !== 404) throw described;
  }
  const v1 = target.kubeConfig.makeApiClient(AutoscalingV1Api);
  for (const namespace of scopes) {
    let list;
    try {
      list = namespace
        ? await v1.listNamespacedHorizontalPodAutoscaler({ namespace })
        : await v1.listHorizontalPodAutoscalerForAllNamespaces();
    } catch (error) {
      throw describeKubeError(
        error,
        'list horizontal pod autoscalers (autoscaling/v1)',
        target.identity.server,
      );
    }
    for (const hpa of list.items) {
      index.set(
        hpaKey(
          hpa.metadata?.namespace ?? '',
          hpa.spec?.scaleTargetRef.kind ?? '',
          hpa.spec?.scaleTargetRef.name ?? '',
        ),
        {
          min_replicas: hpa.spec?.minReplicas ?? null,
          max_replicas: hpa.spec?.maxReplicas ?? 0,
          current_replicas: hpa.status?.currentReplicas ?? null,
          desired_replicas: hpa.status?.desiredReplicas ?? 0,
          target_cpu_utilization_percentage: hpa.spec?.targetCPUUtilizationPercentage ?? null,
          target_memory_utilization_percentage: null,
        },
      );
    }
  }
  return index;
}
