import { PrometheusClient, type PrometheusConnectionOptions } from '../core/prometheus/client.js';
import { PrometheusError } from '../core/prometheus/errors.js';
import { discoverPrometheus } from '../core/prometheus/service-discovery.js';
import type { KubeTarget } from '../core/kube/kubeconfig.js';
import type { ExtensionSettings } from './settings.js';

export interface ConnectionScope {
  /**
   * Whether the URL setting is this context's Prometheus. It is the editor's context's: another context's
   * cluster reading it would get one cluster's usage for another's workloads (the CLI refuses one URL for
   * several clusters for the same reason), so other contexts find their own.
   */
  configuredUrlApplies: boolean;
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
  if (settings.prometheusUrl && scope.configuredUrlApplies)
    return { url: settings.prometheusUrl, headers, timeoutMs, ...tls };
  const found = await discoverPrometheus(target);
  if (!found) return { missing: missingText(settings, target) };
  log(`Using ${found.backend} service ${found.service} through the API server`);
  // Reached through the API server: its TLS is the kubeconfig's, not Prometheus'.
  return { ...found.connection, headers: { ...found.connection.headers, ...headers }, timeoutMs };
}

function missingText(settings: ExtensionSettings, target: KubeTarget): string {
  const context = target.identity.context;
  return settings.prometheusUrl
    ? `No Prometheus was found in the cluster of ${context}, and krrMcp.prometheusUrl is the Prometheus of the editor's context, not this one's. Select ${context} ("krr-mcp: Select Context") to use that URL for it.`
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
