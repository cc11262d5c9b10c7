import type { ParameterNames } from '../core/input/parameters.js';

const setting = (name: string) => `the setting krrMcp.${name}`;
const strategySetting = (name: string) => `krr's ${name} (the extension uses krr's defaults)`;

/** The parameters as a person sets them in VS Code. */
export const SETTING_PARAMETER_NAMES: ParameterNames = {
  namespace: setting('namespaces'),
  resource: 'the kind filter',
  selector: 'the label selector',
  context: `${setting('context')} ("krr-mcp: Select Context")`,
  kubeconfig: setting('kubeconfig'),
  prometheus_url: `${setting('prometheusUrl')} ("krr-mcp: Configure Prometheus")`,
  prometheus_auth: 'the Prometheus credentials ("krr-mcp: Configure Prometheus")',
  prometheus_ca_file: setting('prometheusCaFile'),
  prometheus_skip_tls_verify: setting('prometheusInsecureSkipTlsVerify'),
  prometheus_timeout: setting('prometheusTimeoutSeconds'),
  history_duration: strategySetting('history_duration'),
  timeframe_duration: strategySetting('timeframe_duration'),
  cpu_percentile: strategySetting('cpu_percentile'),
  cpu_request: strategySetting('cpu_request'),
  cpu_limit: strategySetting('cpu_limit'),
  memory_buffer_percentage: strategySetting('memory_buffer_percentage'),
  points_required: strategySetting('points_required'),
  oom_memory_buffer_percentage: strategySetting('oom_memory_buffer_percentage'),
  cpu_min: strategySetting('cpu_min'),
  mem_min: strategySetting('mem_min'),
};
