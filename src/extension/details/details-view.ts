// What the details panel shows, built in the extension host from the tree's recommendations and the
// histories the source found: the page gets numbers for its charts and text for everything else.
import type { ContainerUsageHistory } from '../../core/evidence/usage-history-model.js';
import type { RecommendationItem } from '../../core/recommend/recommendation-items.js';
import type { DetailsView } from '../approval/panel-protocol.js';
import { proposedFromRecommendation } from '../approval/usage-charts.js';

/** More charts than this in one panel help nobody and slow the page: the rest is named in a note. */
export const MAX_DETAILS_CONTAINERS = 40;

/** `namespace/kind/name/container`, the key of src/core/evidence's histories. */
export function historyKey(
  item: Pick<RecommendationItem, 'namespace' | 'kind' | 'name' | 'container'>,
): string {
  return `${item.namespace}/${item.kind}/${item.name}/${item.container}`;
}

/** The kubeconfig context in a recommendation id (`context/namespace/kind/name/container`). */
export function contextOf(item: RecommendationItem): string | null {
  const suffix = `/${historyKey(item)}`;
  return item.id.endsWith(suffix) ? item.id.slice(0, -suffix.length) : null;
}

export function detailsView(
  items: readonly RecommendationItem[],
  histories: readonly ContainerUsageHistory[],
  notes: readonly string[] = [],
): DetailsView {
  const byKey = new Map(histories.map((h) => [h.key, h]));
  const shown = items.slice(0, MAX_DETAILS_CONTAINERS);
  const omitted = items.length - shown.length;
  return {
    context: items[0] ? contextOf(items[0]) : null,
    containers: shown.map((item) => {
      const history = byKey.get(historyKey(item));
      return {
        namespace: item.namespace,
        kind: item.kind,
        name: item.name,
        container: item.container,
        severity: item.severity,
        current: item.current,
        recommended: item.recommended,
        info: item.info,
        monthlySavingsUsd: item.monthly_savings_usd,
        chart: history ? { history, proposed: proposedFromRecommendation(item.recommended) } : null,
      };
    }),
    notes: [
      ...notes,
      ...(omitted > 0
        ? [`Showing the first ${shown.length} of ${items.length} containers; select fewer to see the others.`]
        : []),
    ],
  };
}
