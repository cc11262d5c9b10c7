import type { ChangeRequest } from '../core/changes/change-request.js';
import type { ChangePlan } from '../core/changes/plan.js';
import type { ObservedUsage } from '../core/changes/risk.js';
import { ExpiringCache, PLAN_CACHE } from '../core/expiring-cache.js';

/** A previewed plan with what produced it: the authority rebuilds the plan from the request. */
export interface HeldPlan {
  plan: ChangePlan;
  request: ChangeRequest;
  observed: Map<string, ObservedUsage>;
}

/** Plans previewed in this server process, by id, for request_confirmation to pick up. */
export class PlanStore {
  private readonly plans: ExpiringCache<string, HeldPlan>;

  constructor(
    maxPlans: number = PLAN_CACHE.maxEntries,
    ttlMs: number = PLAN_CACHE.ttlMs,
    now: () => number = Date.now,
  ) {
    this.plans = new ExpiringCache(maxPlans, ttlMs, now);
  }

  put(held: HeldPlan): void {
    this.plans.set(held.plan.id, held);
  }

  get(id: string): HeldPlan | undefined {
    return this.plans.get(id);
  }
}
