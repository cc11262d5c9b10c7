import { loadKubeTarget, type KubeTarget } from '../../core/kube/kubeconfig.js';
import { namespacePatterns } from '../../core/kube/workloads.js';
import { prometheusAccessFromEnv } from '../../core/prometheus/access-from-env.js';
import { PrometheusClient, type PrometheusConnectionOptions } from '../../core/prometheus/client.js';
import type { ClusterLabel } from '../../core/prometheus/promql.js';
import { discoverPrometheus } from '../../core/prometheus/service-discovery.js';
import { KINDS, type ScanResult, type WorkloadKind } from '../../core/recommend/model.js';
import { runKrrBinary } from '../../core/recommend/krr-binary.js';
import {
  parseStrategyConfig,
  STRATEGY_NAMES,
  ValueMinimumsSchema,
  type StrategyName,
} from '../../core/recommend/settings.js';
import { scanCluster, type ObservedUsage, type ScanProgress } from '../../core/scan/scanner.js';
import { listFlag, numberFlag, stringFlag, type ParsedFlags } from '../flags.js';
import type { CliIo } from '../io.js';
import { ProgressDisplay } from '../progress-display.js';
import { UsageError } from '../usage-error.js';

// A scan from krr's flags (shared by `scan` and `manifests`): every flag checked before anything is
// contacted, then the built-in engine or `--krr-binary`.

export interface ScanOutput {
  /** Recorded in the JSON's `config.format`, as krr does. */
  format: string;
  /** Progress on stderr (for people at a terminal; machine formats stay quiet). */
  showProgress: boolean;
}

function strategyFrom(flags: ParsedFlags, positionals: string[]): StrategyName {
  if (positionals.length > 1) throw new UsageError(`Unexpected arguments: ${positionals.slice(1).join(' ')}`);
  const name = stringFlag(flags, 'strategy') ?? positionals[0] ?? 'simple';
  if (!(STRATEGY_NAMES as readonly string[]).includes(name)) {
    throw new UsageError(`Unknown strategy "${name}". Use one of: ${STRATEGY_NAMES.join(', ')}.`);
  }
  return name as StrategyName;
}

const STRATEGY_FLAGS: Record<string, string> = {
  'history-duration': 'history_duration',
  'timeframe-duration': 'timeframe_duration',
  'cpu-percentile': 'cpu_percentile',
  'cpu-request': 'cpu_request',
  'cpu-limit': 'cpu_limit',
  'memory-buffer-percentage': 'memory_buffer_percentage',
  'points-required': 'points_required',
  'oom-memory-buffer-percentage': 'oom_memory_buffer_percentage',
};

function strategySettings(flags: ParsedFlags, strategy: StrategyName): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  for (const [flag, field] of Object.entries(STRATEGY_FLAGS)) {
    const value = numberFlag(flags, flag);
    if (value === undefined) continue;
    if (
      (field === 'cpu_percentile' && strategy !== 'simple') ||
      ((field === 'cpu_request' || field === 'cpu_limit') && strategy !== 'simple_limit')
    ) {
      throw new UsageError(`--${flag} does not apply to the ${strategy} strategy.`);
    }
    settings[field] = value;
  }
  if (flags['allow-hpa']) settings.allow_hpa = true;
  if (flags['use-oomkill-data']) settings.use_oomkill_data = true;
  return settings;
}

function kindsFrom(flags: ParsedFlags): WorkloadKind[] {
  return listFlag(flags, 'resource').map((raw) => {
    const kind = KINDS.find(
      (k) => k.toLowerCase() === raw.toLowerCase() || `${k.toLowerCase()}s` === raw.toLowerCase(),
    );
    if (!kind) throw new UsageError(`Unknown resource kind "${raw}". Use one of: ${KINDS.join(', ')}.`);
    return kind;
  });
}

function timeFrom(flags: ParsedFlags): number | undefined {
  const raw = stringFlag(flags, 'at');
  if (raw === undefined) return undefined;
  const seconds = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : Date.parse(raw) / 1000;
  if (!Number.isFinite(seconds))
    throw new UsageError(`Invalid value for --at: "${raw}" is neither unix seconds nor an ISO 8601 time.`);
  return seconds;
}

/** Headers from flags and env; secrets should come from env (arguments are visible in the process list). */
export function prometheusHeaders(flags: ParsedFlags, env: NodeJS.ProcessEnv): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const raw of listFlag(flags, 'prometheus-headers')) {
    const colon = raw.indexOf(':');
    if (colon <= 0)
      throw new UsageError(
        `Invalid value for -H/--prometheus-headers: "${raw}" must look like "Name: value".`,
      );
    headers[raw.slice(0, colon).trim()] = raw.slice(colon + 1).trim();
  }
  const fromEnv = prometheusAccessFromEnv(env).headers.Authorization;
  if (fromEnv) headers.Authorization = fromEnv;
  const fromFlag = stringFlag(flags, 'prometheus-auth-header');
  if (fromFlag) headers.Authorization = fromFlag;
  return headers;
}

