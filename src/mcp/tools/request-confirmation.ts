import { z } from 'zod';
import { ConfirmationAnswerSchema } from '../approval-gateway.js';
import { defineTool } from '../tool-definition.js';

export const requestConfirmationTool = defineTool({
  name: 'request_confirmation',
  title: 'Ask a person to approve a change plan',
  description:
    'Step 3 of 4. Shows the plan from preview_changes to a person in VS Code: the authority re-reads the live objects, re-runs the ' +
    'server-side dry-run and displays that diff. If they click Approve, you receive a single-use confirmation_token (valid 5 minutes) ' +
    'for apply_recommendations. Waits up to about two minutes, then answers status "pending": call again with the same plan_id to ' +
    'keep waiting. "rejected" and "expired" are answers, not errors. You cannot approve on the person\'s behalf.',
  inputSchema: z.strictObject({
    plan_id: z.string().min(1).max(100).describe('The plan_id returned by preview_changes'),
    reason: z
      .string()
      .max(2000)
      .optional()
      .describe('Why this change is proposed; shown to the person as text, labelled as yours'),
  }),
  outputSchema: ConfirmationAnswerSchema,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async handler(args, context, call) {
    return context.approval.requestConfirmation(
      { planId: args.plan_id, ...(args.reason ? { reason: args.reason } : {}) },
      call,
    );
  },
});
