import { z } from 'zod';
import { RollbackAnswerSchema } from '../approval-gateway.js';
import { defineTool } from '../tool-definition.js';

export const rollbackChangesTool = defineTool({
  name: 'rollback_changes',
  title: 'Roll back an applied change',
  description:
    'Restores the exact resources that an apply changed (limits that did not exist are removed again). Without a ' +
    'confirmation_token it builds a rollback plan, checks that nobody changed the objects since (drift blocks the rollback), and ' +
    'asks a person to approve it like any change (answers as request_confirmation does); call again with the token to apply it.',
  inputSchema: z.strictObject({
    rollback_id: z.string().min(1).max(200).describe('The rollback_id returned by apply_recommendations'),
    confirmation_token: z
      .string()
      .min(1)
      .max(4096)
      .optional()
      .describe('The token from approving the rollback plan'),
    context: z
      .string()
      .max(253)
      .optional()
      .describe("kubeconfig context the apply was made in (default: the server's)"),
  }),
  outputSchema: RollbackAnswerSchema,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  async handler(args, context, call) {
    return context.approval.rollback(
      {
        rollbackId: args.rollback_id,
        context: context.kube(args.context).identity.context,
        ...(args.confirmation_token ? { confirmationToken: args.confirmation_token } : {}),
      },
      call,
    );
  },
});