function minimumsFrom(flags: ParsedFlags) {
  const cpu = numberFlag(flags, 'cpu-min');
  const mem = numberFlag(flags, 'mem-min');
  const parsed = ValueMinimumsSchema.safeParse({
    ...(cpu !== undefined ? { cpu_min_value: cpu } : {}),
    ...(mem !== undefined ? { memory_min_value: mem } : {}),
  });
  if (!parsed.success)
    throw new UsageError(
      'Invalid value for --cpu-min/--mem-min: whole numbers of millicores / MiB, zero or more.',
    );
  return parsed.data;
}

async function prometheusConnection(
  flags: ParsedFlags,
  io: CliIo,
  kube: KubeTarget,
): Promise<PrometheusConnectionOptions> {
  const timeout = numberFlag(flags, 'prometheus-timeout');
  if (timeout !== undefined && timeout <= 0)
    throw new UsageError('Invalid value for --prometheus-timeout: must be more than 0 seconds.');
  const fromEnv = prometheusAccessFromEnv(io.env);
  const caFile = stringFlag(flags, 'prometheus-ca-file') ?? fromEnv.caFile;
  const common = { headers: prometheusHeaders(flags, io.env), timeoutMs: (timeout ?? 60) * 1000 };
  const tls = {
    ...(flags['prometheus-insecure-skip-tls-verify'] || fromEnv.insecureSkipTlsVerify
      ? { insecureSkipTlsVerify: true }
      : {}),
    ...(caFile ? { caFile } : {}),
  };
  const url = stringFlag(flags, 'prometheus-url') ?? io.env.PROMETHEUS_URL;
  if (url) return { url, ...common, ...tls };
  const found = await discoverPrometheus(kube);
  if (!found) {
    throw new UsageError(
      `No Prometheus URL given and no Prometheus, Thanos, Mimir or VictoriaMetrics service found in context "${kube.identity.context}". Pass -p <url> or set PROMETHEUS_URL.`,
    );
  }
  if (!flags.quiet)
    io.stderr.write(`Using ${found.backend} service ${found.service} through the Kubernetes API server.\n`);
  // Reached through the API server: its TLS is the kubeconfig's, not Prometheus'.
  return { ...found.connection, ...common, headers: { ...found.connection.headers, ...common.headers } };
}

const PHASES: Record<ScanProgress['phase'], string> = {
  listing: 'Listing workloads',
  discovering: 'Finding their pods in Prometheus',
  loading: 'Reading usage from Prometheus',
};

function progressPrinter(display: ProgressDisplay): (p: ScanProgress) => void {
  return (p) => {
    display.update({
      step: PHASES[p.phase],
      fraction: p.total > 0 ? p.done / p.total : 0,
      detail: `${p.done}/${p.total}`,
    });
    if (p.phase === 'loading' && p.done === p.total) display.done();
  };
}

/** Where the built-in engine read the scan: what the risk signals are read from afterwards. */
export interface ScanSource {
  kube: KubeTarget;
  prometheus: PrometheusClient;
  /** Unix seconds the scan was evaluated at. */
  time: number;
  clusterLabel?: ClusterLabel;
  relatedPodLabel?: string;
  concurrency: number;
  /** The scan's memory peak and CPU p95 per `namespace/kind/name/container` (the usage history reuses them). */
  observed?: Map<string, ObservedUsage>;
}

/** Runs the scan the flags describe. */
export async function scanWithFlags(
  flags: ParsedFlags,
  positionals: string[],
  io: CliIo,
  output: ScanOutput,
): Promise<ScanResult> {
  return (await runScanWithFlags(flags, positionals, io, output)).result;
}

