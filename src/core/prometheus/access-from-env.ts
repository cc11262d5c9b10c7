/**
 * How to reach Prometheus, from the environment: the CLI's scan, the MCP server and the VS Code extension read
 * the same variables with the same precedence, so that one set of credentials works everywhere. Secrets belong
 * here (or in VS Code's secret storage), never in arguments other users can read in the process list.
 */
export interface PrometheusAccess {
  headers: Record<string, string>;
  caFile?: string;
  insecureSkipTlsVerify?: boolean;
}

/** Names of the variables read here, for help texts. */
export const PROMETHEUS_ACCESS_VARIABLES = [
  'PROMETHEUS_AUTH_HEADER',
  'PROMETHEUS_BEARER_TOKEN',
  'PROMETHEUS_USERNAME',
  'PROMETHEUS_PASSWORD',
  'PROMETHEUS_CA_FILE',
  'PROMETHEUS_INSECURE_SKIP_TLS_VERIFY',
] as const;

export class PrometheusAccessError extends Error {
  override name = 'PrometheusAccessError';
}

/** `Authorization`: PROMETHEUS_AUTH_HEADER, else PROMETHEUS_USERNAME + PROMETHEUS_PASSWORD, else PROMETHEUS_BEARER_TOKEN. */
export function prometheusAccessFromEnv(env: NodeJS.ProcessEnv): PrometheusAccess {
  const headers: Record<string, string> = {};
  if (env.PROMETHEUS_AUTH_HEADER) headers.Authorization = env.PROMETHEUS_AUTH_HEADER;
  else if (env.PROMETHEUS_USERNAME !== undefined && env.PROMETHEUS_PASSWORD !== undefined)
    headers.Authorization = `Basic ${Buffer.from(`${env.PROMETHEUS_USERNAME}:${env.PROMETHEUS_PASSWORD}`).toString('base64')}`;
  else if (env.PROMETHEUS_BEARER_TOKEN) headers.Authorization = `Bearer ${env.PROMETHEUS_BEARER_TOKEN}`;
  const access: PrometheusAccess = { headers };
  if (env.PROMETHEUS_CA_FILE) access.caFile = env.PROMETHEUS_CA_FILE;
  const skip = env.PROMETHEUS_INSECURE_SKIP_TLS_VERIFY;
  if (skip !== undefined && skip !== '') {
    if (!/^(true|false|1|0)$/i.test(skip))
      throw new PrometheusAccessError(
        `Invalid PROMETHEUS_INSECURE_SKIP_TLS_VERIFY=${JSON.stringify(skip)}: use true or false.`,
      );
    if (/^(true|1)$/i.test(skip)) access.insecureSkipTlsVerify = true;
  }
  return access;
}
