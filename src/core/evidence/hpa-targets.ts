// Which workload each HPA scales, by name: kube-state-metrics labels its HPA series with the HPA's name,
// the scan knows workloads. scaleTargetRef joins the two (the HPA listing of kube/hpas.ts is keyed by
// target and keeps no name, because krr's JSON has none).

import { AutoscalingV1Api, AutoscalingV2Api } from '@kubernetes/client-node';
import { describeKubeError, KubeApiError } from '../kube/errors.js';
import type { KubeTarget } from '../kube/kubeconfig.js';

export interface HpaTarget {
  namespace: string;
  /** The HPA's own name (kube-state-metrics' `horizontalpodautoscaler` label). */
  name: string;
  /** scaleTargetRef. */
  target: { kind: string; name: string };
}

interface HpaObject {
  metadata?: { namespace?: string; name?: string };
  spec?: { scaleTargetRef: { kind: string; name: string } };
}

async function listWith(
  list: (namespace: string | undefined) => Promise<{ items: HpaObject[] }>,
  scopes: Array<string | undefined>,
): Promise<HpaTarget[]> {
  const lists = await Promise.all(scopes.map((namespace) => list(namespace)));
  return lists.flatMap(({ items }) =>
    items.flatMap((hpa) =>
      hpa.metadata?.name && hpa.metadata.namespace && hpa.spec
        ? [
            {
              namespace: hpa.metadata.namespace,
              name: hpa.metadata.name,
              target: { kind: hpa.spec.scaleTargetRef.kind, name: hpa.spec.scaleTargetRef.name },
            },
          ]
        : [],
    ),
  );
}

/**
 * The HPAs of these namespaces (undefined: every namespace), through autoscaling/v2 and, where the API
 * server does not serve it (404), autoscaling/v1, as kube/hpas.ts does.
 */
export async function listHpaTargets(
  kube: KubeTarget,
  namespaces: readonly string[] | undefined,
): Promise<HpaTarget[]> {
  const scopes = namespaces ? [...new Set(namespaces)] : [undefined];
  const v2 = kube.kubeConfig.makeApiClient(AutoscalingV2Api);
  try {
    return await listWith(
      (namespace) =>
        namespace
          ? v2.listNamespacedHorizontalPodAutoscaler({ namespace })
          : v2.listHorizontalPodAutoscalerForAllNamespaces(),
      scopes,
    );
  } catch (error) {
    const described = describeKubeError(error, 'list horizontal pod autoscalers', kube.identity.server);
    if (!(described instanceof KubeApiError) || described.status !== 404) throw described;
  }
  const v1 = kube.kubeConfig.makeApiClient(AutoscalingV1Api);
  try {
    return await listWith(
      (namespace) =>
        namespace
          ? v1.listNamespacedHorizontalPodAutoscaler({ namespace })
          : v1.listHorizontalPodAutoscalerForAllNamespaces(),
      scopes,
    );
  } catch (error) {
    throw describeKubeError(error, 'list horizontal pod autoscalers (autoscaling/v1)', kube.identity.server);
  }
}
