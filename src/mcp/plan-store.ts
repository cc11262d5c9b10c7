import type { ChangePlan } from '../core/changes/plan.js';

/** Plans previewed in this server process, by id, for request_confirmation to pick up. */
export class PlanStore {
  private readonly plans = new Map<string, { plan: ChangePlan; storedAt: number }>();

  constructor(
    private readonly maxPlans = 200,
    private readonly ttlMs = 60 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  put(plan: ChangePlan): void {
    this.plans.delete(plan.id);
    this.plans.set(plan.id, { plan, storedAt: this.now() });
    // Oldest first in insertion order: drop beyond the cap.
    while (this.plans.size > this.maxPlans) this.plans.delete(this.plans.keys().next().value!);
  }

  get(id: string): ChangePlan | undefined {
    const entry = this.plans.get(id);
    if (!entry) return undefined;
    if (this.now() - entry.storedAt > this.ttlMs) {
      this.plans.delete(id);
      return undefined;
    }
    return entry.plan;
  }
}
