import type { AuditLog } from '../audit/audit-log.js';
import type { AuditEntry } from '../audit/record.js';
import type { ChangeRequest } from '../changes/change-request.js';
import { targetLabel } from '../changes/change-request.js';
import type { Prices } from '../changes/cost.js';
import { applyPlan, PlanNotApplicableError, type ApplyEvent } from '../changes/executor.js';
import { withResizeChoice, type ChangePlan } from '../changes/plan.js';
import type { ObservedUsage } from '../changes/risk.js';
import type { SafetyRules } from '../changes/safety-rules.js';
import { incompleteApplies, type SnapshotStore } from '../changes/snapshot-store.js';
import { ExpiringCache, PLAN_CACHE } from '../expiring-cache.js';
import type { PrometheusForCluster } from '../evidence/usage-evidence.js';
import type { KubeTarget } from '../kube/kubeconfig.js';
import type { ApprovalOutcome } from './approval-request.js';
import { applySummary, approvalDetails, confirmationResult, summarize } from './approval-presentation.js';
import {
  applyEventRecord,
  applyOutcomeRecord,
  decisionRecord,
  planDetails,
} from './authority-audit-records.js';
import type { ApprovalAuthority } from './authority.js';
import type { ApplyResultSummary, AuthorityStatus, ConfirmationResult } from './change-protocol.js';
import { BrokerError } from './ipc/errors.js';
import type { HandlerContext } from './ipc/handlers.js';
import { decodeToken } from './token-format.js';
import { boundObjects, rollbackPlanId } from './plan-binding.js';
import { redeemToken, type HeldPlan } from './token-redemption.js';
import { buildAuthorityPlan, plannedRollback } from './authority-plan.js';
import type { VerificationRunner } from './verification-runner.js';

export interface ChangeAuthorityOptions {
  /** The authority's own access to the cluster, by context name (the editor's kubeconfig in VS Code). */
  kube(context: string): KubeTarget;
  approvals: ApprovalAuthority;
  audit: AuditLog;
  snapshots: SnapshotStore;
  safety: SafetyRules;
  prices: Prices;
  /**
   * The person's Prometheus for a cluster: the authority reads the usage every plan is checked against itself.
   * Absent (or failing): the evidence is missing, which every plan says (HIGH risk, or a block by the rules).
   */
  prometheus?: PrometheusForCluster;
  /** How long one confirm call waits for the click before answering "pending". */
  waitMs?: number;
  /**
   * Offer to resize running pods in place where the cluster can (Kubernetes ≥ 1.33), read for each plan (a
   * setting). Only the person chooses it, with its own button; the agent cannot ask for it.
   */
  offerInPlaceResize?: () => boolean;
  /** Verifies every apply that wrote (rollbacks too); the apply answers with the verification's id. */
  verifications?: VerificationRunner;
  /**
   * Told after every apply that wrote to the cluster (rollbacks are applies too), whoever asked for it: the
   * editor refreshes its recommendations. Must not throw.
   */
  onApplied?: (result: ApplyResultSummary) => void;
}

interface ConfirmInput {
  planId: string;
  context: string;
  request: ChangeRequest;
  observed: Array<[string, ObservedUsage]>;
  reason?: string;
  waitSeconds?: number;
}

/** Who calls: a broker connection (an MCP server), or the editor's own commands (no connection). */
type CallContext = Pick<HandlerContext, 'progress' | 'signal'> & { connectionId?: number };

/** Plan ids the authority gives rollbacks; an agent's own plan may not take one. */
const ROLLBACK_PLAN_PREFIX = rollbackPlanId('');

/**
 * The change pipeline's trusted half: builds plans from what the API server says, asks a person, mints
 * and redeems tokens, applies with snapshots, and writes the audit log. The MCP server only forwards.
 */
export class ChangeAuthority {
  // Same bound as the MCP server's plan store: a long-lived editor must not hold every plan ever shown.
  private readonly plans = new ExpiringCache<string, HeldPlan>(PLAN_CACHE.maxEntries, PLAN_CACHE.ttlMs);

