// Risk of one workload's change, with every reason spelled out, and the hard blocks that stop a plan
// from being approved at all. Pure: the plan builder gathers the facts.

import type { RiskSignals } from '../evidence/usage-history-model.js';
import type { HpaData } from '../recommend/model.js';
import { targetLabel, type WorkloadTarget } from './change-request.js';
import {
  fieldName,
  limitsBelowRequests,
  type ContainerResourcesText,
  type FieldChange,
} from './container-resources.js';
import { gitOpsWarning, type GitOpsOwner } from './gitops.js';
import { quantityValue } from './quantity-format.js';
import { matchesAny, type SafetyRules } from './safety-rules.js';

export const RISK_LEVELS = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

export interface RiskReason {
  level: RiskLevel;
  text: string;
}

export interface Risk {
  level: RiskLevel;
  reasons: RiskReason[];
}

/** Usage seen in Prometheus for one container, to refuse values the container demonstrably exceeds. */
export interface ObservedUsage {
  memoryPeakBytes?: number;
  cpuP95Cores?: number;
}

export interface ContainerChangeFacts {
  container: string;
  /** A rollback restores what was there before: usage findings are reasons then, never blocks. */
  restoring?: boolean;
  current: ContainerResourcesText;
  desired: ContainerResourcesText;
  changes: FieldChange[];
  observed?: ObservedUsage;
  /** OOM kills, throttling, restarts or an HPA at max seen over the history window. */
  signals?: RiskSignals;
}

export interface WorkloadRiskInput {
  target: WorkloadTarget;
  /** Argo CD, Flux or Helm, when one of them owns the live object. */
  managedBy?: GitOpsOwner;
  /** Pods that run the template now; undefined for Jobs/CronJobs (only future runs). */
  pods: number | undefined;
  restartRequired: boolean;
  hpa: HpaData | null;
  containers: ContainerChangeFacts[];
}

export interface WorkloadAssessment extends Risk {
  blocks: string[];
}

/** Reductions beyond this fraction of the current value deserve a second look even when allowed. */
const LARGE_REDUCTION = 0.5;

export function maxLevel(levels: readonly RiskLevel[]): RiskLevel {
  return levels.reduce<RiskLevel>(
    (max, l) => (RISK_LEVELS.indexOf(l) > RISK_LEVELS.indexOf(max) ? l : max),
    'LOW',
  );
}

/** The overall level: the highest reason, raised to CRITICAL when two HIGH reasons meet. */
export function levelOf(reasons: readonly RiskReason[]): RiskLevel {
  const highs = reasons.filter((r) => r.level === 'HIGH').length;
  return highs >= 2 ? 'CRITICAL' : maxLevel(reasons.map((r) => r.level));
}

function mib(bytes: number): string {
  return `${Math.round((bytes / 1024 ** 2) * 10) / 10}Mi`;
}

function millicores(cores: number): string {
  return `${Math.round(cores * 1000 * 10) / 10}m`;
}

