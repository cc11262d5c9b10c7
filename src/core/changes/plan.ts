// A change plan: what would be written, what the API server said about it in a dry-run, and what it
// risks. The hash binds an approval to exactly these objects, versions and patches on this cluster.

import { createHash } from 'node:crypto';
import { canonicalJson } from '../canonical-json.js';
import type { ClusterIdentity } from '../kube/kubeconfig.js';
import type { HpaData } from '../recommend/model.js';
import type { ChangeSource, WorkloadTarget } from './change-request.js';
import type { InPlaceResizePlan } from '../resize/resize-model.js';
import type { ContainerResourcesText, FieldChange } from './container-resources.js';
import type { GitOpsOwner } from './gitops.js';
import type { Risk } from './risk.js';
import type { WorkloadPatch } from './workload-patch.js';

export interface PlannedContainer {
  container: string;
  source: ChangeSource;
  recommendationId?: string;
  /** The exact values on the live object. */
  before: ContainerResourcesText;
  after: ContainerResourcesText;
  changes: FieldChange[];
  /** Fields whose new value the agent chose itself (not a recommendation), e.g. "requests.cpu". */
  agentSupplied: string[];
}

export type DryRunResult =
  { ok: true } | { ok: false; status?: number; message: string } | { ok: 'skipped'; reason: string };

export interface WorkloadImpact {
  /** Pods that restart or get the new values now; "next run" for Jobs and CronJobs. */
  pods: number | 'next run';
  restartRequired: boolean;
  hpa: HpaData | null;
}

export interface PlannedWorkload {
  target: WorkloadTarget;
  /** Empty when the object could not be read. */
  uid: string;
  resourceVersion: string;
  /** null when there is nothing to write (blocked before a patch could be built, or no value changes). */
  patch: WorkloadPatch | null;
  containers: PlannedContainer[];
  dryRun: DryRunResult;
  /** Unified YAML diff of the live object and the dry-run result. */
  diff: string;
  /** Both sides of the diff (managed fields, status and versions stripped), for a side-by-side view. */
  yaml?: { live: string; dryRun: string };
  impact: WorkloadImpact;
  /** Argo CD, Flux or Helm, when one of them owns the object: a live change would be reverted. */
  managedBy?: GitOpsOwner;
  risk: Risk;
  blocks: string[];
  cost: { monthlyDelta: number; replicas: number; note?: string };
  /** Kubernetes ≥ 1.33: what resizing the running pods in place would do (planned with `inPlaceResize`). */
  inPlaceResize?: InPlaceResizePlan;
}

export interface ChangePlan {
  id: string;
  createdAt: string;
  cluster: ClusterIdentity;
  workloads: PlannedWorkload[];
  risk: Risk;
  /** Every block of every workload, prefixed with the workload; any block means the plan cannot be approved. */
  blocks: string[];
  /** US dollars per month; positive = more expensive. */
  monthlyCostDelta: number;
  /** Set when the approval authority read the usage itself: what it could not read (empty: complete). */
  evidenceMissing?: string[];
  /**
   * The person chose to resize the running pods in place where a workload offers it (the template is patched
   * too). Part of the hash: an approval without this choice does not cover the resize patches.
   */
  resizeRunningPods?: boolean;
  /** planHash(plan), see below. */
  hash: string;
}

/**
 * sha256 over what an approval must be bound to: the cluster (server and context) and, per workload,
 * its target, uid, resourceVersion and patch. Everything else in the plan is derived from these. With an
 * in-place resize section, the pods (name and uid: a pod replaced since is not the one approved), their
 * outcomes and resize patches, the ReplicaSet patch, and whether the person chose to resize are bound too.
 */
export function planHash(plan: Pick<ChangePlan, 'cluster' | 'workloads' | 'resizeRunningPods'>): string {
  const bound = {
    cluster: { server: plan.cluster.server, context: plan.cluster.context },
    workloads: plan.workloads.map((w) => ({
      target: { kind: w.target.kind, namespace: w.target.namespace, name: w.target.name },
      uid: w.uid,
      resourceVersion: w.resourceVersion,
      patch: w.patch,
      ...(w.inPlaceResize ? { inPlaceResize: boundResize(w.inPlaceResize) } : {}),
    })),
    ...(plan.resizeRunningPods ? { resizeRunningPods: true } : {}),
  };
  return createHash('sha256').update(canonicalJson(bound)).digest('hex');
}

function boundResize(section: InPlaceResizePlan) {
  return {
    offered: section.offered,
    ...(section.replicaSet
      ? {
          replicaSet: {
            name: section.replicaSet.name,
            uid: section.replicaSet.uid,
            resourceVersion: section.replicaSet.resourceVersion,
            patch: section.replicaSet.patch,
            pausesDeployment: section.replicaSet.pausesDeployment,
          },
        }
      : {}),
    pods: section.pods.map((p) => ({ name: p.name, uid: p.uid, outcome: p.outcome, patch: p.patch })),
  };
}

/**
 * The plan with the person's choice about resizing running pods, re-hashed. Choosing it where no workload
 * offers it changes nothing (the plan is returned as it is).
 */
export function withResizeChoice(plan: ChangePlan, resize: boolean): ChangePlan {
  if (resize && !plan.workloads.some((w) => w.inPlaceResize?.offered)) return plan;
  const { resizeRunningPods: _previous, hash: _hash, ...rest } = plan;
  const chosen = { ...rest, ...(resize ? { resizeRunningPods: true } : {}) };
  return { ...chosen, hash: planHash(chosen) };
}
