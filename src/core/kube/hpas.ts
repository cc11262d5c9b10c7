import { AutoscalingV1Api, AutoscalingV2Api } from '@kubernetes/client-node';
import type { HpaData } from '../recommend/model.js';
import { describeKubeError, KubeApiError } from './errors.js';
import type { KubeTarget } from './kubeconfig.js';

/** HPAs keyed by `namespace/kind/name` of the workload they scale. */
export type HpaIndex = Map<string, HpaData>;

export function hpaKey(namespace: string, kind: string, name: string): string {
  return `${namespace}/${kind}/${name}`;
}

/** What both API versions have in common, reduced to krr's HPAData. */
interface HpaView {
  namespace?: string;
  targetKind?: string;
  targetName?: string;
  minReplicas?: number;
  maxReplicas?: number;
  currentReplicas?: number;
  desiredReplicas?: number;
  cpu: number | null;
  memory: number | null;
}

type ListHpas = (namespace: string | undefined) => Promise<HpaView[]>;

function v2Lister(target: KubeTarget): ListHpas {
  const api = target.kubeConfig.makeApiClient(AutoscalingV2Api);
  return async (namespace) => {
    const list = namespace
      ? await api.listNamespacedHorizontalPodAutoscaler({ namespace })
      : await api.listHorizontalPodAutoscalerForAllNamespaces();
    return list.items.map((hpa) => {
      const metrics = hpa.spec?.metrics ?? [];
      // krr reads the first Resource metric of that name; custom and external metrics block nothing.
      const utilization = (name: string) =>
        metrics.find((m) => m.type === 'Resource' && m.resource?.name === name)?.resource?.target
          ?.averageUtilization ?? null;
      return {
        namespace: hpa.metadata?.namespace,
        targetKind: hpa.spec?.scaleTargetRef.kind,
        targetName: hpa.spec?.scaleTargetRef.name,
        minReplicas: hpa.spec?.minReplicas,
        maxReplicas: hpa.spec?.maxReplicas,
        currentReplicas: hpa.status?.currentReplicas,
        desiredReplicas: hpa.status?.desiredReplicas,
        cpu: utilization('cpu'),
        memory: utilization('memory'),
      };
    });
  };
}

function v1Lister(target: KubeTarget): ListHpas {
  const api = target.kubeConfig.makeApiClient(AutoscalingV1Api);
  return async (namespace) => {
    const list = namespace
      ? await api.listNamespacedHorizontalPodAutoscaler({ namespace })
      : await api.listHorizontalPodAutoscalerForAllNamespaces();
    return list.items.map((hpa) => ({
      namespace: hpa.metadata?.namespace,
      targetKind: hpa.spec?.scaleTargetRef.kind,
      targetName: hpa.spec?.scaleTargetRef.name,
      minReplicas: hpa.spec?.minReplicas,
      maxReplicas: hpa.spec?.maxReplicas,
      currentReplicas: hpa.status?.currentReplicas,
      desiredReplicas: hpa.status?.desiredReplicas,
      cpu: hpa.spec?.targetCPUUtilizationPercentage ?? null,
      memory: null,
    }));
  };
}

async function listWith(list: ListHpas, scopes: Array<string | undefined>): Promise<HpaIndex> {
  const index: HpaIndex = new Map();
  for (const namespace of scopes) {
    for (const hpa of await list(namespace)) {
      index.set(hpaKey(hpa.namespace ?? '', hpa.targetKind ?? '', hpa.targetName ?? ''), {
        min_replicas: hpa.minReplicas ?? null,
        max_replicas: hpa.maxReplicas ?? 0,
        current_replicas: hpa.currentReplicas ?? null,
        desired_replicas: hpa.desiredReplicas ?? 0,
        target_cpu_utilization_percentage: hpa.cpu,
        target_memory_utilization_percentage: hpa.memory,
      });
    }
  }
  return index;
}

/**
 * Lists HPAs like krr (autoscaling/v2, falling back to v1 only on 404), but without krr's pitfall of
 * filtering HPAs with the workload label selector. Other errors are reported, not hidden: a missed HPA
 * would produce a recommendation that fights the autoscaler.
 */
export async function listHpas(target: KubeTarget, namespaces: string[] | undefined): Promise<HpaIndex> {
  const scopes = namespaces ?? [undefined];
  try {
    return await listWith(v2Lister(target), scopes);
  } catch (error) {
    const described = describeKubeError(
      error,
      'list horizontal pod autoscalers (autoscaling/v2)',
      target.identity.server,
    );
    if (!(described instanceof KubeApiError) || described.status !== 404) throw described;
  }
  try {
    return await listWith(v1Lister(target), scopes);
  } catch (error) {
    throw describeKubeError(
      error,
      'list horizontal pod autoscalers (autoscaling/v1)',
      target.identity.server,
    );
  }
}
