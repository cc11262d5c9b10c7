import { z } from 'zod';
import { scanErrorText } from '../../core/recommend/scan-error-text.js';
import { riskSignalsView, RiskSignalsViewSchema } from '../../core/evidence/risk-signals.js';
import { historyKey } from '../../core/evidence/usage-history.js';
import { KINDS } from '../../core/recommend/model.js';
import { STRATEGY_NAMES } from '../../core/recommend/settings.js';
import { contextsToScan, MAX_CONTEXTS, scanFleetPage } from '../fleet-scan-page.js';
import { signalsForRows } from '../risk-signals.js';
import { defineTool } from '../tool-definition.js';

const quantity = z.string().nullable().describe('Kubernetes quantity; null = unset; "?" = no recommendation');
const resources = z.object({ cpu: quantity, memory: quantity });
const item = z.object({
  id: z.string().describe('Stable id: context/namespace/kind/name/container. Pass it to preview_changes.'),
  context: z
    .string()
    .optional()
    .describe('The kubeconfig context the item is in (scans of several contexts)'),
  namespace: z.string(),
  kind: z.string(),
  name: z.string(),
  container: z.string(),
  severity: z.enum(['CRITICAL', 'WARNING', 'OK', 'GOOD', 'UNKNOWN']),
  pods_running: z.number(),
  pods_deleted: z.number(),
  current: z.object({ requests: resources, limits: resources }),
  recommended: z.object({ requests: resources, limits: resources }),
  info: z.object({ cpu: z.string().nullable(), memory: z.string().nullable() }),
  warnings: z.array(z.string()),
  hpa: z.boolean(),
  monthly_savings_usd: z.number().describe('Positive when the recommendation frees resources'),
  risk_signals: RiskSignalsViewSchema.nullable().describe(
    'Trouble the container is in already, over the history window; null when it could not be read (see errors)',
  ),
});

const inputSchema = z.strictObject({
  namespace: z
    .union([z.string().min(1).max(253), z.array(z.string().min(1).max(253)).max(100)])
    .optional()
    .describe('Namespace, regex, or list of them. Default: every namespace except kube-system.'),
  strategy: z.enum(STRATEGY_NAMES).optional().describe('krr strategy: simple (default) or simple_limit'),
  resource_filter: z
    .array(z.enum(KINDS))
    .max(KINDS.length)
    .optional()
    .describe('Workload kinds to scan (default: all)'),
  selector: z.string().max(1000).optional().describe('Workload label selector, e.g. "app=web"'),
  context: z
    .string()
    .max(253)
    .optional()
    .describe("kubeconfig context (default: the editor's / server's context)"),
  contexts: z
    .array(z.string().min(1).max(253))
    .min(1)
    .max(MAX_CONTEXTS)
    .optional()
    .describe(
      'Several kubeconfig contexts scanned together (a fleet): items from all of them, ranked together; each names its context. Not with context or all_contexts.',
    ),
  all_contexts: z
    .boolean()
    .optional()
    .describe(
      'Scan every context of the kubeconfig (like krr --all-clusters). Not with context or contexts.',
    ),
  settings: z
    .strictObject({
      history_duration: z.number().optional(),
      timeframe_duration: z.number().optional(),
      cpu_percentile: z.number().optional(),
      cpu_request: z.number().optional(),
      cpu_limit: z.number().optional(),
      memory_buffer_percentage: z.number().optional(),
      points_required: z.number().int().optional(),
      allow_hpa: z.boolean().optional(),
      use_oomkill_data: z.boolean().optional(),
      oom_memory_buffer_percentage: z.number().optional(),
    })
    .optional()
    .describe("krr strategy settings (krr's names and defaults)"),
  min_severity: z
    .enum(['CRITICAL', 'WARNING', 'OK', 'GOOD', 'UNKNOWN'])
    .optional()
    .describe('Only return recommendations at least this severe'),
  offset: z.number().int().min(0).max(1_000_000).default(0),
  limit: z.number().int().min(1).max(500).default(50),
  refresh: z
    .boolean()
    .default(false)
    .describe('Ignore the cached result of an identical scan from the last few minutes'),
});

