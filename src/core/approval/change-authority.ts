import type { AuditLog } from '../audit/audit-log.js';
import type { AuditEntry } from '../audit/record.js';
import type { ChangeRequest } from '../changes/change-request.js';
import { targetLabel } from '../changes/change-request.js';
import type { Prices } from '../changes/cost.js';
import { applyPlan, PlanNotApplicableError, type ApplyEvent } from '../changes/executor.js';
import type { ChangePlan } from '../changes/plan.js';
import { buildChangePlan } from '../changes/plan-builder.js';
import type { ObservedUsage } from '../changes/risk.js';
import { buildRollbackRequest, readLiveVersions } from '../changes/rollback.js';
import type { SafetyRules } from '../changes/safety-rules.js';
import { incompleteApplies, SnapshotStoreError, type SnapshotStore } from '../changes/snapshot-store.js';
import { WorkloadApi } from '../changes/workload-api.js';
import { metadataOf } from '../changes/workload-object.js';
import type { KubeTarget } from '../kube/kubeconfig.js';
import type { ApprovalDetails, ApprovalOutcome } from './approval-request.js';
import { quantityValue } from '../changes/quantity-format.js';
import type { ApprovalAuthority } from './authority.js';
import {
  ApplyParamsSchema,
  AuditParamsSchema,
  ConfirmParamsSchema,
  RollbackParamsSchema,
  StatusParamsSchema,
  type ApplyResultSummary,
  type AuthorityStatus,
  type ConfirmationResult,
} from './change-protocol.js';
import type { ApprovalBroker } from './ipc/broker.js';
import { BrokerError } from './ipc/errors.js';
import type { HandlerContext } from './ipc/handlers.js';
import type { TokenBinding } from './token-binding.js';
import { decodeToken } from './token-format.js';

export interface ChangeAuthorityOptions {
  /** The authority's own access to the cluster, by context name (the editor's kubeconfig in VS Code). */
  kube(context: string): KubeTarget;
  approvals: ApprovalAuthority;
  audit: AuditLog;
  snapshots: SnapshotStore;
  safety: SafetyRules;
  prices: Prices;
  /** How long one confirm call waits for the click before answering "pending". */
  waitMs?: number;
  /**
   * Told after every apply that wrote to the cluster (rollbacks are applies too), whoever asked for it: the
   * editor refreshes its recommendations. Must not throw.
   */
  onApplied?: (result: ApplyResultSummary) => void;
}

interface HeldPlan {
  plan: ChangePlan;
  kube: KubeTarget;
}

/**
 * The change pipeline's trusted half: builds plans from what the API server says, asks a person, mints
 * and redeems tokens, applies with snapshots, and writes the audit log. The MCP server only forwards.
 */
export class ChangeAuthority {
  private readonly plans = new Map<string, HeldPlan>();

  constructor(private readonly options: ChangeAuthorityOptions) {}

