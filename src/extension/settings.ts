import { z } from 'zod';
import type { Prices } from '../core/changes/cost.js';
import { SafetyRulesSchema, type SafetyRules } from '../core/changes/safety-rules.js';
import {
  ClusterLabelNameSchema,
  ClusterLabelValuesSchema,
  type SharedPrometheus,
} from '../core/prometheus/shared-prometheus.js';
import { STRATEGY_NAMES } from '../core/recommend/settings.js';

/** How krr's WARNING and CRITICAL rows show in the Problems view at the manifests that define them. */
export const MANIFEST_DIAGNOSTIC_LEVELS = ['off', 'error', 'warning', 'information', 'hint'] as const;
export type ManifestDiagnosticsLevel = (typeof MANIFEST_DIAGNOSTIC_LEVELS)[number];

/** The extension's settings (contributes.configuration), validated before use. */
export const ExtensionSettingsSchema = z.object({
  prometheusUrl: z.union([z.literal(''), z.url({ protocol: /^https?$/ })]).default(''),
  prometheusCaFile: z.string().default(''),
  prometheusInsecureSkipTlsVerify: z.boolean().default(false),
  prometheusClusterLabelName: z.union([z.literal(''), ClusterLabelNameSchema]).default(''),
  prometheusClusterLabelValues: ClusterLabelValuesSchema.default({}),
  kubeconfig: z.string().default(''),
  context: z.string().default(''),
  strategy: z.enum(STRATEGY_NAMES).default('simple'),
  namespaces: z.array(z.string()).default([]),
  maxResourceChangePercent: z.number().positive().default(500),
  criticalWorkloadPatterns: SafetyRulesSchema.shape.criticalWorkloadPatterns,
  productionNamespacePatterns: SafetyRulesSchema.shape.productionNamespacePatterns,
  blockLiveChangesToManagedWorkloads: z.boolean().default(false),
  requireUsageEvidence: z.boolean().default(false),
  cpuPricePerCoreHour: z.number().min(0).default(0.031611),
  memoryPricePerGiBHour: z.number().min(0).default(0.004237),
  confirmationTimeoutSeconds: z.number().int().min(1).max(3600).default(120),
  approvalExpirySeconds: z.number().int().min(10).max(3600).default(600),
  verificationMinutes: z.number().int().min(0).max(120).default(10),
  offerInPlaceResize: z.boolean().default(true),
  prometheusTimeoutSeconds: z.number().gt(0).max(600).default(60),
  scanCacheSeconds: z.number().int().min(0).max(3600).default(300),
  logLevel: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  manifestDiagnostics: z.enum(MANIFEST_DIAGNOSTIC_LEVELS).default('warning'),
});
export type ExtensionSettings = z.infer<typeof ExtensionSettingsSchema>;

interface ConfigurationReader {
  get<T>(section: string): T | undefined;
}

export function readSettings(
  config: ConfigurationReader,
): { ok: true; value: ExtensionSettings } | { ok: false; error: string } {
  const raw = Object.fromEntries(
    Object.keys(ExtensionSettingsSchema.shape)
      .map((k) => [k, config.get(k)])
      .filter(([, v]) => v !== undefined),
  );
  const parsed = ExtensionSettingsSchema.safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      error: parsed.error.issues.map((i) => `krrMcp.${i.path.join('.')}: ${i.message}`).join('; '),
    };
  }
  return { ok: true, value: parsed.data };
}

/**
 * Only `krrMcp.manifestDiagnostics`, so that a bad value elsewhere (which stops scans) does not also
 * switch the Problems view off; a bad value here falls back to the default and says so.
 */
export function manifestDiagnosticsOf(config: ConfigurationReader): {
  level: ManifestDiagnosticsLevel;
  error?: string;
} {
  const parsed = ExtensionSettingsSchema.shape.manifestDiagnostics.safeParse(
    config.get('manifestDiagnostics'),
  );
  if (parsed.success) return { level: parsed.data };
  return {
    level: 'warning',
    error: `krrMcp.manifestDiagnostics: ${parsed.error.issues.map((i) => i.message).join('; ')}`,
  };
}

export function safetyRulesOf(settings: ExtensionSettings): SafetyRules {
  return SafetyRulesSchema.parse({
    maxChangePercent: settings.maxResourceChangePercent,
    criticalWorkloadPatterns: settings.criticalWorkloadPatterns,
    productionNamespacePatterns: settings.productionNamespacePatterns,
    blockLiveChangesToManagedWorkloads: settings.blockLiveChangesToManagedWorkloads,
    requireUsageEvidence: settings.requireUsageEvidence,
  });
}

/** The Prometheus several contexts share, when the person named the label that tells them apart. */
export function sharedPrometheusOf(settings: ExtensionSettings): SharedPrometheus | undefined {
  return settings.prometheusClusterLabelName
    ? { labelName: settings.prometheusClusterLabelName, values: settings.prometheusClusterLabelValues }
    : undefined;
}

/** Whether every context reads `krrMcp.prometheusUrl` (each its own series): their scans share its query limit. */
export function everyContextReadsTheUrl(settings: ExtensionSettings): boolean {
  return settings.prometheusUrl !== '' && sharedPrometheusOf(settings) !== undefined;
}

export function pricesOf(settings: ExtensionSettings): Prices {
  return { cpuCoreHour: settings.cpuPricePerCoreHour, memoryGiBHour: settings.memoryPricePerGiBHour };
}

/** The environment the MCP server reads, from the settings (no secrets here). */
export function serverEnvironmentOf(settings: ExtensionSettings): Record<string, string> {
  return {
    ...(settings.prometheusUrl ? { PROMETHEUS_URL: settings.prometheusUrl } : {}),
    ...(settings.prometheusCaFile ? { PROMETHEUS_CA_FILE: settings.prometheusCaFile } : {}),
    ...(settings.prometheusInsecureSkipTlsVerify ? { PROMETHEUS_INSECURE_SKIP_TLS_VERIFY: 'true' } : {}),
    ...(settings.prometheusClusterLabelName
      ? {
          PROMETHEUS_CLUSTER_LABEL_NAME: settings.prometheusClusterLabelName,
          PROMETHEUS_CLUSTER_LABEL_VALUES: JSON.stringify(settings.prometheusClusterLabelValues),
        }
      : {}),
    KRR_STRATEGY: settings.strategy,
    MAX_RESOURCE_CHANGE_PERCENT: String(settings.maxResourceChangePercent),
    CRITICAL_WORKLOAD_PATTERNS: settings.criticalWorkloadPatterns.join(','),
    PRODUCTION_NAMESPACE_PATTERNS: settings.productionNamespacePatterns.join(','),
    BLOCK_MANAGED_LIVE_CHANGES: String(settings.blockLiveChangesToManagedWorkloads),
    REQUIRE_USAGE_EVIDENCE: String(settings.requireUsageEvidence),
    CPU_PRICE_PER_CORE_HOUR: String(settings.cpuPricePerCoreHour),
    MEMORY_PRICE_PER_GIB_HOUR: String(settings.memoryPricePerGiBHour),
    CONFIRMATION_TIMEOUT: String(settings.confirmationTimeoutSeconds),
    PROMETHEUS_TIMEOUT: String(settings.prometheusTimeoutSeconds),
    SCAN_CACHE_SECONDS: String(settings.scanCacheSeconds),
    LOG_LEVEL: settings.logLevel,
  };
}
