// Redeeming a confirmation token for the plan it was minted for: the plan must be one this authority holds,
// and the token must match it, its cluster and the objects as they are now. Every attempt is recorded.

import type { AuditEntry } from '../audit/record.js';
import type { ChangePlan } from '../changes/plan.js';
import type { ExpiringCache } from '../expiring-cache.js';
import type { KubeTarget } from '../kube/kubeconfig.js';
import type { ApprovalAuthority } from './authority.js';
import { BrokerError } from './ipc/errors.js';
import { liveObjects } from './plan-binding.js';
import type { TokenBinding } from './token-binding.js';
import { decodeToken } from './token-format.js';

/** A plan the authority built and showed a person, kept until its approval is used or forgotten. */
export interface HeldPlan {
  plan: ChangePlan;
  kube: KubeTarget;
  /** Set for the plan of a rollback: the rollback id it undoes. */
  rollbackOf?: string;
}

export interface RedemptionDeps {
  plans: ExpiringCache<string, HeldPlan>;
  approvals: ApprovalAuthority;
  record(entry: AuditEntry): Promise<void>;
}

/** The held plan the token approves; a dry run checks without using the token up. Throws BrokerErrors. */
export async function redeemToken(token: string, dryRun: boolean, deps: RedemptionDeps): Promise<HeldPlan> {
  const fields = decodeToken(token);
  const held = fields ? deps.plans.get(fields.planId) : undefined;
  if (!fields || !held) {
    await deps.record({
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
    ? deps.approvals.checkToken(token, expected)
    : deps.approvals.redeem(token, expected);
  await deps.record({
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
  return held;
}
