import { historyKey } from '../../core/evidence/usage-history.js';
import type { K8sObjectData } from '../../core/recommend/model.js';

/**
 * A scan row's key for what is read beside the scan (signals, charts): its cluster, then
 * `namespace/kind/name/container`. A fleet scan often has the same workload in several clusters.
 */
export function scanRowKey(
  o: Pick<K8sObjectData, 'cluster' | 'namespace' | 'kind' | 'name' | 'container'>,
): string {
  return `${o.cluster ?? ''}/${historyKey(o)}`;
}
