import { z } from 'zod';
import { planView, PlanViewSchema } from '../plan-view.js';
import { defineTool, ToolError } from '../tool-definition.js';

export const getSafetyReportTool = defineTool({
  name: 'get_safety_report',
  title: "Safety rules and a plan's risks",
  description:
    'Reports the safety rules every plan is checked against (maximum change, critical workload and production namespace ' +
    'patterns; memory below the observed peak, CPU limit below p95 and limit below request are blocked) and, given a plan_id ' +
    "from preview_changes, that plan's risk level, reasons and blocks. Read-only.",
  inputSchema: z.strictObject({ plan_id: z.string().min(1).max(100).optional() }),
  outputSchema: z.object({
    rules: z.object({
      max_change_percent: z.number(),
      critical_workload_patterns: z.array(z.string()),
      production_namespace_patterns: z.array(z.string()),
      blocked_always: z.array(z.string()),
      approval: z.string(),
    }),
    plan: PlanViewSchema.pick({
      plan_id: true,
      risk: true,
      blocked: true,
      blocks: true,
      monthly_cost_delta_usd: true,
    }).nullable(),
  }),
  annotations: { readOnlyHint: true, openWorldHint: false, idempotentHint: true, destructiveHint: false },
  async handler(args, context) {
    let plan = null;
    if (args.plan_id) {
      const found = context.plans.get(args.plan_id);
      if (!found)
        throw new ToolError(
          `Unknown plan_id "${args.plan_id}": preview_changes creates plans (kept for an hour).`,
        );
      const view = planView(found.plan);
      plan = {
        plan_id: view.plan_id,
        risk: view.risk,
        blocked: view.blocked,
        blocks: view.blocks,
        monthly_cost_delta_usd: view.monthly_cost_delta_usd,
      };
    }
    return {
      rules: {
        max_change_percent: context.safety.maxChangePercent,
        critical_workload_patterns: context.safety.criticalWorkloadPatterns,
        production_namespace_patterns: context.safety.productionNamespacePatterns,
        blocked_always: [
          `a value changed by more than ${context.safety.maxChangePercent} %`,
          'a memory request or limit below the observed peak',
          'a CPU limit below the observed p95',
          'a limit below its request',
          'a plan the API server rejects in its dry-run',
        ],
        approval:
          'Every change needs a person to click Approve on its diff in VS Code; HIGH and CRITICAL risk ask again in a modal.',
      },
      plan,
    };
  },
});