export function assessWorkloadRisk(input: WorkloadRiskInput, rules: SafetyRules): WorkloadAssessment {
  const reasons: RiskReason[] = [];
  const blocks: string[] = [];
  const { target } = input;

  const critical = matchesAny(rules.criticalWorkloadPatterns, target.name);
  if (critical) {
    reasons.push({
      level: 'HIGH',
      text: `${targetLabel(target)} looks critical (name matches "${critical}"): stateful or cluster-critical software`,
    });
  }
  const production = matchesAny(rules.productionNamespacePatterns, target.namespace);
  if (production) {
    reasons.push({
      level: 'HIGH',
      text: `namespace ${target.namespace} looks like production (matches "${production}")`,
    });
  }
  if (input.managedBy) {
    const warning = gitOpsWarning(input.managedBy);
    // Helm reverts on the next upgrade (someone's action); Argo CD and Flux reconcile on their own.
    reasons.push({ level: input.managedBy.tool === 'Helm' ? 'MEDIUM' : 'HIGH', text: warning });
    if (rules.blockLiveChangesToManagedWorkloads)
      blocks.push(
        `${warning} (live changes to workloads managed by Argo CD, Flux or Helm are blocked by the safety rules: BLOCK_MANAGED_LIVE_CHANGES, krrMcp.blockLiveChangesToManagedWorkloads)`,
      );
  }
  if (input.restartRequired && input.pods === 1) {
    reasons.push({ level: 'MEDIUM', text: 'single replica: the only pod restarts: brief downtime' });
  }

  for (const c of input.containers) {
    for (const change of c.changes) {
      const from = quantityValue(change.from);
      const to = quantityValue(change.to);
      const field = `${c.container} ${fieldName(change)}`;
      if (from !== undefined && to !== undefined && from > 0) {
        const percent = (Math.abs(to - from) / from) * 100;
        if (percent > rules.maxChangePercent) {
          blocks.push(
            `${field}: ${change.from} → ${change.to} is a ${Math.round(percent)}% change, above the ${rules.maxChangePercent}% limit (MAX_RESOURCE_CHANGE_PERCENT)`,
          );
        }
        if (to < from && (from - to) / from > LARGE_REDUCTION) {
          reasons.push({
            level: 'MEDIUM',
            text: `${field} drops by ${Math.round(((from - to) / from) * 100)}% (${change.from} → ${change.to})`,
          });
        }
      }
      if (change.to === undefined && change.which === 'limits' && change.resource === 'cpu') {
        reasons.push({
          level: 'LOW',
          text: `${c.container} CPU limit ${change.from} is removed (no CPU throttling; krr's simple strategy)`,
        });
      }
      if (change.to === undefined && change.which === 'limits' && change.resource === 'memory') {
        reasons.push({
          level: 'MEDIUM',
          text: `${c.container} memory limit ${change.from} is removed: the container can use node memory freely`,
        });
      }
    }

    // Only values this change sets are checked against usage: a live value that is already too small
    // is not this change's doing, and blocking on it would also block fixing other fields. A rollback puts
    // back what ran before: blocking it would take away the way back, so the person is told instead.
    const changed = new Set(c.changes.map(fieldName));
    const usageFinding = (text: string) =>
      c.restoring
        ? reasons.push({ level: 'HIGH', text: `${text} (as it was before the change this rolls back)` })
        : blocks.push(text);
    const peak = c.observed?.memoryPeakBytes;
    if (peak !== undefined) {
      for (const which of ['requests', 'limits'] as const) {
        const value = quantityValue(c.desired[which].memory);
        if (changed.has(`${which}.memory`) && value !== undefined && value < peak) {
          usageFinding(
            `${c.container} memory ${which === 'requests' ? 'request' : 'limit'} ${c.desired[which].memory} is below the observed peak of ${mib(peak)}${which === 'limits' ? ': the container would be OOM-killed' : ': the pod would be scheduled with less memory than it uses'}`,
          );
        }
      }
    }
    const p95 = c.observed?.cpuP95Cores;
    const cpuLimit = quantityValue(c.desired.limits.cpu);
    if (p95 !== undefined && changed.has('limits.cpu') && cpuLimit !== undefined && cpuLimit < p95) {
      usageFinding(
        `${c.container} CPU limit ${c.desired.limits.cpu} is below the observed p95 usage of ${millicores(p95)}: the container would be throttled most of the time`,
      );
    }
    // Trouble the container is in already: the person should weigh the change against it (a cut makes it
    // worse, a raise may be the fix), whatever the recommendation's numbers say.
    if (c.signals?.atRisk)
      reasons.push({
        level: 'MEDIUM',
        text: `already at risk: ${c.container}: ${c.signals.reasons.join('; ')}`,
      });
    for (const bad of limitsBelowRequests(c.desired)) {
      blocks.push(
        `${c.container} ${bad.resource} limit ${bad.limit} is below the ${bad.resource} request ${bad.request} (a limit must be at least the request)`,
      );
    }
  }

  if (input.hpa) {
    const changedResources = new Set(
      input.containers
        .flatMap((c) => c.changes)
        .filter((ch) => ch.which === 'requests')
        .map((ch) => ch.resource),
    );
    for (const [resource, target] of [
      ['cpu', input.hpa.target_cpu_utilization_percentage],
      ['memory', input.hpa.target_memory_utilization_percentage],
    ] as const) {
      if (target !== null && changedResources.has(resource)) {
        reasons.push({
          level: 'MEDIUM',
          text: `an HPA scales this workload on ${resource} utilization (${target}% of the request): changing the ${resource} request changes when it scales`,
        });
      }
    }
  }

  // The combination the rules single out: a critical workload in a production namespace.
  if (critical && production) {
    reasons.push({ level: 'CRITICAL', text: 'a critical workload in a production namespace' });
  }
  return { level: levelOf(reasons), reasons, blocks };
}