const outputSchema = z.object({
  context: z.string(),
  server: z.string(),
  strategy: z.string(),
  scanned_at: z.string(),
  from_cache: z.boolean(),
  score: z.number(),
  total: z.number(),
  offset: z.number(),
  next_offset: z.number().nullable(),
  items: z.array(item),
  errors: z.array(z.string()),
  clusters: z
    .array(
      z.object({
        context: z.string(),
        server: z.string().nullable(),
        scanned_at: z.string().nullable(),
        error: z.string().nullable().describe('Why this context could not be scanned; null when it was'),
      }),
    )
    .optional()
    .describe('Scans of several contexts: each context and how its scan went'),
});

const SEVERITY_ORDER = ['CRITICAL', 'WARNING', 'OK', 'GOOD', 'UNKNOWN'] as const;

export const scanRecommendationsTool = defineTool({
  name: 'scan_recommendations',
  title: 'Scan resource recommendations',
  description:
    'Step 1 of 4. Computes krr-compatible CPU and memory recommendations (strategies simple / simple_limit) from Prometheus ' +
    'for the workloads of the cluster, most impactful first, paginated. Read-only. Next: pass the ids you want to change ' +
    'to preview_changes, which shows the exact patch and its risks; nothing is changed until a person approves it. ' +
    'Each item says whether the container is already at risk (OOM kills, CPU throttling, restarts, HPA at max replicas).',
  inputSchema,
  outputSchema,
  annotations: { readOnlyHint: true, openWorldHint: false, idempotentHint: true, destructiveHint: false },
  async handler(args, context, call) {
    const namespaces =
      args.namespace === undefined ? [] : Array.isArray(args.namespace) ? args.namespace : [args.namespace];
    const strategy = args.strategy ?? context.config.defaultStrategy;
    const request = {
      namespaces,
      kinds: args.resource_filter ?? [],
      ...(args.selector ? { selector: args.selector } : {}),
      strategy,
      settings: Object.fromEntries(Object.entries(args.settings ?? {}).filter(([, v]) => v !== undefined)),
    };
    const threshold = args.min_severity ? SEVERITY_ORDER.indexOf(args.min_severity) : SEVERITY_ORDER.length;
    const keep = (i: { severity: (typeof SEVERITY_ORDER)[number] }) =>
      SEVERITY_ORDER.indexOf(i.severity) <= threshold;
    const contexts = contextsToScan(args, context);
    if (contexts.length > 1) {
      const fleet = await scanFleetPage(context, call, contexts, request, {
        refresh: args.refresh,
        offset: args.offset,
        limit: args.limit,
        keep,
      });
      const next = args.offset + args.limit < fleet.total ? args.offset + args.limit : null;
      return {
        context: fleet.first.identity.context,
        server: fleet.first.identity.server,
        strategy,
        scanned_at: fleet.first.scannedAt.toISOString(),
        from_cache: fleet.fromCache,
        score: fleet.score,
        total: fleet.total,
        offset: args.offset,
        next_offset: next,
        items: fleet.items,
        errors: fleet.errors,
        clusters: fleet.clusters,
      };
    }
    const one = contexts[0] ?? args.context;
    const { snapshot, fromCache } = await context.scans.scan(
      { ...(one ? { context: one } : {}), ...request },
      {
        refresh: args.refresh,
        onProgress: (p) => void call.progress(`${p.phase} ${p.done}/${p.total}`, p.done, p.total),
      },
    );
    const filtered = snapshot.items.filter(keep);
    const page = filtered.slice(args.offset, args.offset + args.limit);
    const next = args.offset + args.limit < filtered.length ? args.offset + args.limit : null;
    // Only the page's rows: an agent pays the queries for what it reads, once per scan.
    const rows = page.flatMap((item) => {
      const row = snapshot.byId.get(item.id);
      return row ? [row] : [];
    });
    const { signals, problems } = await signalsForRows(context, context.kube(one), snapshot, rows);
    return {
      context: snapshot.identity.context,
      server: snapshot.identity.server,
      strategy,
      scanned_at: snapshot.scannedAt.toISOString(),
      from_cache: fromCache,
      score: snapshot.result.score,
      total: filtered.length,
      offset: args.offset,
      next_offset: next,
      items: page.map((item) => {
        const found = signals.get(historyKey(item));
        return { ...item, risk_signals: found ? riskSignalsView(found) : null };
      }),
      errors: [...snapshot.result.errors.map(scanErrorText), ...problems],
    };
  },
});