  constructor(private readonly options: ChangeAuthorityOptions) {}

  /**
   * An MCP server records its tool calls, nothing else: approvals, applies and rollbacks are written only by
   * this authority, so a client cannot forge them into the chain.
   */
  async recordToolCall(entry: AuditEntry): Promise<void> {
    if (entry.operation !== 'tool_call')
      throw new BrokerError(
        'forbidden',
        `MCP servers may only record tool calls; "${entry.operation}" records are written by the approval authority`,
      );
    await this.record({ ...entry, actor: 'mcp-server' });
  }

  /** Applies a crash interrupted: the person (and the agent) are offered their rollback. */
  async status(): Promise<AuthorityStatus> {
    const interrupted = await incompleteApplies(this.options.snapshots);
    return {
      incompleteApplies: interrupted.map((snapshot) => ({
        rollbackId: snapshot.rollbackId,
        planId: snapshot.planId,
        startedAt: snapshot.createdAt,
        objects: snapshot.objects.map((o) => ({ target: targetLabel(o.target), state: o.state })),
      })),
    };
  }

  async confirm(params: ConfirmInput, ctx: CallContext): Promise<ConfirmationResult> {
    if (params.planId.startsWith(ROLLBACK_PLAN_PREFIX))
      throw new BrokerError(
        'invalid-params',
        `plan_id may not start with "${ROLLBACK_PLAN_PREFIX}": those ids are the rollbacks' own (use rollback_changes)`,
      );
    return this.confirmPlan(params, ctx);
  }

  private async confirmPlan(
    params: ConfirmInput,
    ctx: CallContext,
    rollbackOf?: string,
  ): Promise<ConfirmationResult> {
    const kube = this.kubeFor(params.context);
    ctx.progress('Reading the usage behind this change from Prometheus…');
    const { plan, evidence } = await buildAuthorityPlan(kube, params, {
      ...this.options,
      inPlaceResize: this.options.offerInPlaceResize?.() ?? false,
    });
    await this.record({
      operation: 'plan',
      status: plan.blocks.length > 0 ? 'error' : 'ok',
      details: planDetails(plan, params.reason),
    });
    if (plan.blocks.length > 0) {
      throw new BrokerError('blocked', `The plan cannot be approved: ${plan.blocks.join('; ')}`);
    }
    this.plans.set(plan.id, { plan, kube, ...(rollbackOf ? { rollbackOf } : {}) });
    const resized = withResizeChoice(plan, true);
    const outcome = await this.options.approvals.requestApproval(
      {
        planId: plan.id,
        planHash: plan.hash,
        ...(resized.hash !== plan.hash ? { resizeOption: { planHash: resized.hash } } : {}),
        summary: summarize(plan, params.reason),
        details: {
          ...approvalDetails(plan, params.reason),
          evidence: { source: evidence.source, missing: evidence.missing },
          usage: evidence.histories,
          ...(rollbackOf ? { rollbackOf } : {}),
        },
        cluster: { context: kube.identity.context, server: kube.identity.server },
        objects: boundObjects(plan),
        risk: plan.risk.level,
      },
      {
        ...(params.waitSeconds !== undefined
          ? { waitMs: params.waitSeconds * 1000 }
          : this.options.waitMs !== undefined
            ? { waitMs: this.options.waitMs }
            : {}),
        onProgress: ctx.progress,
        signal: ctx.signal,
        requester: ctx.connectionId === undefined ? 'editor' : `broker-connection-${ctx.connectionId}`,
      },
    );
    // The person chose to resize running pods: the token is bound to that plan, so that is the one applied.
    const chosen = outcome.status === 'approved' && outcome.resizeRunningPods ? resized : plan;
    if (chosen !== plan)
      this.plans.set(plan.id, { plan: chosen, kube, ...(rollbackOf ? { rollbackOf } : {}) });
    return this.answer(chosen, outcome);
  }

