import type { ChangeRequest } from '../core/changes/change-request.js';
import type { ChangePlan } from '../core/changes/plan.js';
import type { ObservedUsage } from '../core/changes/risk.js';

/** A previewed plan with what produced it: the authority rebuilds the plan from the request. */
export interface HeldPlan {
  plan: ChangePlan;
  request: ChangeRequest;
  observed: Map<string, ObservedUsage>;
}

/** Plans previewed in this server process, by id, for request_confirmation to pick up. */
export class PlanStore {
  private readonly plans = new Map<string, { held: HeldPlan; storedAt: number }>();

  constructor(
    private readonly maxPlans = 200,
    private readonly ttlMs = 60 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  put(held: HeldPlan): void {
    this.plans.delete(held.plan.id);
    this.plans.set(held.plan.id, { held, storedAt: this.now() });
    // Oldest first in insertion order: drop beyond the cap.
    while (this.plans.size > this.maxPlans) this.plans.delete(this.plans.keys().next().value!);
  }

  get(id: string): HeldPlan | undefined {
    const entry = this.plans.get(id);
    if (!entry) return undefined;
    if (this.now() - entry.storedAt > this.ttlMs) {
      this.plans.delete(id);
      return undefined;
    }
    return entry.held;
  }
}
