// The charts' data, built in the extension host: each container's history (as the authority or the loader
// read it) with the amounts the change would set, in base units. The page never parses quantities.
import type { ApprovalDetails } from '../../core/approval/approval-request.js';
import { quantityValue } from '../../core/changes/quantity-format.js';
import type { ContainerUsageHistory } from '../../core/evidence/usage-history-model.js';
import type { ProposedLines, UsageChart, UsageHistoryView } from './panel-protocol.js';

// The page's schema must accept every history the core produces, and produce nothing else: these two lines
// stop the build when src/core/evidence's model and the schema in panel-protocol.ts drift apart.
const coreToView = (history: ContainerUsageHistory): UsageHistoryView => history;
const viewToCore = (history: UsageHistoryView): ContainerUsageHistory => history;
void coreToView;
void viewToCore;

type Which = 'requests' | 'limits';
type Resource = 'cpu' | 'memory';
const FIELD = /^(requests|limits)\.(cpu|memory)$/;

/** A quantity to set as a number; null when the change removes it; undefined when it cannot be read. */
function amountOf(quantity: string | null): number | null | undefined {
  return quantity === null ? null : quantityValue(quantity);
}

/** The amounts a plan's changes set for one container (`requests.cpu` → 0.25, …); unchanged fields absent. */
export function proposedFromChanges(
  changes: ReadonlyArray<{ field: string; to: string | null }>,
): ProposedLines {
  const proposed: ProposedLines = { requests: {}, limits: {} };
  for (const change of changes) {
    const match = FIELD.exec(change.field);
    if (!match) continue;
    const amount = amountOf(change.to);
    if (amount !== undefined) proposed[match[1] as Which][match[2] as Resource] = amount;
  }
  return proposed;
}

/**
 * What a recommendation would set: krr's values as quantity strings, "?" when it has none (left out: no
 * line), null when it recommends no value (no limit).
 */
export function proposedFromRecommendation(recommended: {
  requests: { cpu: string | null; memory: string | null };
  limits: { cpu: string | null; memory: string | null };
}): ProposedLines {
  const proposed: ProposedLines = { requests: {}, limits: {} };
  for (const which of ['requests', 'limits'] as const) {
    for (const resource of ['cpu', 'memory'] as const) {
      const amount = amountOf(recommended[which][resource]);
      if (amount !== undefined) proposed[which][resource] = amount;
    }
  }
  return proposed;
}

const keyOf = (w: { namespace: string; kind: string; name: string }, container: string) =>
  `${w.namespace}/${w.kind}/${w.name}/${container}`;

/**
 * One chart per changed container that has a history, in the plan's order. A history for a container the
 * plan does not change is not shown: the panel is about this change.
 */
export function approvalCharts(details: ApprovalDetails | undefined): UsageChart[] {
  const histories = new Map((details?.usage ?? []).map((h) => [h.key, h]));
  return (details?.workloads ?? []).flatMap((workload) =>
    workload.containers.flatMap((container) => {
      const history = histories.get(keyOf(workload, container.container));
      return history ? [{ history, proposed: proposedFromChanges(container.changes) }] : [];
    }),
  );
}