  async apply(token: string, dryRun: boolean): Promise<ApplyResultSummary> {
    const { plan, kube, rollbackOf } = await redeemToken(token, dryRun, {
      plans: this.plans,
      approvals: this.options.approvals,
      record: (entry) => this.record(entry),
    });
    if (dryRun) {
      return {
        status: 'dry-run',
        rollbackId: null,
        verificationId: null,
        message: 'The token is valid for this plan and the objects are unchanged; nothing was written.',
        objects: [],
      };
    }
    // The plan stays held: a second use of the same token must be told it was used (not "unknown plan").
    await this.record({
      operation: 'apply_started',
      status: 'pending',
      details: { planId: plan.id, planHash: plan.hash },
    });
    let result;
    try {
      result = await applyPlan(kube, plan, {
        snapshots: this.options.snapshots,
        audit: (event) => this.recordApplyEvent(event),
      });
    } catch (error) {
      await this.record({
        operation: 'apply_failed',
        status: 'error',
        details: { planId: plan.id, message: (error as Error).message },
      });
      if (error instanceof PlanNotApplicableError) throw new BrokerError('not-applicable', error.message);
      throw error;
    }
    await this.record(applyOutcomeRecord(plan, result));
    // What is still changed (applied, not restored) is watched: the rollout, the new pods, the metrics.
    const verificationId = this.options.verifications?.start({
      rollbackId: result.rollbackId,
      planId: plan.id,
      context: kube.identity.context,
      rollback: rollbackOf !== undefined,
      targets: result.objects.filter((o) => o.state === 'applied').map((o) => o.target),
    });
    const summary = applySummary(result, verificationId);
    this.options.onApplied?.(summary);
    return summary;
  }

  async rollback(
    params: { rollbackId: string; context: string; token?: string },
    ctx: CallContext,
  ): Promise<ConfirmationResult | ApplyResultSummary> {
    if (params.token) {
      // A token redeems only the plan it was minted for: here, the rollback of this rollback_id.
      const planId = decodeToken(params.token)?.planId;
      if (planId !== rollbackPlanId(params.rollbackId)) {
        await this.record({
          operation: 'token_redeemed',
          status: 'error',
          details: {
            reason: 'not-this-rollback',
            rollbackId: params.rollbackId,
            ...(planId ? { planId } : {}),
          },
        });
        throw new BrokerError(
          'not-this-rollback',
          `This token was not approved for the rollback of "${params.rollbackId}": call rollback_changes without a token to request that approval.`,
        );
      }
      return this.apply(params.token, false);
    }
    const kube = this.kubeFor(params.context);
    const rollback = await plannedRollback(this.options.snapshots, kube, params.rollbackId);
    await this.record({
      operation: 'rollback_planned',
      status: rollback.blocks.length > 0 ? 'error' : 'ok',
      details: { rollbackId: params.rollbackId, drift: rollback.drift, blocks: rollback.blocks },
    });
    if (rollback.blocks.length > 0 || !rollback.request) {
      throw new BrokerError(
        'blocked',
        `The rollback cannot go ahead: ${[...rollback.blocks, ...(rollback.request ? [] : ['nothing left to restore'])].join('; ')}`,
      );
    }
    return this.confirmPlan(
      {
        planId: rollbackPlanId(params.rollbackId),
        context: params.context,
        request: rollback.request,
        observed: [],
      },
      ctx,
      params.rollbackId,
    );
  }

  private async answer(plan: ChangePlan, outcome: ApprovalOutcome): Promise<ConfirmationResult> {
    const result = confirmationResult(plan, outcome);
    await this.record(decisionRecord(plan, result));
    return result;
  }

  private kubeFor(context: string): KubeTarget {
    try {
      return this.options.kube(context);
    } catch (error) {
      throw new BrokerError('unknown-context', (error as Error).message);
    }
  }

  private recordApplyEvent(event: ApplyEvent): Promise<void> {
    return this.record(applyEventRecord(event));
  }

  private async record(entry: AuditEntry): Promise<void> {
    await this.options.audit.append(entry);
  }
}
