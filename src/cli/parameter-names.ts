import type { ParameterNames } from '../core/input/parameters.js';

/** The parameters as `krr-mcp scan` takes them: krr's flags, and the variables that keep secrets off argv. */
export const CLI_PARAMETER_NAMES: ParameterNames = {
  namespace: '-n/--namespace',
  resource: '-r/--resource',
  selector: '-s/--selector',
  context: '-c/--context',
  kubeconfig: '-k/--kubeconfig',
  prometheus_url: '-p/--prometheus-url',
  prometheus_auth: 'PROMETHEUS_AUTH_HEADER (or --prometheus-auth-header)',
  prometheus_ca_file: '--prometheus-ca-file',
  prometheus_skip_tls_verify: '--prometheus-insecure-skip-tls-verify',
  prometheus_timeout: '--prometheus-timeout',
  history_duration: '--history-duration',
  timeframe_duration: '--timeframe-duration',
  cpu_percentile: '--cpu-percentile',
  cpu_request: '--cpu-request',
  cpu_limit: '--cpu-limit',
  memory_buffer_percentage: '--memory-buffer-percentage',
  points_required: '--points-required',
  oom_memory_buffer_percentage: '--oom-memory-buffer-percentage',
  cpu_min: '--cpu-min',
  mem_min: '--mem-min',
};
