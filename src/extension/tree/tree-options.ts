import { PageLimits } from './page-limits.js';
import type { TreeFilter, WorkloadSort } from './tree-filter.js';
import type { WorkloadSources } from './workload-sources.js';
import type { WorkloadVerifications } from './workload-verifications.js';

/**
 * The person's view settings, shared by the provider and every node; nodes read it when VS Code asks
 * for their children, so a node kept by VS Code across a partial refresh sees the current settings.
 */
export class TreeOptions {
  filter: TreeFilter = {};
  sort: WorkloadSort = 'savings';
  readonly pages = new PageLimits();
  /** Where workspace files define each workload, when the manifests feature is on. */
  sources?: WorkloadSources;
  /** The verification after an apply, per workload, when the extension's authority runs them. */
  verifications?: WorkloadVerifications;
}
