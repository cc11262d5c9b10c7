import { z } from 'zod';
import { ChangeRequestError, MAX_WORKLOADS, type ChangeRequest } from '../../core/changes/change-request.js';
import { buildChangePlan } from '../../core/changes/plan-builder.js';
import { changeRequestFromRecommendations } from '../../core/changes/recommendations.js';
import type { RiskSignals } from '../../core/evidence/usage-history-model.js';
import { KINDS, type ResourceScan } from '../../core/recommend/model.js';
import { recommendationId } from '../../core/recommend/recommendation-items.js';
import { PlanViewSchema, planView } from '../plan-view.js';
import { signalsForRows } from '../risk-signals.js';
import type { ScanSnapshot } from '../scan-service.js';
import { defineTool, ToolError } from '../tool-definition.js';

const quantity = z
  .string()
  .max(64)
  .nullable()
  .describe('Kubernetes quantity ("250m", "512Mi"); null removes the field');
const resourceValues = z.strictObject({ cpu: quantity.optional(), memory: quantity.optional() });

const inputSchema = z.strictObject({
  recommendation_ids: z
    .array(z.string().min(1).max(1000))
    .max(1000)
    .optional()
    .describe(
      'Ids from scan_recommendations: each container gets krr\'s values ("?" values are skipped, an unset CPU limit is removed)',
    ),
  changes: z
    .array(
      z.strictObject({
        kind: z.enum(KINDS),
        namespace: z.string().min(1).max(63),
        name: z.string().min(1).max(253),
        containers: z
          .array(
            z.strictObject({
              container: z.string().min(1).max(253),
              requests: resourceValues.optional(),
              limits: resourceValues.optional(),
            }),
          )
          .min(1)
          .max(50),
      }),
    )
    .max(MAX_WORKLOADS)
    .optional()
    .describe('Values you choose yourself; they are marked as agent-supplied to the person approving'),
  context: z.string().max(253).optional().describe("kubeconfig context (default: the server's)"),
});

export const previewChangesTool = defineTool({
  name: 'preview_changes',
  title: 'Preview a change plan',
  description:
    'Step 2 of 4. Builds a change plan from recommendation ids and/or explicit per-container values, without changing anything: ' +
    "for each workload the live object (uid, resourceVersion), the patch for the named containers only, the API server's own " +
    'dry-run of it (dryRun=All), a YAML diff, impact (pods, restart, HPA), risk with every reason (including trouble a ' +
    'workload is in already: OOM kills, throttling, restarts, HPA at max), hard blocks, and the ' +
    'monthly cost delta. Read-only. Next: request_confirmation with the plan_id (blocked plans cannot be approved).',
  inputSchema,
  outputSchema: PlanViewSchema.extend({
    skipped: z.array(z.object({ id: z.string(), field: z.string().nullable(), reason: z.string() })),
    next_step: z.string(),
  }),
  annotations: { readOnlyHint: true, openWorldHint: false, idempotentHint: false, destructiveHint: false },
  async handler(args, context) {
    if (!args.recommendation_ids?.length && !args.changes?.length) {
      throw new ToolError(
        'Give recommendation_ids (from scan_recommendations) and/or changes (explicit values) to preview.',
      );
    }
    const kube = context.kube(args.context);
    const workloads: ChangeRequest['workloads'] = [];
    const skipped: Array<{ id: string; field: string | null; reason: string }> = [];
    const observed = new Map<string, { memoryPeakBytes?: number; cpuP95Cores?: number }>();

    if (args.recommendation_ids?.length) {
      const found = args.recommendation_ids.map((id) => ({ id, hit: context.scans.find(id) }));
      for (const { id } of found.filter((f) => !f.hit)) {
        skipped.push({
          id,
          field: null,
          reason: 'unknown id: run scan_recommendations first (ids come from a scan of the last few minutes)',
        });
      }
      const hits = found.filter((f) => f.hit).map((f) => f.hit!);
      const conversion = changeRequestFromRecommendations(
        hits.map((h) => h.scan),
        found.filter((f) => f.hit).map((f) => f.id),
        (scan) => recommendationId(kube.identity.context, scan),
      );
      for (const s of conversion.skipped)
        skipped.push({ id: s.id, field: s.field ?? null, reason: s.reason });
      if (conversion.request) workloads.push(...conversion.request.workloads);
    }
    for (const change of args.changes ?? []) {
      const existing = workloads.find(
        (w) => w.kind === change.kind && w.namespace === change.namespace && w.name === change.name,
      );
      const containers = change.containers.map((c) => ({ ...c, source: 'agent' as const }));
      if (existing) {
        // Explicit values override a recommendation for the same container.
        existing.containers = [
          ...existing.containers.filter((c) => !containers.some((a) => a.container === c.container)),
          ...containers,
        ];
      } else {
        workloads.push({ kind: change.kind, namespace: change.namespace, name: change.name, containers });
      }
    }
    if (workloads.length === 0) {
      throw new ToolError(`Nothing to preview: ${skipped.map((s) => `${s.id}: ${s.reason}`).join('; ')}`);
    }
    // The safety rules compare new values with the usage Prometheus saw: scan what no recent scan covers.
    const idOf = (w: (typeof workloads)[number], container: string) =>
      `${kube.identity.context}/${w.namespace}/${w.kind}/${w.name}/${container}`;
    const uncovered = workloads.filter((w) =>
      w.containers.some((c) => !context.scans.find(idOf(w, c.container))),
    );
    if (uncovered.length > 0) {
      await context.scans
        .scan({
          ...(args.context ? { context: args.context } : {}),
          namespaces: [...new Set(uncovered.map((w) => w.namespace))],
          kinds: [...new Set(uncovered.map((w) => w.kind))],
          strategy: context.config.defaultStrategy,
          settings: {},
        })
        .catch((error: Error) =>
          context.log.warn('usage scan for safety rules failed', { error: error.message }),
        );
    }
    const rows = new Map<ScanSnapshot, ResourceScan[]>();
    for (const w of workloads) {
      for (const c of w.containers) {
        const hit = context.scans.find(idOf(w, c.container));
        const key = `${w.namespace}/${w.kind}/${w.name}/${c.container}`;
        const usage = hit?.snapshot.observed.get(key);
        if (usage) observed.set(key, usage);
        if (hit) rows.set(hit.snapshot, [...(rows.get(hit.snapshot) ?? []), hit.scan]);
      }
    }
    // The trouble each container is in already becomes a risk reason (and the agent sees it per workload).
    const signals = new Map<string, RiskSignals>();
    for (const [snapshot, scans] of rows) {
      for (const [key, s] of (await signalsForRows(context, kube, snapshot, scans)).signals)
        signals.set(key, s);
    }
    let plan;
    try {
      plan = await buildChangePlan(
        kube,
        { workloads },
        { safety: context.safety, prices: context.prices, observed, signals },
      );
    } catch (error) {
      if (error instanceof ChangeRequestError) throw new ToolError(error.message);
      throw error;
    }
    context.plans.put({ plan, request: { workloads }, observed });
    const view = planView(plan, signals);
    return {
      ...view,
      skipped,
      next_step: view.blocked
        ? 'This plan is blocked and cannot be approved: change the values (see blocks) and preview again.'
        : `Call request_confirmation with plan_id "${plan.id}" so a person can review and approve it.`,
    };
  },
});
