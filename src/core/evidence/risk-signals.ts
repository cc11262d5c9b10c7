// Whether a container is already in trouble, whatever its recommendation says: OOM kills, CPU throttling,
// restarts, an autoscaler with no room left. Pure: the loader (usage-history.ts) gathers the facts, this
// file decides and words them, so that the tree, the plan, the table and the agents say the same thing.

import { z } from 'zod';
import { THROTTLING_THRESHOLD, type RiskSignals } from './usage-history-model.js';

/**
 * From this many restarts in the window a container counts as restarting. One or two in two weeks are
 * what a node upgrade, a one-off crash or a failed probe during a deploy leave behind; three or more is a
 * pattern (a crash loop, a probe that fails under load) worth a look before its resources change.
 */
export const RESTART_THRESHOLD = 3;

/** What the loader read for one container over the window. */
export interface SignalFacts {
  /** Unix seconds of each OOM kill in the window. */
  oomKills: readonly number[];
  /** Highest share of CFS periods throttled (0–1); null when cAdvisor does not expose throttling. */
  throttledMax: number | null;
  /** Restarts in the window; null when kube-state-metrics has no restart counter for it. */
  restarts: number | null;
  /** The workload's HPA reached its maximum replicas in the window. */
  hpaAtMax: boolean;
  /** The HPA's name, for the sentence (its target is the workload). */
  hpaName?: string;
  /** The window's length, for the sentences ("in the last 14 days"). */
  historyHours: number;
}

/** "14 days", "day", "6 hours", "hour", "1.5 hours": what follows "in the last". */
export function windowPhrase(historyHours: number): string {
  const amount = (n: number, unit: string) => (n === 1 ? unit : `${n} ${unit}s`);
  if (historyHours >= 24 && historyHours % 24 === 0) return amount(historyHours / 24, 'day');
  return amount(Math.round(historyHours * 10) / 10, 'hour');
}

function minuteUtc(seconds: number): string {
  return `${new Date(seconds * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** How the HPA sentence starts: a workload's containers share it, and the workload says it once. */
const HPA_REASON_START = 'its HorizontalPodAutoscaler';

const times = (n: number) => (n === 1 ? 'once' : `${n} times`);

export function riskSignals(facts: SignalFacts): RiskSignals {
  const window = `in the last ${windowPhrase(facts.historyHours)}`;
  const reasons: string[] = [];
  const oomKilled = facts.oomKills.length > 0;
  if (oomKilled) {
    const last = Math.max(...facts.oomKills);
    reasons.push(`OOM-killed ${times(facts.oomKills.length)} ${window} (last seen at ${minuteUtc(last)})`);
  }
  const throttled = facts.throttledMax !== null && facts.throttledMax > THROTTLING_THRESHOLD;
  if (throttled) {
    reasons.push(
      `CPU throttled in up to ${Math.round(facts.throttledMax! * 100)}% of its CFS periods ${window} (above ${Math.round(THROTTLING_THRESHOLD * 100)}%)`,
    );
  }
  const restarts = facts.restarts ?? 0;
  const restarting = restarts >= RESTART_THRESHOLD;
  if (restarting) reasons.push(`restarted ${times(restarts)} ${window}`);
  if (facts.hpaAtMax) {
    const hpa = facts.hpaName ? `${HPA_REASON_START} ${facts.hpaName}` : HPA_REASON_START;
    reasons.push(`${hpa} sat at its maximum replicas ${window}: it could not scale out further`);
  }
  return {
    atRisk: oomKilled || throttled || restarting || facts.hpaAtMax,
    oomKilled,
    throttledMax: facts.throttledMax,
    restarts,
    hpaAtMax: facts.hpaAtMax,
    reasons,
  };
}

/** A workload's signals from its containers': any container at risk puts it at risk; reasons name the container. */
export function workloadRiskSignals(containers: ReadonlyArray<[string, RiskSignals]>): RiskSignals {
  const throttled = containers.map(([, s]) => s.throttledMax).filter((t): t is number => t !== null);
  const hpaReason = containers.flatMap(([, s]) => s.reasons.filter(isHpaReason)).slice(0, 1);
  return {
    atRisk: containers.some(([, s]) => s.atRisk),
    oomKilled: containers.some(([, s]) => s.oomKilled),
    throttledMax: throttled.length > 0 ? Math.max(...throttled) : null,
    restarts: containers.reduce((sum, [, s]) => sum + s.restarts, 0),
    hpaAtMax: containers.some(([, s]) => s.hpaAtMax),
    // The HPA is the workload's: said once, not once per container.
    reasons: [
      ...containers.flatMap(([name, s]) =>
        s.reasons.filter((r) => !isHpaReason(r)).map((r) => `${name}: ${r}`),
      ),
      ...hpaReason,
    ],
  };
}

function isHpaReason(reason: string): boolean {
  return reason.startsWith(HPA_REASON_START);
}

/** The signals as agents and krr-style JSON read them (snake_case): one schema for every output. */
export const RiskSignalsViewSchema = z
  .object({
    at_risk: z.boolean(),
    reasons: z.array(z.string()).describe('One sentence per signal'),
    oom_killed: z.boolean(),
    throttled_max: z
      .number()
      .nullable()
      .describe('Highest share of CFS periods throttled (0-1); null when cAdvisor does not expose it'),
    restarts: z.number(),
    hpa_at_max: z.boolean(),
  })
  .describe(
    `Already in trouble: OOM-killed, CPU throttled above ${THROTTLING_THRESHOLD * 100}%, ${RESTART_THRESHOLD} or more restarts, or its HPA at max replicas, over the history window`,
  );
export type RiskSignalsView = z.infer<typeof RiskSignalsViewSchema>;

export function riskSignalsView(signals: RiskSignals): RiskSignalsView {
  return {
    at_risk: signals.atRisk,
    reasons: [...signals.reasons],
    oom_killed: signals.oomKilled,
    throttled_max: signals.throttledMax === null ? null : Math.round(signals.throttledMax * 1000) / 1000,
    restarts: signals.restarts,
    hpa_at_max: signals.hpaAtMax,
  };
}
