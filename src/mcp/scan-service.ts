import type { ClusterIdentity, KubeTarget } from '../core/kube/kubeconfig.js';
import type { PrometheusClient } from '../core/prometheus/client.js';
import type { QuerySlots } from '../core/prometheus/query-slots.js';
import type { ResourceScan, ScanResult, WorkloadKind } from '../core/recommend/model.js';
import {
  byImpact,
  recommendationId,
  toRecommendationItem,
  type RecommendationItem,
} from '../core/recommend/recommendation-items.js';
import { parseStrategyConfig, type StrategyName } from '../core/recommend/settings.js';
import {
  scanCluster,
  type ObservedUsage,
  type ScanProgress,
  type ScanStatistics,
} from '../core/scan/scanner.js';

export interface ScanRequest {
  context?: string;
  namespaces: string[];
  kinds: WorkloadKind[];
  selector?: string;
  strategy: StrategyName;
  settings: Record<string, unknown>;
}

/** One finished scan, kept for a short time so agents can page through it and preview from it. */
export interface ScanSnapshot {
  key: string;
  identity: ClusterIdentity;
  result: ScanResult;
  items: RecommendationItem[];
  byId: Map<string, ResourceScan>;
  scannedAt: Date;
  statistics: ScanStatistics;
  /** Peak memory and CPU p95 per `namespace/kind/name/container`. */
  observed: Map<string, ObservedUsage>;
}

export interface ScanServiceDependencies {
  kube(context?: string): KubeTarget;
  prometheus(kube: KubeTarget): Promise<PrometheusClient>;
  /** One query limit for every context's scans, when every context reads one shared Prometheus. */
  sharedQuerySlots?: QuerySlots;
  cacheSeconds: number;
  now?: () => number;
}

/** Runs scans, caches them briefly by their parameters, and joins identical scans already running. */
export class ScanService {
  private readonly cache = new Map<string, ScanSnapshot>();
  private readonly running = new Map<string, Promise<ScanSnapshot>>();

  constructor(private readonly deps: ScanServiceDependencies) {}

  async scan(
    request: ScanRequest,
    options: { refresh?: boolean; onProgress?: (p: ScanProgress) => void } = {},
  ): Promise<{ snapshot: ScanSnapshot; fromCache: boolean }> {
    const kube = this.deps.kube(request.context);
    const key = JSON.stringify({ ...request, context: kube.identity.context, server: kube.identity.server });
    const now = this.deps.now?.() ?? Date.now();
    const cached = this.cache.get(key);
    if (cached && !options.refresh && now - cached.scannedAt.getTime() < this.deps.cacheSeconds * 1000) {
      return { snapshot: cached, fromCache: true };
    }
    let pending = this.running.get(key);
    if (!pending) {
      pending = this.run(key, kube, request, options.onProgress).finally(() => this.running.delete(key));
      this.running.set(key, pending);
    }
    return { snapshot: await pending, fromCache: false };
  }

  /** The most recent scan row with this id, from any cached scan. */
  find(id: string): { snapshot: ScanSnapshot; scan: ResourceScan } | undefined {
    const snapshots = [...this.cache.values()].sort((a, b) => b.scannedAt.getTime() - a.scannedAt.getTime());
    for (const snapshot of snapshots) {
      const scan = snapshot.byId.get(id);
      if (scan) return { snapshot, scan };
    }
    return undefined;
  }

  private async run(
    key: string,
    kube: KubeTarget,
    request: ScanRequest,
    onProgress?: (p: ScanProgress) => void,
  ): Promise<ScanSnapshot> {
    const prometheus = await this.deps.prometheus(kube);
    const { result, statistics, observed } = await scanCluster(kube, prometheus, {
      strategy: parseStrategyConfig(request.strategy, request.settings),
      minimums: { cpu_min_value: 10, memory_min_value: 100 },
      namespaces: request.namespaces,
      kinds: request.kinds,
      ...(request.selector ? { selector: request.selector } : {}),
      ...(this.deps.sharedQuerySlots ? { querySlots: this.deps.sharedQuerySlots } : {}),
      ...(onProgress ? { onProgress } : {}),
    });
    const context = kube.identity.context;
    const snapshot: ScanSnapshot = {
      key,
      identity: kube.identity,
      result,
      items: result.scans.map((s) => toRecommendationItem(context, s)).sort(byImpact),
      byId: new Map(result.scans.map((s) => [recommendationId(context, s), s])),
      scannedAt: new Date(this.deps.now?.() ?? Date.now()),
      statistics,
      observed,
    };
    this.cache.set(key, snapshot);
    // Old scans only serve ids for previews; an hour is plenty and bounds the memory they hold.
    for (const [k, v] of this.cache)
      if (snapshot.scannedAt.getTime() - v.scannedAt.getTime() > 3_600_000) this.cache.delete(k);
    return snapshot;
  }
}