  /** Registers the pipeline's methods on the broker the MCP servers connect to. */
  register(broker: ApprovalBroker): void {
    broker.handle('confirm', ConfirmParamsSchema, (params, ctx) =>
      this.guard(() => this.confirm(params, ctx)),
    );
    broker.handle('apply', ApplyParamsSchema, (params) =>
      this.guard(() => this.apply(params.token, params.dryRun)),
    );
    broker.handle('rollback', RollbackParamsSchema, (params, ctx) =>
      this.guard(() => this.rollback(params, ctx)),
    );
    broker.handle('status', StatusParamsSchema, () => this.guard(() => this.status()));
    broker.handle('audit', AuditParamsSchema, async (params) => {
      await this.record({ ...params, actor: 'mcp-server' });
      return { ok: true };
    });
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

  async confirm(
    params: {
      planId: string;
      context: string;
      request: ChangeRequest;
      observed: Array<[string, ObservedUsage]>;
      reason?: string;
      waitSeconds?: number;
    },
    ctx: Pick<HandlerContext, 'progress' | 'signal'>,
  ): Promise<ConfirmationResult> {
    const kube = this.kubeFor(params.context);
    // Built here from a fresh read and a fresh dry-run: what the person sees is what the API server said.
    const built = await buildChangePlan(kube, params.request, {
      safety: this.options.safety,
      prices: this.options.prices,
      observed: new Map(params.observed),
    });
    const plan: ChangePlan = { ...built, id: params.planId };
    await this.record({
      operation: 'plan',
      status: plan.blocks.length > 0 ? 'error' : 'ok',
      details: planDetails(plan, params.reason),
    });
    if (plan.blocks.length > 0) {
      throw new BrokerError('blocked', `The plan cannot be approved: ${plan.blocks.join('; ')}`);
    }
    this.plans.set(plan.id, { plan, kube });
    const outcome = await this.options.approvals.requestApproval(
      {
        planId: plan.id,
        planHash: plan.hash,
        summary: summarize(plan, params.reason),
        details: approvalDetails(plan, params.reason),
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
      },
    );
    return this.answer(plan, outcome);
  }

  async apply(token: string, dryRun: boolean): Promise<ApplyResultSummary> {
    const fields = decodeToken(token);
    const held = fields ? this.plans.get(fields.planId) : undefined;
    if (!fields || !held) {
      await this.record({
        operation: 'token_redeemed',
        status: 'error',
        details: { reason: fields ? 'unknown-plan' : 'malformed' },
      });
      throw new BrokerError(
        fields ? 'unknown-plan' : 'malformed',
        fields
          ? 'This token is for a plan the approval authority does not hold (it may have restarted): call request_confirmation again.'
          : 'This is not a confirmation token: call request_confirmation and use the token it returns after a person approves.',
      );
    }
    const { plan, kube } = held;
    // The binding as the cluster is now: a changed object no longer matches what the person approved.
    const expected: TokenBinding = {
      planId: plan.id,
      planHash: plan.hash,
      server: kube.identity.server,
      context: kube.identity.context,
      objects: await liveObjects(kube, plan),
    };
    const verdict = dryRun
      ? this.options.approvals.checkToken(token, expected)
      : this.options.approvals.redeem(token, expected);
    await this.record({
      operation: 'token_redeemed',
      status: verdict.ok ? 'ok' : 'error',
      details: {
        planId: plan.id,
        planHash: plan.hash,
        dryRun,
        ...(verdict.ok ? {} : { reason: verdict.reason }),
      },
    });
    if (!verdict.ok) throw new BrokerError(verdict.reason, verdict.message);
    if (dryRun) {
      return {
        status: 'dry-run',
        rollbackId: null,
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
    const ok = result.status === 'applied';
    await this.record({
      operation: ok ? 'apply_completed' : 'apply_failed',
      status: ok ? 'ok' : result.status === 'failed-restored' ? 'error' : 'partial',
      details: { planId: plan.id, rollbackId: result.rollbackId, status: result.status },
    });
    const summary: ApplyResultSummary = {
      status:
        result.status === 'applied'
          ? 'applied'
          : result.status === 'failed-restored'
            ? 'failed-restored'
            : 'failed-partially-restored',
      rollbackId: result.rollbackId,
      message: ok
        ? `Applied to ${result.objects.length} object(s). Undo with rollback_changes and rollback_id "${result.rollbackId}".`
        : 'The apply failed; the objects already changed were restored (see each object). Nothing else was written.',
      objects: result.objects.map((o) => ({
        namespace: o.target.namespace,
        kind: o.target.kind,
        name: o.target.name,
        status: o.state,
        message: o.error ?? o.restoreError ?? '',
      })),
    };
    this.options.onApplied?.(summary);
    return summary;
  }

  async rollback(
    params: { rollbackId: string; context: string; token?: string },
    ctx: Pick<HandlerContext, 'progress' | 'signal'>,
  ): Promise<ConfirmationResult | ApplyResultSummary> {
    if (params.token) return this.apply(params.token, false);
    const kube = this.kubeFor(params.context);
    let snapshot;
    try {
      snapshot = await this.options.snapshots.load(params.rollbackId);
    } catch (error) {
      if (error instanceof SnapshotStoreError)
        throw new BrokerError(
          'unknown-rollback',
          `Unknown rollback_id "${params.rollbackId}": ${error.message}`,
        );
      throw error;
    }
    const rollback = buildRollbackRequest(snapshot, await readLiveVersions(kube, snapshot));
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
    return this.confirm(
      {
        planId: `rollback-${params.rollbackId}`,
        context: params.context,
        request: rollback.request,
        observed: [],
      },
      ctx,
    );
  }

  private answer(plan: ChangePlan, outcome: ApprovalOutcome): Promise<ConfirmationResult> {
    const result = ((): ConfirmationResult => {
      switch (outcome.status) {
        case 'approved':
          return {
            planId: plan.id,
            status: 'approved',
            token: outcome.token,
            expiresAt: outcome.tokenExpiresAt,
            message: `Approved. Call apply_recommendations with this confirmation_token before ${outcome.tokenExpiresAt}; it works once.`,
          };
        case 'pending':
          return {
            planId: plan.id,
            status: 'pending',
            token: null,
            expiresAt: outcome.expiresAt,
            message: `Waiting for a person to approve in VS Code. Call request_confirmation again with plan_id "${plan.id}" to keep waiting.`,
          };
        case 'rejected':
          return {
            planId: plan.id,
            status: 'rejected',
            token: null,
            expiresAt: null,
            message: 'A person rejected this plan. Do not apply it; propose something else if appropriate.',
          };
        case 'expired':
          return {
            planId: plan.id,
            status: 'expired',
            token: null,
            expiresAt: null,
            message: 'Nobody decided in time. Call request_confirmation again if the change is still wanted.',
          };
        case 'cancelled':
          return {
            planId: plan.id,
            status: 'expired',
            token: null,
            expiresAt: null,
            message: `The request was withdrawn (${outcome.reason}). Call request_confirmation again.`,
          };
      }
    })();
    const operation =
      result.status === 'approved'
        ? 'approved'
        : result.status === 'rejected'
          ? 'rejected'
          : result.status === 'expired'
            ? 'expired'
            : 'approval_requested';
    return this.record({
      operation,
      status: result.status === 'approved' ? 'ok' : result.status,
      details: {
        planId: plan.id,
        planHash: plan.hash,
        ...(result.expiresAt ? { expiresAt: result.expiresAt } : {}),
      },
    }).then(() => result);
  }

  private kubeFor(context: string): KubeTarget {
    try {
      return this.options.kube(context);
    } catch (error) {
      throw new BrokerError('unknown-context', (error as Error).message);
    }
  }

  private recordApplyEvent(event: ApplyEvent): Promise<void> {
    const operation =
      event.type === 'snapshot-written'
        ? 'snapshot'
        : event.type.startsWith('object-restore')
          ? 'restore'
          : event.type === 'apply-finished'
            ? 'apply_completed'
            : 'patch';
    const failed = event.type === 'object-failed' || event.type === 'object-restore-failed';
    return this.record({
      operation,
      status: failed ? 'error' : 'ok',
      ...(event.target ? { namespace: event.target.namespace } : {}),
      details: {
        event: event.type,
        planId: event.planId,
        rollbackId: event.rollbackId,
        ...(event.target ? { target: targetLabel(event.target) } : {}),
        ...(event.resourceVersion ? { resourceVersion: event.resourceVersion } : {}),
        ...(event.message ? { message: event.message } : {}),
      },
    });
  }

  private async record(entry: AuditEntry): Promise<void> {
    await this.options.audit.append(entry);
  }

  /** BrokerErrors carry their own message; anything unexpected becomes a clear, generic failure. */
  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof BrokerError) throw error;
      const message = (error as Error)?.message ?? String(error);
      throw new BrokerError('failed', message);
    }
  }
}

