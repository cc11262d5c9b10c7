import type { ChangeRequest } from '../changes/change-request.js';
import type { Prices } from '../changes/cost.js';
import type { ChangePlan } from '../changes/plan.js';
import { buildChangePlan } from '../changes/plan-builder.js';
import type { ObservedUsage } from '../changes/risk.js';
import type { SafetyRules } from '../changes/safety-rules.js';
import {
  readUsageEvidence,
  strictestUsage,
  type PrometheusForCluster,
  type UsageEvidence,
} from '../evidence/usage-evidence.js';
import type { KubeTarget } from '../kube/kubeconfig.js';
import { buildRollbackRequest, readLiveVersions, type RollbackRequest } from '../changes/rollback.js';
import { SnapshotStoreError, type SnapshotStore } from '../changes/snapshot-store.js';
import { BrokerError } from './ipc/errors.js';

export interface AuthorityPlanInputs {
  safety: SafetyRules;
  prices: Prices;
  prometheus?: PrometheusForCluster;
  /** Plan what resizing the running pods in place would do (offered to the person, never chosen here). */
  inPlaceResize?: boolean;
}

/**
 * The plan a person is shown, built by the authority: a fresh read of the objects, the API server's own
 * dry-run, and the usage read with the person's Prometheus and krr's defaults. The MCP server's numbers
 * (from a scan whose settings the agent chose) can only add to that usage, never replace it.
 */
export async function buildAuthorityPlan(
  kube: KubeTarget,
  params: { planId: string; request: ChangeRequest; observed: Array<[string, ObservedUsage]> },
  inputs: AuthorityPlanInputs,
): Promise<{ plan: ChangePlan; evidence: UsageEvidence }> {
  const evidence: UsageEvidence = inputs.prometheus
    ? await readUsageEvidence(kube, inputs.prometheus, params.request)
    : {
        observed: new Map(),
        missing: ['no Prometheus is configured for the approval authority'],
        source: null,
        histories: [],
      };
  const built = await buildChangePlan(kube, params.request, {
    safety: inputs.safety,
    prices: inputs.prices,
    observed: strictestUsage(evidence.observed, params.observed),
    evidenceMissing: evidence.missing,
    // Trouble the containers are in already (OOM kills, throttling, restarts, HPA at max): told, not blocked.
    signals: new Map(evidence.histories.map((h) => [h.key, h.signals])),
    ...(inputs.inPlaceResize ? { inPlaceResize: 'offer' as const } : {}),
  });
  return { plan: { ...built, id: params.planId }, evidence };
}

/** What undoing an apply would write, from its snapshot and the objects as they are now. */
export async function plannedRollback(
  snapshots: SnapshotStore,
  kube: KubeTarget,
  rollbackId: string,
): Promise<RollbackRequest> {
  let snapshot;
  try {
    snapshot = await snapshots.load(rollbackId);
  } catch (error) {
    if (error instanceof SnapshotStoreError)
      throw new BrokerError('unknown-rollback', `Unknown rollback_id "${rollbackId}": ${error.message}`);
    throw error;
  }
  return buildRollbackRequest(snapshot, await readLiveVersions(kube, snapshot));
}
