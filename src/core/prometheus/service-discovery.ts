import { CoreV1Api, type V1Service } from '@kubernetes/client-node';
import type https from 'node:https';
import { describeKubeError } from '../kube/errors.js';
import type { KubeTarget } from '../kube/kubeconfig.js';
import type { PrometheusConnectionOptions } from './client.js';

/** krr's metrics-service discovery order and label selectors (robusta_krr/core/integrations/prometheus/metrics_service). */
const BACKENDS: Array<{
  name: string;
  selectors: string[];
  suffix?: string;
  headers?: Record<string, string>;
}> = [
  {
    name: 'VictoriaMetrics',
    selectors: ['app.kubernetes.io/name=vmsingle', 'app.kubernetes.io/name=victoria-metrics-single'],
  },
  {
    name: 'VictoriaMetrics',
    selectors: ['app.kubernetes.io/name=vmselect', 'app.kubernetes.io/component=vmselect', 'app=vmselect'],
    suffix: '/select/0/prometheus',
  },
  {
    name: 'Thanos',
    selectors: [
      'app.kubernetes.io/component=query,app.kubernetes.io/name=thanos',
      'app.kubernetes.io/name=thanos-query',
      'app=thanos-query',
      'app=thanos-querier',
    ],
  },
  {
    name: 'Mimir',
    selectors: ['app.kubernetes.io/name=mimir,app.kubernetes.io/component=query-frontend'],
    suffix: '/prometheus',
    headers: { 'X-Scope-OrgID': 'anonymous' },
  },
  {
    name: 'Prometheus',
    selectors: [
      'app=kube-prometheus-stack-prometheus',
      'app=prometheus,component=server',
      'app=prometheus-server',
      'app=prometheus-operator-prometheus',
      'app=rancher-monitoring-prometheus',
      'app=prometheus-prometheus',
      'app.kubernetes.io/name=prometheus,app.kubernetes.io/component=server',
      'app=stack-prometheus',
    ],
  },
];

export interface DiscoveredPrometheus {
  backend: string;
  service: string;
  connection: PrometheusConnectionOptions;
}

/**
 * Finds a metrics service in the cluster like krr (first matching Service in that order) and reaches it
 * through the API server's service proxy with the kubeconfig's own credentials and TLS settings, so it
 * works with token, client-certificate and exec authentication alike (krr's proxy needs a bearer token).
 */
export async function discoverPrometheus(target: KubeTarget): Promise<DiscoveredPrometheus | undefined> {
  const core = target.kubeConfig.makeApiClient(CoreV1Api);
  for (const backend of BACKENDS) {
    for (const selector of backend.selectors) {
      let services: V1Service[];
      try {
        services = (await core.listServiceForAllNamespaces({ labelSelector: selector })).items;
      } catch (error) {
        throw describeKubeError(
          error,
          `look for a Prometheus service (label ${selector})`,
          target.identity.server,
        );
      }
      const service = services[0];
      const port = service?.spec?.ports?.[0]?.port;
      if (!service?.metadata?.name || !service.metadata.namespace || port === undefined) continue;
      const server = target.identity.server.replace(/\/+$/, '');
      const path = `/api/v1/namespaces/${encodeURIComponent(service.metadata.namespace)}/services/${encodeURIComponent(service.metadata.name)}:${port}/proxy${backend.suffix ?? ''}`;
      return {
        backend: backend.name,
        service: `${service.metadata.namespace}/${service.metadata.name}:${port}`,
        connection: {
          url: `${server}${path}`,
          ...(backend.headers ? { headers: backend.headers } : {}),
          decorateRequest: async (options: https.RequestOptions) => {
            await target.kubeConfig.applyToHTTPSOptions(options);
          },
        },
      };
    }
  }
  return undefined;
}
