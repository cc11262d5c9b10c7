// Reading krr's scan flags into the engine's options: every value checked, with krr's messages, before
// anything is contacted.

import { kubeconfigContexts } from '../../core/kube/kubeconfig.js';
import { prometheusAccessFromEnv } from '../../core/prometheus/access-from-env.js';
import { KINDS, type WorkloadKind } from '../../core/recommend/model.js';
import { STRATEGY_NAMES, ValueMinimumsSchema, type StrategyName } from '../../core/recommend/settings.js';
import { listFlag, numberFlag, stringFlag, type ParsedFlags } from '../flags.js';
import { UsageError } from '../usage-error.js';

export function strategyFrom(flags: ParsedFlags, positionals: string[]): StrategyName {
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

export function strategySettings(flags: ParsedFlags, strategy: StrategyName): Record<string, unknown> {
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

export function kindsFrom(flags: ParsedFlags): WorkloadKind[] {
  return listFlag(flags, 'resource').map((raw) => {
    const kind = KINDS.find(
      (k) => k.toLowerCase() === raw.toLowerCase() || `${k.toLowerCase()}s` === raw.toLowerCase(),
    );
    if (!kind) throw new UsageError(`Unknown resource kind "${raw}". Use one of: ${KINDS.join(', ')}.`);
    return kind;
  });
}

export function timeFrom(flags: ParsedFlags): number | undefined {
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

export function minimumsFrom(flags: ParsedFlags) {
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

/**
 * The contexts to scan: `-c` (repeatable, krr's `--context`/`--cluster`), every context of the kubeconfig
 * with `--all-clusters`, else KUBERNETES_CONTEXT or the current context (an empty list). Unknown names are a
 * usage error here, before any cluster is contacted.
 */
export function clustersFrom(flags: ParsedFlags, env: NodeJS.ProcessEnv): string[] {
  const named = listFlag(flags, 'context');
  const kubeconfig = stringFlag(flags, 'kubeconfig');
  const available = () => kubeconfigContexts({ ...(kubeconfig ? { kubeconfig } : {}), env });
  if (flags['all-clusters']) {
    if (named.length > 0) throw new UsageError('Give -c/--context or --all-clusters, not both.');
    return available();
  }
  if (named.length === 0) return env.KUBERNETES_CONTEXT ? [env.KUBERNETES_CONTEXT] : [];
  const unique = [...new Set(named)];
  if (unique.length > 1) {
    const known = new Set(available());
    const unknown = unique.filter((c) => !known.has(c));
    if (unknown.length > 0)
      throw new UsageError(
        `Invalid value for -c/--context: no context ${unknown.map((c) => `"${c}"`).join(', ')} in the kubeconfig. Available contexts: ${[...known].join(', ')}.`,
      );
  }
  return unique;
}
