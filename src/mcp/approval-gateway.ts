import { z } from 'zod';
import {
  ApplyResultSummarySchema,
  ConfirmationResultSchema,
  type ApplyResultSummary,
  type AuthorityStatus,
  type ConfirmationResult,
} from '../core/approval/change-protocol.js';
import { ToolError, type ToolCall } from './tool-call.js';

// The tools answer the authority's results with snake_case names. The names are mapped here, and the
// answer schemas derived from the protocol's, so a field exists in one place (change-protocol.ts).

/** Every field of a confirmation result as request_confirmation names it. */
const CONFIRMATION_FIELDS = {
  planId: 'plan_id',
  status: 'status',
  token: 'confirmation_token',
  expiresAt: 'expires_at',
  message: 'message',
} as const satisfies Record<keyof ConfirmationResult, string>;

/** Every field of an apply result as apply_recommendations names it. */
const APPLY_FIELDS = {
  status: 'status',
  rollbackId: 'rollback_id',
  verificationId: 'verification_id',
  message: 'message',
  objects: 'objects',
  resizedPods: 'resized_pods',
} as const satisfies Record<keyof ApplyResultSummary, string>;

type Renamed<T, Names extends Record<keyof T, string>> = { [K in keyof T as Names[K]]: T[K] };

/** `value` with each key renamed as `names` says, in the order of `names`; used on shapes and answers alike. */
function renameKeys<T extends object, Names extends Record<keyof T, string>>(
  value: T,
  names: Names,
): Renamed<T, Names> {
  const entries = Object.entries(names).map(([from, to]) => [to, value[from as keyof T]]);
  return Object.fromEntries(entries) as Renamed<T, Names>;
}

export const ConfirmationAnswerSchema = z.object(
  renameKeys(ConfirmationResultSchema.shape, CONFIRMATION_FIELDS),
);
export type ConfirmationAnswer = z.infer<typeof ConfirmationAnswerSchema>;

export const ApplyAnswerSchema = z.object(renameKeys(ApplyResultSummarySchema.shape, APPLY_FIELDS));
export type ApplyAnswer = z.infer<typeof ApplyAnswerSchema>;

const SHARED_FIELDS = { status: true, message: true } as const;

/**
 * rollback_changes answers either as request_confirmation (a rollback plan to approve) or as
 * apply_recommendations (with a token): one object with both statuses and every other field optional.
 */
export const RollbackAnswerSchema = z.object({
  status: z.enum([
    ...ConfirmationAnswerSchema.shape.status.options,
    ...ApplyAnswerSchema.shape.status.options,
  ]),
  message: z.string(),
  ...ConfirmationAnswerSchema.omit(SHARED_FIELDS).partial().shape,
  ...ApplyAnswerSchema.omit(SHARED_FIELDS).partial().shape,
  // Published as nullable since the first version; it is never null, but the schema stays as clients know it.
  plan_id: ConfirmationAnswerSchema.shape.plan_id.nullable().optional(),
});

export function toConfirmationAnswer(result: ConfirmationResult): ConfirmationAnswer {
  return renameKeys(result, CONFIRMATION_FIELDS);
}

export function toApplyAnswer(result: ApplyResultSummary): ApplyAnswer {
  const answer = renameKeys(result, APPLY_FIELDS);
  // An absent optional field stays absent (not a key holding undefined).
  if (answer.resized_pods === undefined) delete answer.resized_pods;
  return answer;
}

/**
 * The way to a person's approval. The MCP server never decides approvals itself: it forwards the
 * mutating tools to the authority hosted by the VS Code extension, which holds the token key, shows
 * the diff, performs the writes and keeps the audit log. Without one, mutating tools refuse.
 */
export interface ApprovalGateway {
  status(): { ok: boolean; detail: string };
  requestConfirmation(
    request: { planId: string; reason?: string },
    call: ToolCall,
  ): Promise<ConfirmationAnswer>;
  apply(request: { confirmationToken: string; dryRun: boolean }, call: ToolCall): Promise<ApplyAnswer>;
  rollback(
    request: { rollbackId: string; confirmationToken?: string; context: string },
    call: ToolCall,
  ): Promise<ConfirmationAnswer | ApplyAnswer>;
  /** Applies the authority found interrupted (it crashed mid-apply); empty without an authority. */
  incompleteApplies(): Promise<AuthorityStatus['incompleteApplies']>;
  /** Records a tool call in the audit log (only the authority writes it). */
  audit(entry: {
    operation: 'tool_call';
    status: 'ok' | 'error';
    details: Record<string, unknown>;
  }): Promise<void>;
}

export const NO_APPROVAL_SURFACE =
  'No approval surface is connected, so nothing can be confirmed, applied or rolled back: every change needs a person to click ' +
  'Approve on its diff in VS Code. Use the MCP server that the krr-mcp VS Code extension provides (Copilot agent mode finds it ' +
  'automatically), or keep VS Code open with the extension so that `krr-mcp serve` started elsewhere finds its approval broker. ' +
  'scan_recommendations, preview_changes and the reports work without it.';

/** The gateway when the server runs on its own (no extension broker found): every mutating call refuses. */
export class StandaloneGateway implements ApprovalGateway {
  status() {
    return {
      ok: false,
      detail: 'no approval surface connected (standalone server): changes cannot be applied',
    };
  }

  async requestConfirmation(): Promise<never> {
    throw new ToolError(NO_APPROVAL_SURFACE);
  }

  async apply(): Promise<never> {
    throw new ToolError(NO_APPROVAL_SURFACE);
  }

  async rollback(): Promise<never> {
    throw new ToolError(NO_APPROVAL_SURFACE);
  }

  /** Nothing is written without an authority, and the log has a single writer: the authority. */
  async audit(): Promise<void> {}

  async incompleteApplies(): Promise<AuthorityStatus['incompleteApplies']> {
    return [];
  }
}
