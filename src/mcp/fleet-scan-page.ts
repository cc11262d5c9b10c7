// scan_recommendations over several contexts (`contexts`, `all_contexts`): each context is scanned as on its
// own (through the same cached ScanService), two at a time; the items of all of them are ranked together and
// paged; a context that cannot be scanned is named in the answer and does not stop the others.

import { riskSignalsView } from '../core/evidence/risk-signals.js';
import { historyKey } from '../core/evidence/usage-history.js';
import type { RiskSignals } from '../core/evidence/usage-history-model.js';
import { explainError } from '../core/input/parameters.js';
import { kubeconfigContexts } from '../core/kube/kubeconfig.js';
import { byImpact, type RecommendationItem } from '../core/recommend/recommendation-items.js';
import { overallScore } from '../core/recommend/severity.js';
import { scanErrorText } from '../core/recommend/scan-error-text.js';
import { scanFleet, SHARED_PROMETHEUS_CLUSTER_CONCURRENCY } from '../core/scan/fleet-scan.js';
import { everyContextReadsTheUrl } from './config.js';
import { MCP_PARAMETER_NAMES } from './parameter-names.js';
import { signalsForRows } from './risk-signals.js';
import type { ScanRequest, ScanSnapshot } from './scan-service.js';
import type { ServerContext } from './server-context.js';
import { ToolError, type ToolCall } from './tool-call.js';

/** More contexts than this in one call is a mistake (or an attempt to make the server work for hours). */
export const MAX_CONTEXTS = 50;

/**
 * The contexts a call names: `contexts`, every context of the kubeconfig for `all_contexts`, else none (the
 * one-context scan). Unknown names and a Prometheus that cannot tell clusters apart are the caller's error.
 */
export function contextsToScan(
  args: { context?: string | undefined; contexts?: string[] | undefined; all_contexts?: boolean | undefined },
  server: ServerContext,
): string[] {
  const given = [args.context !== undefined, args.contexts !== undefined, args.all_contexts === true];
  if (given.filter(Boolean).length > 1) throw new ToolError('Give one of context, contexts or all_contexts.');
  if (args.contexts === undefined && !args.all_contexts) return [];
  const available = kubeconfigContexts({
    ...(server.config.kubeconfig ? { kubeconfig: server.config.kubeconfig } : {}),
    env: server.env,
  });
  const contexts = args.all_contexts ? available : [...new Set(args.contexts)];
  const unknown = contexts.filter((c) => !available.includes(c));
  if (unknown.length > 0)
    throw new ToolError(
      `contexts: no context ${unknown.map((c) => `"${c}"`).join(', ')} in the kubeconfig (available: ${available.join(', ')}).`,
    );
  if (contexts.length > MAX_CONTEXTS)
    throw new ToolError(`contexts: at most ${MAX_CONTEXTS} contexts in one call, got ${contexts.length}.`);
  if (contexts.length > 1 && server.config.prometheusUrl && !everyContextReadsTheUrl(server.config))
    throw new ToolError(
      'contexts: this server reads one Prometheus (PROMETHEUS_URL) for every context and cannot tell their clusters apart. Scan one context at a time; or, if that Prometheus holds every cluster with a label naming it, start the server with PROMETHEUS_CLUSTER_LABEL_NAME (krrMcp.prometheusClusterLabelName in VS Code); or start it without PROMETHEUS_URL so that each context finds its own Prometheus.',
    );
  return contexts;
}

export interface FleetPage {
  clusters: Array<{
    context: string;
    server: string | null;
    scanned_at: string | null;
    error: string | null;
  }>;
  score: number;
  total: number;
  items: Array<
    Omit<RecommendationItem, 'risk_signals'> & {
      context: string;
      risk_signals: ReturnType<typeof riskSignalsView> | null;
    }
  >;
  errors: string[];
  first: ScanSnapshot;
  fromCache: boolean;
}

export async function scanFleetPage(
  server: ServerContext,
  call: ToolCall,
  contexts: readonly string[],
  request: Omit<ScanRequest, 'context'>,
  page: {
    refresh: boolean;
    offset: number;
    limit: number;
    keep: (item: RecommendationItem) => boolean;
  },
): Promise<FleetPage> {
  let done = 0;
  const fleet = await scanFleet(
    contexts.map((context) => ({
      context,
      scan: async () => {
        const scanned = await server.scans.scan(
          { ...request, context },
          {
            refresh: page.refresh,
            onProgress: (p) => void call.progress(`${context}: ${p.phase} ${p.done}/${p.total}`),
          },
        );
        return { result: scanned.snapshot.result, ...scanned };
      },
    })),
    {
      // Contexts in one shared Prometheus share its query limit (ScanService): more of them can run at once.
      ...(everyContextReadsTheUrl(server.config)
        ? { concurrency: SHARED_PROMETHEUS_CLUSTER_CONCURRENCY }
        : {}),
      onClusterDone: (context) => void call.progress(`${context} scanned`, ++done, contexts.length),
    },
  );
  const first = fleet.scanned[0]?.outcome.snapshot;
  if (!first)
    throw new ToolError(
      `No context could be scanned:\n${fleet.failed.map((f) => `  ${f.context}: ${explainError(f.error, MCP_PARAMETER_NAMES)}`).join('\n')}`,
    );
  const snapshots = fleet.scanned.map((s) => s.outcome.snapshot);
  const ranked = snapshots
    .flatMap((snapshot) => snapshot.items.map((item) => ({ item, snapshot })))
    .filter(({ item }) => page.keep(item))
    .sort((a, b) => byImpact(a.item, b.item));
  const shown = ranked.slice(page.offset, page.offset + page.limit);
  // Signals for the page's rows only, each from its own cluster's Prometheus.
  const signals = new Map<ScanSnapshot, Map<string, RiskSignals>>();
  const problems: string[] = [];
  for (const snapshot of snapshots) {
    const rows = shown.flatMap(({ item, snapshot: s }) => {
      const row = s === snapshot ? snapshot.byId.get(item.id) : undefined;
      return row ? [row] : [];
    });
    if (rows.length === 0) continue;
    const read = await signalsForRows(server, server.kube(snapshot.identity.context), snapshot, rows);
    signals.set(snapshot, read.signals);
    problems.push(...read.problems.map((p) => `${snapshot.identity.context}: ${p}`));
  }
  const scannedBy = new Map(fleet.scanned.map((s) => [s.context, s.outcome.snapshot]));
  const failedBy = new Map(fleet.failed.map((f) => [f.context, explainError(f.error, MCP_PARAMETER_NAMES)]));
  return {
    clusters: contexts.map((context) => {
      const snapshot = scannedBy.get(context);
      return {
        context,
        server: snapshot?.identity.server ?? null,
        scanned_at: snapshot?.scannedAt.toISOString() ?? null,
        error: failedBy.get(context) ?? null,
      };
    }),
    score: overallScore(snapshots.flatMap((s) => s.result.scans)),
    total: ranked.length,
    items: shown.map(({ item, snapshot }) => {
      const found = signals.get(snapshot)?.get(historyKey(item));
      return {
        ...item,
        context: snapshot.identity.context,
        risk_signals: found ? riskSignalsView(found) : null,
      };
    }),
    errors: [
      ...snapshots.flatMap((s) => s.result.errors.map((e) => `${s.identity.context}: ${scanErrorText(e)}`)),
      ...fleet.failed.map((f) => `Context "${f.context}" could not be scanned: ${failedBy.get(f.context)}`),
      ...problems,
    ],
    first,
    fromCache: fleet.scanned.every((s) => s.outcome.fromCache),
  };
}
