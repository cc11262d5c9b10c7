import { loadKubeTarget, type KubeTarget } from '../../core/kube/kubeconfig.js';
import { explainError } from '../../core/input/parameters.js';
import { namespacePatterns } from '../../core/kube/workloads.js';
import { prometheusAccessFromEnv } from '../../core/prometheus/access-from-env.js';
import { PrometheusClient, type PrometheusConnectionOptions } from '../../core/prometheus/client.js';
import type { ClusterLabel } from '../../core/prometheus/promql.js';
import { QuerySlots } from '../../core/prometheus/query-slots.js';
import { ClusterLabelNameSchema } from '../../core/prometheus/shared-prometheus.js';
import { discoverPrometheus } from '../../core/prometheus/service-discovery.js';
import type { ScanResult } from '../../core/recommend/model.js';
import { runKrrBinary } from '../../core/recommend/krr-binary.js';
import { parseStrategyConfig } from '../../core/recommend/settings.js';
import { fleetResult, scanFleet, SHARED_PROMETHEUS_CLUSTER_CONCURRENCY } from '../../core/scan/fleet-scan.js';
import {
  scanCluster,
  type ObservedUsage,
  type ScanOptions,
  type ScanProgress,
} from '../../core/scan/scanner.js';
import { listFlag, numberFlag, stringFlag, type ParsedFlags } from '../flags.js';
import type { CliIo } from '../io.js';
import { CLI_PARAMETER_NAMES } from '../parameter-names.js';
import { ProgressDisplay } from '../progress-display.js';
import { UsageError } from '../usage-error.js';
import {
  clustersFrom,
  kindsFrom,
  minimumsFrom,
  prometheusHeaders,
  strategyFrom,
  strategySettings,
  timeFrom,
} from './scan-options.js';

export { prometheusHeaders } from './scan-options.js';

// A scan from krr's flags (shared by `scan` and `manifests`): every flag checked before anything is
// contacted, then the built-in engine or `--krr-binary`. Several contexts (`-c A -c B`, `--all-clusters`)
// are scanned each as on its own, a few at a time, and joined into one result.

export interface ScanOutput {
  /** Recorded in the JSON's `config.format`, as krr does. */
  format: string;
  /** Progress on stderr (for people at a terminal; machine formats stay quiet). */
  showProgress: boolean;
}

