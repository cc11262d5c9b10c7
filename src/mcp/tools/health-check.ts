import { z } from 'zod';
import { defineTool } from '../tool-definition.js';
import { kubernetesVersion, prometheusVersion } from './get-tool-versions.js';
import { explainError } from '../../core/input/parameters.js';
import { MCP_PARAMETER_NAMES } from '../parameter-names.js';

const check = z.object({ ok: z.boolean(), detail: z.string() });

export const healthCheckTool = defineTool({
  name: 'health_check',
  title: 'Health check',
  description:
    'Checks that the kubeconfig context loads, the Kubernetes API answers, Prometheus answers, and whether an approval surface (VS Code) is connected, without which changes cannot be applied, and lists applies a crash of the approval authority interrupted (roll them back). Read-only.',
  inputSchema: z.strictObject({}),
  outputSchema: z.object({
    healthy: z.boolean(),
    context: check,
    kubernetes: check,
    prometheus: check,
    approval: check,
    incomplete_applies: z.array(
      z.object({
        rollback_id: z.string(),
        started_at: z.string(),
        objects: z.array(z.object({ target: z.string(), state: z.string() })),
        next_step: z.string(),
      }),
    ),
  }),
  annotations: { readOnlyHint: true, openWorldHint: false, idempotentHint: true, destructiveHint: false },
  async handler(_args, context) {
    const run = async (work: () => Promise<string> | string) => {
      try {
        return { ok: true, detail: await work() };
      } catch (e) {
        return { ok: false, detail: explainError(e, MCP_PARAMETER_NAMES) };
      }
    };
    const ctx = await run(() => {
      const { identity } = context.kube();
      return `${identity.context} → ${identity.server}`;
    });
    const [kubernetes, prometheus] = ctx.ok
      ? await Promise.all([
          run(async () => `Kubernetes ${await kubernetesVersion(context)}`),
          run(async () => `Prometheus ${await prometheusVersion(context)}`),
        ])
      : [
          { ok: false, detail: 'skipped: no kubeconfig context' },
          { ok: false, detail: 'skipped: no kubeconfig context' },
        ];
    const approval = context.approval.status();
    const interrupted = approval.ok ? await context.approval.incompleteApplies().catch(() => []) : [];
    const incomplete_applies = interrupted.map((a) => ({
      rollback_id: a.rollbackId,
      started_at: a.startedAt,
      objects: a.objects,
      next_step: `This apply was interrupted: call rollback_changes with rollback_id "${a.rollbackId}" to restore what it changed.`,
    }));
    return {
      healthy: ctx.ok && kubernetes.ok && prometheus.ok,
      context: ctx,
      kubernetes,
      prometheus,
      approval,
      incomplete_applies,
    };
  },
});
