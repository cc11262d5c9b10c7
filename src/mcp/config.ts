import { z } from 'zod';
import {
  ClusterLabelNameSchema,
  ClusterLabelValuesSchema,
  type SharedPrometheus,
} from '../core/prometheus/shared-prometheus.js';
import { parseStrategyConfig, STRATEGY_NAMES } from '../core/recommend/settings.js';

/**
 * The server's configuration, from the environment variables users of the seed project know, then
 * flags. KUBECONFIG itself is read by the kubeconfig loader (it may list several files). Invalid values fail at start with the variable's name, before any client connects.
 */
export const ServerConfigSchema = z.object({
  kubeconfig: z.string().optional(),
  context: z.string().optional(),
  prometheusUrl: z.url({ protocol: /^https?$/ }).optional(),
  /** The label that tells clusters apart in a Prometheus they share: PROMETHEUS_URL then serves every context. */
  prometheusClusterLabelName: ClusterLabelNameSchema.optional(),
  /** Context → its value of that label, where it is not the context's name. */
  prometheusClusterLabelValues: ClusterLabelValuesSchema.default({}),
  logLevel: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /** Seconds request_confirmation waits for a click before answering "pending". */
  confirmationTimeoutSeconds: z.number().int().min(1).max(3600).default(120),
  defaultStrategy: z.enum(STRATEGY_NAMES).default('simple'),
  /** How long scan results are reused unless the caller asks for a refresh. */
  scanCacheSeconds: z.number().int().min(0).max(3600).default(300),
  prometheusTimeoutSeconds: z.number().gt(0).max(600).default(60),
  auditLogPath: z.string().optional(),
  /** US dollars per requested vCPU-hour and GiB-hour (default: AWS Fargate on-demand, us-east-1). */
  cpuPricePerCoreHour: z.number().min(0).max(100).default(0.031611),
  memoryPricePerGiBHour: z.number().min(0).max(100).default(0.004237),
});
export type ServerConfig = z.infer<typeof ServerConfigSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const ENV: Record<string, { key: keyof ServerConfig; number?: boolean; json?: boolean }> = {
  KUBERNETES_CONTEXT: { key: 'context' },
  PROMETHEUS_URL: { key: 'prometheusUrl' },
  PROMETHEUS_CLUSTER_LABEL_NAME: { key: 'prometheusClusterLabelName' },
  PROMETHEUS_CLUSTER_LABEL_VALUES: { key: 'prometheusClusterLabelValues', json: true },
  LOG_LEVEL: { key: 'logLevel' },
  CONFIRMATION_TIMEOUT: { key: 'confirmationTimeoutSeconds', number: true },
  KRR_STRATEGY: { key: 'defaultStrategy' },
  SCAN_CACHE_SECONDS: { key: 'scanCacheSeconds', number: true },
  PROMETHEUS_TIMEOUT: { key: 'prometheusTimeoutSeconds', number: true },
  KRR_MCP_AUDIT_LOG: { key: 'auditLogPath' },
  CPU_PRICE_PER_CORE_HOUR: { key: 'cpuPricePerCoreHour', number: true },
  MEMORY_PRICE_PER_GIB_HOUR: { key: 'memoryPricePerGiBHour', number: true },
};

function jsonOf(variable: string, value: string): unknown {
  try {
    return JSON.parse(value) as unknown;
  } catch {
    throw new ConfigError(
      `Invalid ${variable}: not JSON. Give an object of context names and label values, e.g. {"my-context":"prod-eu"}.`,
    );
  }
}

/** The Prometheus every context shares, when the label that tells their clusters apart is configured. */
export function sharedPrometheusOf(config: ServerConfig): SharedPrometheus | undefined {
  return config.prometheusClusterLabelName
    ? { labelName: config.prometheusClusterLabelName, values: config.prometheusClusterLabelValues }
    : undefined;
}

/** Whether every context reads PROMETHEUS_URL (each its own series): then their scans share its query limit. */
export function everyContextReadsTheUrl(config: ServerConfig): boolean {
  return config.prometheusUrl !== undefined && config.prometheusClusterLabelName !== undefined;
}

/** Reads the environment (and flag overrides, which win) into a validated config. */
export function loadServerConfig(
  env: NodeJS.ProcessEnv,
  overrides: Partial<Record<keyof ServerConfig, unknown>> = {},
): ServerConfig {
  const raw: Record<string, unknown> = {};
  const origin: Record<string, string> = {};
  const shown: Record<string, string> = {};
  for (const [variable, { key, number, json }] of Object.entries(ENV)) {
    const value = env[variable];
    if (value === undefined || value === '') continue;
    raw[key] = number
      ? Number(value)
      : json
        ? jsonOf(variable, value)
        : key === 'logLevel'
          ? value.toLowerCase()
          : value;
    origin[key] = variable;
    shown[key] = value;
  }
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    raw[key] = value;
    origin[key] = `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  }
  const parsed = ServerConfigSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues
        .map((issue) => {
          const key = String(issue.path[0] ?? '');
          return `Invalid ${origin[key] ?? key}=${JSON.stringify(shown[key] ?? raw[key])}: ${issue.message}`;
        })
        .join('\n'),
    );
  }
  // The strategy's own settings are validated where they are used; this checks the name resolves.
  parseStrategyConfig(parsed.data.defaultStrategy, {});
  return parsed.data;
}
