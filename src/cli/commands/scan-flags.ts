import type { FlagTable } from '../flags.js';

const K = 'Kubernetes';
const P = 'Prometheus';
const S = 'Strategy (krr names: --history_duration works too)';
const O = 'Output';

/** `krr-mcp scan` flags: krr's names and short forms where krr has them. */
export const SCAN_FLAGS: FlagTable = {
  kubeconfig: { type: 'string', short: 'k', value: 'FILE', help: 'kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)', group: K },
  context: { type: 'string', short: 'c', value: 'NAME', help: 'kubeconfig context (default: current-context)', aliases: ['cluster'], group: K },
  namespace: { type: 'string', short: 'n', value: 'NS', multiple: true, help: 'namespace or regex to scan (default: all but kube-system)', group: K },
  resource: { type: 'string', short: 'r', value: 'KIND', multiple: true, help: 'workload kind: Deployment, StatefulSet, DaemonSet, Job, CronJob, Rollout', group: K },
  selector: { type: 'string', short: 's', value: 'LABELS', help: 'workload label selector, e.g. "app=web,tier in (a,b)"', group: K },
  'prometheus-url': { type: 'string', short: 'p', value: 'URL', help: 'Prometheus URL (default: $PROMETHEUS_URL, else discovered in the cluster through the API server)', group: P },
  'prometheus-auth-header': { type: 'string', value: 'VALUE', help: 'Authorization header value; prefer $PROMETHEUS_AUTH_HEADER (arguments are visible to other users)', group: P },
  'prometheus-headers': { type: 'string', short: 'H', value: '"K: V"', multiple: true, help: 'extra request header', group: P },
  'prometheus-ca-file': { type: 'string', value: 'FILE', help: 'CA certificate (PEM) for an https Prometheus', group: P },
  'prometheus-insecure-skip-tls-verify': { type: 'boolean', help: 'do not verify the Prometheus TLS certificate', group: P },
  'prometheus-ssl-enabled': { type: 'boolean', help: 'accepted for krr compatibility (TLS is always verified unless skipped)', group: P },
  'prometheus-timeout': { type: 'string', value: 'SECONDS', help: 'timeout of each Prometheus request (default 60)', group: P },
  'prometheus-label': { type: 'string', value: 'LABEL', help: 'label naming the cluster in a shared Prometheus (with -l)', group: P },
  'prometheus-cluster-label': { type: 'string', short: 'l', value: 'VALUE', help: 'value of --prometheus-label for this cluster', group: P },
  strategy: { type: 'string', value: 'NAME', help: 'simple (default) or simple_limit; also accepted as the first argument', group: S },
  'history-duration': { type: 'string', value: 'HOURS', help: 'hours of history (default 336)', group: S },
  'timeframe-duration': { type: 'string', value: 'MINUTES', help: 'step in minutes (default 1.25)', group: S },
  'cpu-percentile': { type: 'string', value: 'P', help: 'simple: CPU request percentile (default 95)', group: S },
  'cpu-request': { type: 'string', value: 'P', help: 'simple_limit: CPU request percentile (default 66)', group: S },
  'cpu-limit': { type: 'string', value: 'P', help: 'simple_limit: CPU limit percentile (default 96)', group: S },
  'memory-buffer-percentage': { type: 'string', value: 'P', help: 'memory headroom over the peak (default 15)', group: S },
  'points-required': { type: 'string', value: 'N', help: 'data points needed for a recommendation (default 100)', group: S },
  'allow-hpa': { type: 'boolean', help: 'recommend for resources an HPA scales on', group: S },
  'use-oomkill-data': { type: 'boolean', help: 'raise memory to the last OOMKilled limit + buffer', group: S },
  'oom-memory-buffer-percentage': { type: 'string', value: 'P', help: 'buffer over the OOMKilled limit (default 25)', group: S },
  'cpu-min': { type: 'string', value: 'MILLICORES', help: 'minimum CPU recommendation (default 10)', group: S },
  'mem-min': { type: 'string', value: 'MIB', help: 'minimum memory recommendation in MiB (default 100)', group: S },
  at: { type: 'string', value: 'TIME', help: 'evaluate as of this time (unix seconds or ISO 8601; default now)', group: S },
  'krr-binary': { type: 'string', value: 'PATH', help: 'run this krr executable and read its JSON instead of the built-in engine', group: S },
  formatter: { type: 'string', short: 'f', value: 'FORMAT', help: 'json, yaml, table (default) or csv', aliases: ['format'], group: O },
  fileoutput: { type: 'string', value: 'FILE', help: 'write the result to a file instead of stdout', group: O },
  'max-workers': { type: 'string', short: 'w', value: 'N', help: 'Prometheus queries in parallel (default 4)', group: O },
  quiet: { type: 'boolean', short: 'q', help: 'no progress or warnings on stderr', group: O },
  verbose: { type: 'boolean', short: 'v', help: 'print the query statistics on stderr', group: O },
  logtostderr: { type: 'boolean', help: 'accepted for krr compatibility (logs always go to stderr)', group: O },
  help: { type: 'boolean', short: 'h', help: 'show this help', group: O },
};
