import { z } from 'zod';
import { ApplyAnswerSchema } from '../approval-gateway.js';
import { defineTool } from '../tool-definition.js';

export const applyRecommendationsTool = defineTool({
  name: 'apply_recommendations',
  title: 'Apply an approved change plan',
  description:
    'Step 4 of 4. Applies exactly the plan a person approved, given the confirmation_token from request_confirmation. The token ' +
    'works once, only for that plan, that cluster and those object versions, and only before it expires. A snapshot is written ' +
    'first; each object is patched with a resourceVersion precondition; if any object fails, the ones already changed are ' +
    'restored. Returns a rollback_id for rollback_changes. dry_run=true checks the token and the server-side dry-run without ' +
    'writing (and does not use up the token).',
  inputSchema: z.strictObject({
    confirmation_token: z
      .string()
      .min(1)
      .max(4096)
      .describe('The token from request_confirmation (after a person approved)'),
    dry_run: z.boolean().default(false),
  }),
  outputSchema: ApplyAnswerSchema,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  async handler(args, context, call) {
    return context.approval.apply({ confirmationToken: args.confirmation_token, dryRun: args.dry_run }, call);
  },
});
