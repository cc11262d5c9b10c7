import type { ResourceRecommendation } from '../model.js';

/**
 * What each strategy is given besides the usage history, and what it returns. A module of its own so
 * that the strategies (simple, simple-limit) and the dispatcher over them (strategy.ts) both depend on
 * it, instead of the strategies importing the dispatcher that imports them.
 */

/** The utilization targets of the HPA scaling a workload (null where it does not scale on that resource). */
export interface WorkloadHpaTargets {
  cpu: number | null;
  memory: number | null;
}

export interface StrategyOutput {
  cpu: ResourceRecommendation;
  memory: ResourceRecommendation;
}
