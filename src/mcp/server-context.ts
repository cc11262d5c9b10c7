import { defaultAuditLogPath } from '../core/audit/paths.js';
import { loadKubeTarget, type KubeTarget } from '../core/kube/kubeconfig.js';
import { prometheusAccessFromEnv } from '../core/prometheus/access-from-env.js';
import { PrometheusClient } from '../core/prometheus/client.js';
import { discoverPrometheus } from '../core/prometheus/service-discovery.js';
import { QuerySlots } from '../core/prometheus/query-slots.js';
import { clusterLabelFor } from '../core/prometheus/shared-prometheus.js';
import type { Prices } from '../core/changes/cost.js';
import type { SafetyRules } from '../core/changes/safety-rules.js';
import { StandaloneGateway, type ApprovalGateway } from './approval-gateway.js';
import { PlanStore } from './plan-store.js';
import { everyContextReadsTheUrl, sharedPrometheusOf, type ServerConfig } from './config.js';
import type { Logger } from './logger.js';
import { ScanService } from './scan-service.js';
import { ToolError } from './tool-call.js';

/** Everything the tools share: configuration, logging, the cluster connections and the scan cache. */
export interface ServerContext {
  config: ServerConfig;
  log: Logger;
  version: string;
  env: NodeJS.ProcessEnv;
  kube(context?: string): KubeTarget;
  prometheus(kube: KubeTarget): Promise<PrometheusClient>;
  scans: ScanService;
  plans: PlanStore;
  safety: SafetyRules;
  prices: Prices;
  /** Where the authority writes the audit log; the server only reads it. */
  auditLogPath: string;
  approval: ApprovalGateway;
}

export interface ServerContextOptions {
  config: ServerConfig;
  safety: SafetyRules;
  log: Logger;
  version: string;
  env: NodeJS.ProcessEnv;
  approval?: ApprovalGateway;
  plans?: PlanStore;
}

export function createServerContext({
  config,
  safety,
  log,
  version,
  env,
  approval,
  plans,
}: ServerContextOptions): ServerContext {
  // Read once, at start: an invalid value stops the server before a client connects.
  const access = prometheusAccessFromEnv(env);
  const targets = new Map<string, KubeTarget>();
  const clients = new Map<string, PrometheusClient>();
  const kube = (context?: string): KubeTarget => {
    const wanted = context ?? config.context ?? '';
    let target = targets.get(wanted);
    if (!target) {
      target = loadKubeTarget({
        ...(config.kubeconfig ? { kubeconfig: config.kubeconfig } : {}),
        ...(wanted ? { context: wanted } : {}),
        env,
      });
      targets.set(wanted, target);
    }
    return target;
  };
  /** The context the server was started for (KUBERNETES_CONTEXT, else the kubeconfig's current one). */
  const ownContext = (): string | undefined => {
    try {
      return kube().identity.context;
    } catch {
      return undefined;
    }
  };
  const prometheus = async (target: KubeTarget): Promise<PrometheusClient> => {
    const key = target.identity.context;
    const existing = clients.get(key);
    if (existing) return existing;
    const { headers, ...tls } = access;
    const timeoutMs = config.prometheusTimeoutSeconds * 1000;
    const shared = sharedPrometheusOf(config);
    // In a Prometheus several clusters share, this context's readings select its own series.
    const cluster = clusterLabelFor(shared, key);
    const scoped = cluster ? { cluster } : {};
    // PROMETHEUS_URL is the server's own context's Prometheus, as krrMcp.prometheusUrl is the editor's: a
    // context an agent names otherwise reads its own cluster's, never another cluster's usage under the same
    // workload names. With the label that tells clusters apart, the URL is every context's.
    const url = shared || key === ownContext() ? config.prometheusUrl : undefined;
    let client: PrometheusClient;
    if (url) {
      client = new PrometheusClient({ url, headers, timeoutMs, ...tls, ...scoped });
    } else {
      const found = await discoverPrometheus(target);
      if (!found) {
        throw new ToolError(
          config.prometheusUrl
            ? `No Prometheus was found in context "${key}", and PROMETHEUS_URL is the Prometheus of the server's context "${ownContext() ?? '?'}", not this one's. If that Prometheus holds every cluster's series, start the server with PROMETHEUS_CLUSTER_LABEL_NAME (krrMcp.prometheusClusterLabelName in VS Code) naming the label that tells them apart.`
            : `No Prometheus configured and none found in context "${key}". Set PROMETHEUS_URL for the krr-mcp server (or krrMcp.prometheusUrl in VS Code).`,
        );
      }
      log.info('prometheus discovered', { backend: found.backend, service: found.service, context: key });
      client = new PrometheusClient({
        ...found.connection,
        headers: { ...found.connection.headers, ...headers },
        timeoutMs,
        ...scoped,
        // Reached through the API server: its TLS is the kubeconfig's, not Prometheus'.
      });
    }
    clients.set(key, client);
    return client;
  };
  return {
    config,
    log,
    version,
    env,
    kube,
    prometheus,
    scans: new ScanService({
      kube,
      prometheus,
      // Every context reads the one shared Prometheus: one limit for all their scans, as for one scan.
      ...(everyContextReadsTheUrl(config) ? { sharedQuerySlots: new QuerySlots(4) } : {}),
      cacheSeconds: config.scanCacheSeconds,
    }),
    plans: plans ?? new PlanStore(),
    safety,
    prices: { cpuCoreHour: config.cpuPricePerCoreHour, memoryGiBHour: config.memoryPricePerGiBHour },
    auditLogPath: config.auditLogPath ?? defaultAuditLogPath(env),
    approval: approval ?? new StandaloneGateway(),
  };
}
