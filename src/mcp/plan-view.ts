import { z } from 'zod';
import { observedKey } from '../core/changes/plan-builder.js';
import type { ChangePlan } from '../core/changes/plan.js';
import {
  riskSignalsView,
  RiskSignalsViewSchema,
  workloadRiskSignals,
} from '../core/evidence/risk-signals.js';
import type { RiskSignals } from '../core/evidence/usage-history-model.js';

// How a ChangePlan is shown to an agent: stable, JSON-friendly, snake_case like the other tools.

const values = z.object({ cpu: z.string().optional(), memory: z.string().optional() });
const risk = z.object({
  level: z.enum(['LOW', 'MEDIUM', 'HIGH', 'CRITICAL']),
  reasons: z.array(z.object({ level: z.string(), text: z.string() })),
});

export const PlanViewSchema = z.object({
  plan_id: z.string(),
  plan_hash: z.string(),
  created_at: z.string(),
  cluster: z.object({ context: z.string(), server: z.string() }),
  risk,
  blocked: z.boolean(),
  blocks: z.array(z.string()),
  monthly_cost_delta_usd: z.number(),
  workloads: z.array(
    z.object({
      kind: z.string(),
      namespace: z.string(),
      name: z.string(),
      uid: z.string(),
      resource_version: z.string(),
      containers: z.array(
        z.object({
          container: z.string(),
          source: z.string(),
          before: z.object({ requests: values, limits: values }),
          after: z.object({ requests: values, limits: values }),
          changes: z.array(
            z.object({ field: z.string(), from: z.string().nullable(), to: z.string().nullable() }),
          ),
          agent_supplied: z.array(z.string()),
        }),
      ),
      dry_run: z.object({ ok: z.boolean(), message: z.string().nullable() }),
      diff: z.string(),
      impact: z.object({
        pods: z.union([z.number(), z.literal('next run')]),
        restart_required: z.boolean(),
        hpa: z.boolean(),
      }),
      managed_by: z
        .object({ tool: z.enum(['Argo CD', 'Flux', 'Helm']), name: z.string() })
        .nullable()
        .describe(
          'Who syncs this object: a live change would be reverted; use plan_manifest_changes instead',
        ),
      risk,
      risk_signals: RiskSignalsViewSchema.nullable().describe(
        "The workload's containers together (reasons name the container); null when they could not be read",
      ),
      blocks: z.array(z.string()),
      monthly_cost_delta_usd: z.number(),
    }),
  ),
});
export type PlanView = z.infer<typeof PlanViewSchema>;

const round = (usd: number) => Math.round(usd * 100) / 100;

/** `signals`: per `namespace/kind/name/container`, as the plan builder took them. */
export function planView(plan: ChangePlan, signals?: ReadonlyMap<string, RiskSignals>): PlanView {
  const signalsOf = (w: ChangePlan['workloads'][number]) => {
    const found = w.containers.flatMap((c): Array<[string, RiskSignals]> => {
      const s = signals?.get(observedKey(w.target.namespace, w.target.kind, w.target.name, c.container));
      return s ? [[c.container, s]] : [];
    });
    return found.length > 0 ? riskSignalsView(workloadRiskSignals(found)) : null;
  };
  return {
    plan_id: plan.id,
    plan_hash: plan.hash,
    created_at: plan.createdAt,
    cluster: { context: plan.cluster.context, server: plan.cluster.server },
    risk: plan.risk,
    blocked: plan.blocks.length > 0,
    blocks: plan.blocks,
    monthly_cost_delta_usd: round(plan.monthlyCostDelta),
    workloads: plan.workloads.map((w) => ({
      kind: w.target.kind,
      namespace: w.target.namespace,
      name: w.target.name,
      uid: w.uid,
      resource_version: w.resourceVersion,
      containers: w.containers.map((c) => ({
        container: c.container,
        source: c.source,
        before: c.before,
        after: c.after,
        changes: c.changes.map((f) => ({
          field: `${f.which}.${f.resource}`,
          from: f.from ?? null,
          to: f.to ?? null,
        })),
        agent_supplied: c.agentSupplied,
      })),
      dry_run:
        w.dryRun.ok === true
          ? { ok: true, message: null }
          : { ok: false, message: 'message' in w.dryRun ? w.dryRun.message : w.dryRun.reason },
      diff: w.diff,
      impact: { pods: w.impact.pods, restart_required: w.impact.restartRequired, hpa: w.impact.hpa !== null },
      managed_by: w.managedBy ?? null,
      risk: w.risk,
      risk_signals: signalsOf(w),
      blocks: w.blocks,
      monthly_cost_delta_usd: round(w.cost.monthlyDelta),
    })),
  };
}