/** The scan, and with the built-in engine (not --krr-binary) the connections it used. */
export async function runScanWithFlags(
  flags: ParsedFlags,
  positionals: string[],
  io: CliIo,
  output: ScanOutput,
): Promise<{ result: ScanResult; source?: ScanSource }> {
  const strategyName = strategyFrom(flags, positionals);
  const strategy = parseStrategyConfig(strategyName, strategySettings(flags, strategyName));
  const minimums = minimumsFrom(flags);
  const kinds = kindsFrom(flags);
  const time = timeFrom(flags);
  const workers = numberFlag(flags, 'max-workers') ?? 4;
  if (!Number.isInteger(workers) || workers < 1 || workers > 64)
    throw new UsageError('Invalid value for --max-workers: a whole number from 1 to 64.');
  const namespaces = listFlag(flags, 'namespace');
  namespacePatterns(namespaces);
  const selector = stringFlag(flags, 'selector');
  const clusterLabelName = stringFlag(flags, 'prometheus-label');
  const clusterLabelValue = stringFlag(flags, 'prometheus-cluster-label');
  if ((clusterLabelName === undefined) !== (clusterLabelValue === undefined)) {
    throw new UsageError(
      '--prometheus-label and -l/--prometheus-cluster-label go together: give both or neither.',
    );
  }
  if (flags['prometheus-auth-header'] && !flags.quiet) {
    io.stderr.write(
      'Warning: --prometheus-auth-header puts a secret on the command line, visible to other users; prefer PROMETHEUS_AUTH_HEADER.\n',
    );
  }

  const kubeconfig = stringFlag(flags, 'kubeconfig');
  const context = stringFlag(flags, 'context') ?? io.env.KUBERNETES_CONTEXT;
  const kube = loadKubeTarget({
    ...(kubeconfig ? { kubeconfig } : {}),
    ...(context ? { context } : {}),
    env: io.env,
  });

  const config = {
    quiet: Boolean(flags.quiet),
    verbose: Boolean(flags.verbose),
    clusters: [kube.identity.context],
    kubeconfig: kubeconfig ?? null,
    namespaces: namespaces.length > 0 ? namespaces : '*',
    resources: kinds,
    selector: selector ?? null,
    cpu_min_value: minimums.cpu_min_value,
    memory_min_value: minimums.memory_min_value,
    prometheus_url: stringFlag(flags, 'prometheus-url') ?? io.env.PROMETHEUS_URL ?? null,
    prometheus_auth_header: prometheusHeaders(flags, io.env).Authorization ? '**********' : null,
    prometheus_cluster_label: clusterLabelValue ?? null,
    prometheus_label: clusterLabelName ?? null,
    max_workers: workers,
    format: output.format,
    strategy: strategyName,
    other_args: strategy.settings,
    inside_cluster: false,
  };

  let result: ScanResult;
  let source: ScanSource | undefined;
  const krrBinary = stringFlag(flags, 'krr-binary');
  if (krrBinary) {
    result = await runKrrBinary({
      binary: krrBinary,
      strategy,
      minimums,
      namespaces,
      kinds,
      ...(selector ? { selector } : {}),
      context: kube.identity.context,
      kubeconfigPaths: kube.sources,
      ...((stringFlag(flags, 'prometheus-url') ?? io.env.PROMETHEUS_URL)
        ? { prometheusUrl: stringFlag(flags, 'prometheus-url') ?? io.env.PROMETHEUS_URL! }
        : {}),
      hasSecretHeaders: Boolean(prometheusHeaders(flags, io.env).Authorization),
    });
  } else {
    const prometheus = new PrometheusClient(await prometheusConnection(flags, io, kube));
    const display = output.showProgress && !flags.quiet ? new ProgressDisplay(io) : undefined;
    source = {
      kube,
      prometheus,
      // The scanner's own default, fixed here so that the risk signals read the same window.
      time: time ?? Math.floor(Date.now() / 1000),
      ...(clusterLabelName && clusterLabelValue
        ? { clusterLabel: { name: clusterLabelName, value: clusterLabelValue } }
        : {}),
      ...(io.env.KRR_RELATED_POD_LABEL ? { relatedPodLabel: io.env.KRR_RELATED_POD_LABEL } : {}),
      concurrency: workers,
    };
    const scanning = scanCluster(kube, prometheus, {
      strategy,
      minimums,
      namespaces,
      kinds,
      ...(selector ? { selector } : {}),
      time: source.time,
      ...(source.clusterLabel ? { clusterLabel: source.clusterLabel } : {}),
      ...(source.relatedPodLabel ? { relatedPodLabel: source.relatedPodLabel } : {}),
      concurrency: workers,
      config,
      ...(display ? { onProgress: progressPrinter(display) } : {}),
    }).finally(() => display?.done());
    const { result: scanned, statistics, observed } = await scanning;
    source.observed = observed;
    result = scanned;
    if (flags.verbose) {
      io.stderr.write(
        `Scanned ${statistics.workloads} workloads (${result.scans.length} containers) with ${statistics.queries} Prometheus queries in ${statistics.batches} usage batches (${Object.entries(
          statistics.phaseMs,
        )
          .map(([phase, ms]) => `${phase} ${ms} ms`)
          .join(', ')}).\n`,
      );
    }
  }
  return { result, ...(source ? { source } : {}) };
}
