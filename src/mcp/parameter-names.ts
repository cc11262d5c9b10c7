import type { ParameterNames } from '../core/input/parameters.js';

// What an agent can change is a tool's parameters; what it cannot (the server's connection and credentials)
// is named as the person configures it: the server's environment, or the extension's settings in VS Code.
const server = (variable: string, setting: string) =>
  `${variable} (the server's environment; ${setting} in VS Code)`;

/** The parameters as the MCP tools take them. */
export const MCP_PARAMETER_NAMES: ParameterNames = {
  namespace: 'namespace',
  resource: 'resource_filter',
  selector: 'selector',
  context: 'context',
  kubeconfig: server('KUBECONFIG', 'krrMcp.kubeconfig'),
  prometheus_url: server('PROMETHEUS_URL', 'krrMcp.prometheusUrl'),
  prometheus_auth: server(
    'PROMETHEUS_AUTH_HEADER or PROMETHEUS_BEARER_TOKEN',
    '"krr-mcp: Configure Prometheus"',
  ),
  prometheus_ca_file: server('PROMETHEUS_CA_FILE', 'krrMcp.prometheusCaFile'),
  prometheus_skip_tls_verify: server(
    'PROMETHEUS_INSECURE_SKIP_TLS_VERIFY',
    'krrMcp.prometheusInsecureSkipTlsVerify',
  ),
  prometheus_timeout: server('PROMETHEUS_TIMEOUT', 'krrMcp.prometheusTimeoutSeconds'),
  history_duration: 'settings.history_duration',
  timeframe_duration: 'settings.timeframe_duration',
  cpu_percentile: 'settings.cpu_percentile',
  cpu_request: 'settings.cpu_request',
  cpu_limit: 'settings.cpu_limit',
  memory_buffer_percentage: 'settings.memory_buffer_percentage',
  points_required: 'settings.points_required',
  oom_memory_buffer_percentage: 'settings.oom_memory_buffer_percentage',
  cpu_min: 'cpu_min',
  mem_min: 'mem_min',
};
