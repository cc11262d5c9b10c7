import type {
  ApplyResultSummary,
  AuthorityStatus,
  ConfirmationResult,
} from '../core/approval/change-protocol.js';
import type { BrokerClient } from '../core/approval/ipc/client.js';
import { BrokerCallError } from '../core/approval/ipc/errors.js';
import {
  toApplyAnswer,
  toConfirmationAnswer,
  type ApplyAnswer,
  type ApprovalGateway,
  type ConfirmationAnswer,
} from './approval-gateway.js';
import type { PlanStore } from './plan-store.js';
import { ToolError, type ToolCall } from './tool-definition.js';

/** Margin over the authority's own wait, so its "pending" answer arrives before our timeout. */
const CALL_MARGIN_MS = 20_000;

/** The gateway to the authority in VS Code (or a headless one): every mutating call is forwarded. */
export class BrokerGateway implements ApprovalGateway {
  constructor(
    private readonly client: BrokerClient,
    private readonly plans: PlanStore,
    private readonly waitMs: number,
    private readonly where: string,
  ) {}

  status() {
    return { ok: true, detail: `approval surface connected (${this.where})` };
  }

  async requestConfirmation(
    request: { planId: string; reason?: string },
    call: ToolCall,
  ): Promise<ConfirmationAnswer> {
    const held = this.plans.get(request.planId);
    if (!held)
      throw new ToolError(
        `Unknown plan_id "${request.planId}": call preview_changes first (plans are kept for an hour).`,
      );
    const result = await this.call<ConfirmationResult>(
      'confirm',
      {
        planId: held.plan.id,
        context: held.plan.cluster.context,
        request: held.request,
        observed: [...held.observed],
        ...(request.reason ? { reason: request.reason } : {}),
        waitSeconds: Math.round(this.waitMs / 1000),
      },
      call,
    );
    return toConfirmationAnswer(result);
  }

  async apply(request: { confirmationToken: string; dryRun: boolean }, call: ToolCall): Promise<ApplyAnswer> {
    return toApplyAnswer(
      await this.call<ApplyResultSummary>(
        'apply',
        { token: request.confirmationToken, dryRun: request.dryRun },
        call,
      ),
    );
  }

  async rollback(
    request: { rollbackId: string; confirmationToken?: string; context: string },
    call: ToolCall,
  ): Promise<ConfirmationAnswer | ApplyAnswer> {
    const result = await this.call<ConfirmationResult | ApplyResultSummary>(
      'rollback',
      {
        rollbackId: request.rollbackId,
        context: request.context,
        ...(request.confirmationToken ? { token: request.confirmationToken } : {}),
      },
      call,
    );
    return 'planId' in result ? toConfirmationAnswer(result) : toApplyAnswer(result);
  }

  async incompleteApplies(): Promise<AuthorityStatus['incompleteApplies']> {
    const status = await this.client.call<AuthorityStatus>('status', {}, { timeoutMs: 10_000 });
    return status.incompleteApplies;
  }

  /** Records a tool call in the authority's audit log; failures are the authority's to report. */
  async audit(entry: {
    operation: 'tool_call';
    status: 'ok' | 'error';
    details: Record<string, unknown>;
  }): Promise<void> {
    await this.client.call('audit', entry, { timeoutMs: 10_000 }).catch(() => {});
  }

  private async call<T>(method: string, params: unknown, call: ToolCall): Promise<T> {
    try {
      return await this.client.call<T>(method, params, {
        timeoutMs: this.waitMs + CALL_MARGIN_MS,
        onProgress: (message) => void call.progress(message),
      });
    } catch (error) {
      // The authority's messages are written for the agent; anything else is a transport failure.
      if (error instanceof BrokerCallError) throw new ToolError(error.message);
      throw error;
    }
  }
}
