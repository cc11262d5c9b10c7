import type { AuthorityStatus } from '../core/approval/change-protocol.js';
import type { ToolCall } from './tool-definition.js';
import { ToolError } from './tool-definition.js';

export interface ConfirmationAnswer {
  plan_id: string;
  status: 'approved' | 'pending' | 'rejected' | 'expired';
  confirmation_token: string | null;
  expires_at: string | null;
  message: string;
}

export interface ApplyAnswer {
  status: 'applied' | 'dry-run' | 'failed-restored' | 'failed-partially-restored';
  rollback_id: string | null;
  message: string;
  objects: Array<{ namespace: string; kind: string; name: string; status: string; message: string }>;
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