async function prometheusConnection(
  flags: ParsedFlags,
  io: CliIo,
  kube: KubeTarget,
  fleet: boolean,
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
    io.stderr.write(
      `${fleet ? `${kube.identity.context}: ` : ''}Using ${found.backend} service ${found.service} through the Kubernetes API server.\n`,
    );
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

/** The scan, and with the built-in engine (not --krr-binary) the connections each cluster's scan used. */
export async function runScanWithFlags(
  flags: ParsedFlags,
  positionals: string[],
  io: CliIo,
  output: ScanOutput,
): Promise<{ result: ScanResult; sources: ScanSource[] }> {
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
  if (clusterLabelName !== undefined) {
    const valid = ClusterLabelNameSchema.safeParse(clusterLabelName);
    if (!valid.success)
      throw new UsageError(
        `Invalid value for --prometheus-label: ${JSON.stringify(clusterLabelName)} ${valid.error.issues[0]?.message ?? 'is not a label name'}.`,
      );
  }
  const clusterLabelValue = stringFlag(flags, 'prometheus-cluster-label');
  const contexts = clustersFrom(flags, io.env);
  const fleet = contexts.length > 1;
  const prometheusUrl = stringFlag(flags, 'prometheus-url') ?? io.env.PROMETHEUS_URL;
  if (fleet) {
    if (clusterLabelValue !== undefined)
      throw new UsageError(
        "-l/--prometheus-cluster-label names one cluster; with several, each cluster's value of --prometheus-label is its context name.",
      );
    if (prometheusUrl && !clusterLabelName)
      throw new UsageError(
        "Cannot scan multiple clusters for this prometheus: one Prometheus URL serves several clusters only with --prometheus-label naming the label that tells them apart (its values are the context names). Without -p, each cluster's own Prometheus is discovered.",
      );
    if (stringFlag(flags, 'krr-binary') && prometheusUrl)
      throw new UsageError(
        '--krr-binary scans several clusters only with the Prometheus krr finds in each (krr refuses one -p for several): drop -p and PROMETHEUS_URL.',
      );
  } else if ((clusterLabelName === undefined) !== (clusterLabelValue === undefined)) {
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
  const kubeFor = (context: string | undefined) =>
    loadKubeTarget({
      ...(kubeconfig ? { kubeconfig } : {}),
      ...(context ? { context } : {}),
      env: io.env,
    });
  // The default context is read now, so that a broken kubeconfig is said before anything else.
  const single = fleet ? undefined : kubeFor(contexts[0]);

  const config = {
    quiet: Boolean(flags.quiet),
    verbose: Boolean(flags.verbose),
    clusters: single ? [single.identity.context] : contexts,
    kubeconfig: kubeconfig ?? null,
    namespaces: namespaces.length > 0 ? namespaces : '*',
    resources: kinds,
    selector: selector ?? null,
    cpu_min_value: minimums.cpu_min_value,
    memory_min_value: minimums.memory_min_value,
    prometheus_url: prometheusUrl ?? null,
    prometheus_auth_header: prometheusHeaders(flags, io.env).Authorization ? '**********' : null,
    prometheus_cluster_label: clusterLabelValue ?? null,
    prometheus_label: clusterLabelName ?? null,
    max_workers: workers,
    format: output.format,
    strategy: strategyName,
    other_args: strategy.settings,
    inside_cluster: false,
  };

  const krrBinary = stringFlag(flags, 'krr-binary');
  if (krrBinary) {
    // krr scans several clusters itself (its own -c, repeated), each with the Prometheus it finds there.
    const result = await runKrrBinary({
      binary: krrBinary,
      strategy,
      minimums,
      namespaces,
      kinds,
      ...(selector ? { selector } : {}),
      contexts: single ? [single.identity.context] : contexts,
      kubeconfigPaths: (single ?? kubeFor(contexts[0])).sources,
      ...(prometheusUrl ? { prometheusUrl } : {}),
      hasSecretHeaders: Boolean(prometheusHeaders(flags, io.env).Authorization),
    });
    return { result, sources: [] };
  }

  const scanOptions: Omit<ScanOptions, 'time'> = {
    strategy,
    minimums,
    namespaces,
    kinds,
    ...(selector ? { selector } : {}),
    ...(io.env.KRR_RELATED_POD_LABEL ? { relatedPodLabel: io.env.KRR_RELATED_POD_LABEL } : {}),
    concurrency: workers,
    config,
  };
  // The scanner's own default, fixed here so that every cluster and the risk signals read the same window.
  const at = time ?? Math.floor(Date.now() / 1000);
  const display = output.showProgress && !flags.quiet ? new ProgressDisplay(io) : undefined;
  // Clusters in one shared Prometheus share its query limit too, so that more of them can be scanned at once
  // (their listing and discovery overlap the others' usage queries) without more queries piling up there.
  const sharedSlots = fleet && prometheusUrl ? new QuerySlots(workers) : undefined;
  const scanOne = async (kube: KubeTarget, clusterLabel: ClusterLabel | undefined) => {
    const source: ScanSource = {
      kube,
      prometheus: new PrometheusClient({
        ...(await prometheusConnection(flags, io, kube, fleet)),
        ...(clusterLabel ? { cluster: clusterLabel } : {}),
      }),
      time: at,
      ...(io.env.KRR_RELATED_POD_LABEL ? { relatedPodLabel: io.env.KRR_RELATED_POD_LABEL } : {}),
      concurrency: workers,
    };
    const scanned = await scanCluster(kube, source.prometheus, {
      ...scanOptions,
      time: at,
      ...(sharedSlots ? { querySlots: sharedSlots } : {}),
      ...(display && !fleet ? { onProgress: progressPrinter(display) } : {}),
    });
    source.observed = scanned.observed;
    if (flags.verbose) io.stderr.write(statisticsLine(kube, scanned, fleet));
    return { result: scanned.result, source };
  };

  try {
    if (single) {
      const label =
        clusterLabelName && clusterLabelValue
          ? { name: clusterLabelName, value: clusterLabelValue }
          : undefined;
      const { result, source } = await scanOne(single, label);
      return { result, sources: [source] };
    }
    let done = 0;
    const scanned = await scanFleet(
      contexts.map((context) => ({
        context,
        scan: () =>
          scanOne(
            kubeFor(context),
            clusterLabelName ? { name: clusterLabelName, value: context } : undefined,
          ),
      })),
      {
        ...(sharedSlots ? { concurrency: SHARED_PROMETHEUS_CLUSTER_CONCURRENCY } : {}),
        onClusterDone: () => {
          done++;
          display?.update({
            step: 'Scanning clusters',
            fraction: done / contexts.length,
            detail: `${done}/${contexts.length}`,
          });
        },
      },
    );
    // When none could be scanned, the error below names each cluster's reason once.
    if (scanned.scanned.length > 0 && !flags.quiet)
      for (const { context, error } of scanned.failed)
        io.stderr.write(
          `Warning: cluster "${context}" could not be scanned: ${explainError(error, CLI_PARAMETER_NAMES)}\n`,
        );
    const result = fleetResult(scanned, config, CLI_PARAMETER_NAMES);
    return { result, sources: scanned.scanned.map((s) => s.outcome.source) };
  } finally {
    display?.done();
  }
}

function statisticsLine(
  kube: KubeTarget,
  scanned: Awaited<ReturnType<typeof scanCluster>>,
  fleet: boolean,
): string {
  const { statistics, result } = scanned;
  const phases = Object.entries(statistics.phaseMs)
    .map(([phase, ms]) => `${phase} ${ms} ms`)
    .join(', ');
  return `${fleet ? `${kube.identity.context}: ` : ''}Scanned ${statistics.workloads} workloads (${result.scans.length} containers) with ${statistics.queries} Prometheus queries in ${statistics.batches} usage batches (${phases}).\n`;
}
