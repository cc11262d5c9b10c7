import { PrometheusClient, type PrometheusConnectionOptions } from '../core/prometheus/client.js';
import { PrometheusError } from '../core/prometheus/errors.js';
import { discoverPrometheus } from '../core/prometheus/service-discovery.js';
import type { KubeTarget } from '../core/kube/kubeconfig.js';
import { clusterLabelFor } from '../core/prometheus/shared-prometheus.js';
import { sharedPrometheusOf, type ExtensionSettings } from './settings.js';

export interface ConnectionScope {
  /**
   * Whether the context is the editor's. The URL setting is the editor's context's Prometheus: another
   * context reading it would get one cluster's usage for another's workloads (the CLI refuses one URL for
   * several clusters for the same reason), so other contexts find their own. Unless the person named the
   * label that tells clusters apart in it (`krrMcp.prometheusClusterLabelName`): then it is every context's,
   * and each reads only its own series.
   */
  editorContext: boolean;
}

/**
 * Prometheus as the person configured it for the editor: the URL setting (else discovery through the API
 * server), the bearer token from secret storage, the TLS settings. The tree's scans and the approval
 * authority's usage evidence both read it from here. `missing`: none applies and none was found, and why.
 */
export async function prometheusConnection(
  settings: ExtensionSettings,
  target: KubeTarget,
  token: string | undefined,
  log: (message: string) => void,
  scope: ConnectionScope,
): Promise<PrometheusConnectionOptions | { missing: string }> {
  const headers: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {};
  const timeoutMs = settings.prometheusTimeoutSeconds * 1000;
  const tls = {
    ...(settings.prometheusCaFile ? { caFile: settings.prometheusCaFile } : {}),
    ...(settings.prometheusInsecureSkipTlsVerify ? { insecureSkipTlsVerify: true } : {}),
  };
  const shared = sharedPrometheusOf(settings);
  const cluster = clusterLabelFor(shared, target.identity.context);
  const scoped = cluster ? { cluster } : {};
  if (settings.prometheusUrl && (scope.editorContext || shared))
    return { url: settings.prometheusUrl, headers, timeoutMs, ...tls, ...scoped };
  const found = await discoverPrometheus(target);
  if (!found) return { missing: missingText(settings, target) };
  log(`Using ${found.backend} service ${found.service} through the API server`);
  // Reached through the API server: its TLS is the kubeconfig's, not Prometheus'.
  return { ...found.connection, headers: { ...found.connection.headers, ...headers }, timeoutMs, ...scoped };
}

function missingText(settings: ExtensionSettings, target: KubeTarget): string {
  const context = target.identity.context;
  return settings.prometheusUrl
    ? `No Prometheus was found in the cluster of ${context}, and krrMcp.prometheusUrl is the Prometheus of the editor's context, not this one's. Select ${context} ("krr-mcp: Select Context") to use that URL for it, or, if that Prometheus holds every context's series, set krrMcp.prometheusClusterLabelName to the label that tells them apart.`
    : `No Prometheus is configured (krrMcp.prometheusUrl) and none was found in the cluster of ${context}.`;
}

/** The client for the approval authority's evidence; fails (and the evidence is missing) when there is none. */
export async function prometheusClientFor(
  settings: ExtensionSettings,
  target: KubeTarget,
  token: string | undefined,
  log: (message: string) => void,
  scope: ConnectionScope,
): Promise<PrometheusClient> {
  const connection = await prometheusConnection(settings, target, token, log, scope);
  if ('missing' in connection)
    throw new PrometheusError('unreachable', (name) =>
      settings.prometheusUrl
        ? `no Prometheus was found in the cluster of ${target.identity.context}, and ${name('prometheus_url')} is the Prometheus of the editor's context, not this one's`
        : `no Prometheus is configured (${name('prometheus_url')}) and none was found in the cluster`,
    );
  return new PrometheusClient(connection);
}
