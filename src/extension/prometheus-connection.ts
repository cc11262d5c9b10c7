import { PrometheusClient, type PrometheusConnectionOptions } from '../core/prometheus/client.js';
import { PrometheusError } from '../core/prometheus/errors.js';
import { discoverPrometheus } from '../core/prometheus/service-discovery.js';
import type { KubeTarget } from '../core/kube/kubeconfig.js';
import type { ExtensionSettings } from './settings.js';

/**
 * Prometheus as the person configured it for the editor: the URL setting (else discovery through the API
 * server), the bearer token from secret storage, the TLS settings. The tree's scans and the approval
 * authority's usage evidence both read it from here. undefined: none configured and none found.
 */
export async function prometheusConnection(
  settings: ExtensionSettings,
  target: KubeTarget,
  token: string | undefined,
  log: (message: string) => void,
): Promise<PrometheusConnectionOptions | undefined> {
  const headers: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {};
  const timeoutMs = settings.prometheusTimeoutSeconds * 1000;
  const tls = {
    ...(settings.prometheusCaFile ? { caFile: settings.prometheusCaFile } : {}),
    ...(settings.prometheusInsecureSkipTlsVerify ? { insecureSkipTlsVerify: true } : {}),
  };
  if (settings.prometheusUrl) return { url: settings.prometheusUrl, headers, timeoutMs, ...tls };
  const found = await discoverPrometheus(target);
  if (!found) return undefined;
  log(`Using ${found.backend} service ${found.service} through the API server`);
  // Reached through the API server: its TLS is the kubeconfig's, not Prometheus'.
  return { ...found.connection, headers: { ...found.connection.headers, ...headers }, timeoutMs };
}

/** The client for the approval authority's evidence; fails (and the evidence is missing) when there is none. */
export async function prometheusClientFor(
  settings: ExtensionSettings,
  target: KubeTarget,
  token: string | undefined,
  log: (message: string) => void,
): Promise<PrometheusClient> {
  const connection = await prometheusConnection(settings, target, token, log);
  if (!connection)
    throw new PrometheusError(
      'unreachable',
      (name) => `no Prometheus is configured (${name('prometheus_url')}) and none was found in the cluster`,
    );
  return new PrometheusClient(connection);
}
