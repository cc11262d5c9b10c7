import type { Severity } from '../../core/recommend/model.js';
import type { RecommendationItem } from '../../core/recommend/recommendation-items.js';
import { isAtLeast } from './severity.js';

/** What the person narrowed the tree to; an absent or empty criterion keeps everything. */
export interface TreeFilter {
  minSeverity?: Severity;
  namespaces?: ReadonlySet<string>;
  kinds?: ReadonlySet<string>;
}

export type WorkloadSort = 'savings' | 'name';

export function isFilterActive(filter: TreeFilter): boolean {
  return (
    filter.minSeverity !== undefined || (filter.namespaces?.size ?? 0) > 0 || (filter.kinds?.size ?? 0) > 0
  );
}

export function matchesFilter(item: RecommendationItem, filter: TreeFilter): boolean {
  if (filter.minSeverity && !isAtLeast(item.severity, filter.minSeverity)) return false;
  if (filter.namespaces?.size && !filter.namespaces.has(item.namespace)) return false;
  if (filter.kinds?.size && !filter.kinds.has(item.kind)) return false;
  return true;
}

function valuesText(values: ReadonlySet<string>): string {
  const sorted = [...values].sort();
  return sorted.length <= 3 ? sorted.join(' or ') : `${sorted.length} selected`;
}

/** The `TreeView.message` line, e.g. "Filtered: severity ≥ WARNING, kind Deployment". */
export function describeFilter(filter: TreeFilter): string | undefined {
  if (!isFilterActive(filter)) return undefined;
  const parts: string[] = [];
  if (filter.minSeverity) parts.push(`severity ≥ ${filter.minSeverity}`);
  if (filter.namespaces?.size) parts.push(`namespace ${valuesText(filter.namespaces)}`);
  if (filter.kinds?.size) parts.push(`kind ${valuesText(filter.kinds)}`);
  return `Filtered: ${parts.join(', ')}`;
}
