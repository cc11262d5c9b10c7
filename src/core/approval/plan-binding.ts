// What a token is bound to, for a plan: the objects as the plan saw them, and as the cluster holds them now.

import type { ChangePlan } from '../changes/plan.js';
import { WorkloadApi } from '../changes/workload-api.js';
import { metadataOf } from '../changes/workload-object.js';
import type { KubeTarget } from '../kube/kubeconfig.js';
import type { TokenBinding } from './token-binding.js';

/** The plan id of a rollback's approval, so that its token names the rollback it was approved for. */
export function rollbackPlanId(rollbackId: string): string {
  return `rollback-${rollbackId}`;
}

export function boundObjects(plan: ChangePlan): TokenBinding['objects'] {
  return plan.workloads.map((w) => ({ ...w.target, uid: w.uid, resourceVersion: w.resourceVersion }));
}

export async function liveObjects(kube: KubeTarget, plan: ChangePlan): Promise<TokenBinding['objects']> {
  const api = new WorkloadApi(kube);
  return Promise.all(
    plan.workloads.map(async (w) => {
      const meta = metadataOf(await api.read(w.target).catch(() => ({})));
      return { ...w.target, uid: meta.uid, resourceVersion: meta.resourceVersion };
    }),
  );
}