function boundObjects(plan: ChangePlan): TokenBinding['objects'] {
  return plan.workloads.map((w) => ({ ...w.target, uid: w.uid, resourceVersion: w.resourceVersion }));
}

async function liveObjects(kube: KubeTarget, plan: ChangePlan): Promise<TokenBinding['objects']> {
  const api = new WorkloadApi(kube);
  return Promise.all(
    plan.workloads.map(async (w) => {
      const meta = metadataOf(await api.read(w.target).catch(() => ({})));
      return { ...w.target, uid: meta.uid, resourceVersion: meta.resourceVersion };
    }),
  );
}

function planDetails(plan: ChangePlan, reason: string | undefined): Record<string, unknown> {
  return {
    planId: plan.id,
    planHash: plan.hash,
    context: plan.cluster.context,
    server: plan.cluster.server,
    risk: plan.risk.level,
    blocks: plan.blocks,
    workloads: plan.workloads.map((w) => ({
      target: targetLabel(w.target),
      resourceVersion: w.resourceVersion,
      changes: w.containers.map((c) => ({ container: c.container, source: c.source, changes: c.changes })),
    })),
    ...(reason ? { agentReason: reason } : {}),
  };
}

function percentChange(from: string | undefined, to: string | undefined): number | null {
  const before = quantityValue(from);
  const after = quantityValue(to);
  if (before === undefined || after === undefined || before === 0) return null;
  return Math.round(((after - before) / before) * 1000) / 10;
}

function approvalDetails(plan: ChangePlan, reason: string | undefined): ApprovalDetails {
  return {
    workloads: plan.workloads.map((w) => ({
      ...w.target,
      containers: w.containers.map((c) => ({
        container: c.container,
        source: c.source,
        changes: c.changes.map((f) => ({
          field: `${f.which}.${f.resource}`,
          from: f.from ?? null,
          to: f.to ?? null,
          percent: percentChange(f.from, f.to),
          agentSupplied: c.agentSupplied.includes(`${f.which}.${f.resource}`),
        })),
      })),
      diff: w.diff,
      impact: { pods: w.impact.pods, restartRequired: w.impact.restartRequired, hpa: w.impact.hpa !== null },
      risk: { level: w.risk.level, reasons: w.risk.reasons.map((r) => r.text) },
    })),
    risk: { level: plan.risk.level, reasons: plan.risk.reasons.map((r) => r.text) },
    monthlyCostDelta: Math.round(plan.monthlyCostDelta * 100) / 100,
    ...(reason ? { agentReason: reason } : {}),
  };
}

/** Plain text for the decision surface; every name in it is data, shown as text. */
function summarize(plan: ChangePlan, reason: string | undefined): string {
  const lines = plan.workloads.flatMap((w) =>
    w.containers.flatMap((c) =>
      c.changes.map(
        (f) =>
          `${targetLabel(w.target)} ${c.container} ${f.which}.${f.resource}: ${f.from ?? 'unset'} → ${f.to ?? 'unset'}${c.agentSupplied.includes(`${f.which}.${f.resource}`) ? ' (agent-supplied)' : ''}`,
      ),
    ),
  );
  return [
    `Change ${plan.workloads.length} workload(s) on ${plan.cluster.context} (${plan.cluster.server}), risk ${plan.risk.level}:`,
    ...lines,
    ...(reason ? [`Agent's reason: ${reason}`] : []),
  ].join('\n');
}
