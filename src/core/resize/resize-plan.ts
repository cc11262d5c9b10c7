// The in-place resize section of a plan, per workload, from what the API server says: which pods run the
// workload now, whether the template change would make its controller replace them anyway (then resizing
// them is pointless and nothing is offered), and per pod the outcome, confirmed by a server-side dry-run of
// each pods/resize patch. Deployments keep their pods only if the ReplicaSet running them gets the new
// template first; that patch is dry-run too, and both templates must then be equal.

import { targetLabel } from '../changes/change-request.js';
import type { ContainerResourcesText } from '../changes/container-resources.js';
import type { PlannedWorkload } from '../changes/plan.js';
import { WorkloadApi } from '../changes/workload-api.js';
import { containersOf, metadataOf, type JsonObject } from '../changes/workload-object.js';
import { buildWorkloadPatch, type ContainerEdit } from '../changes/workload-patch.js';
import { KubeApiError } from '../kube/errors.js';
import type { KubeTarget } from '../kube/kubeconfig.js';
import { PodApi } from './pod-api.js';
import { planPodResize, podView } from './pod-resize-plan.js';
import type { InPlaceResizePlan, PlannedPodResize, ReplicaSetAlignment } from './resize-model.js';
import { detectResizeSupport, type ResizeSupport } from './resize-support.js';
import { ownedBy, revisionOf, sameTemplate, selectorOf } from './templates.js';

/** More pods than this are not resized one by one from an approval. */
export const MAX_RESIZED_PODS = 100;

class NotOffered extends Error {}

function explain(error: unknown): string {
  return error instanceof KubeApiError && error.detail ? error.detail : (error as Error).message;
}

/** Adds `inPlaceResize` to every workload that has a patch (support is asked once per plan). */
export async function attachInPlaceResize(
  kube: KubeTarget,
  workloads: PlannedWorkload[],
  timeoutMs?: number,
): Promise<void> {
  if (!workloads.some((w) => w.patch !== null)) return;
  const support = await detectResizeSupport(kube);
  for (const w of workloads) {
    if (w.patch === null) continue;
    w.inPlaceResize = await planInPlaceResize(kube, w, support, timeoutMs);
  }
}

export async function planInPlaceResize(
  kube: KubeTarget,
  workload: PlannedWorkload,
  support: ResizeSupport,
  timeoutMs?: number,
): Promise<InPlaceResizePlan> {
  const base = {
    supported: support.supported,
    ...(support.serverVersion ? { serverVersion: support.serverVersion } : {}),
  };
  try {
    if (!support.supported)
      throw new NotOffered(support.reason ?? 'the cluster does not resize pods in place');
    if (!workload.patch) throw new NotOffered('nothing changes');
    if (workload.blocks.length > 0) throw new NotOffered('the change is blocked');
    const targets = new Map(
      workload.containers.filter((c) => c.changes.length > 0).map((c) => [c.container, c.after]),
    );
    const planner = new WorkloadResizePlanner(kube, workload, targets, timeoutMs);
    const { pods: livePods, replicaSet } = await planner.runningPods();
    if (livePods.length === 0) throw new NotOffered('no pod runs it now');
    if (livePods.length > MAX_RESIZED_PODS)
      throw new NotOffered(
        `${livePods.length} pods run it; more than ${MAX_RESIZED_PODS} are not resized one by one`,
      );
    const pods: PlannedPodResize[] = [];
    for (const pod of livePods)
      pods.push(await planner.confirmPod(planPodResize(podView(pod), targets, support.minor ?? 33)));
    const refused = pods.filter((p) => p.outcome === 'not-possible');
    const plan = { ...base, pods, ...(replicaSet ? { replicaSet } : {}) };
    if (refused.length === 0) return { ...plan, offered: true };
    const first = refused[0]!;
    const others =
      refused.length > 1 ? ` (and ${refused.length - 1} more pod${refused.length > 2 ? 's' : ''})` : '';
    return {
      ...plan,
      offered: false,
      reason: `pod ${first.name}${others} cannot be resized in place: ${first.reason}`,
    };
  } catch (error) {
    if (!(error instanceof NotOffered) && !(error instanceof KubeApiError)) throw error;
    return {
      ...base,
      offered: false,
      reason: error instanceof NotOffered ? error.message : explain(error),
      pods: [],
    };
  }
}

class WorkloadResizePlanner {
  private readonly workloads: WorkloadApi;
  private readonly pods: PodApi;

  constructor(
    kube: KubeTarget,
    private readonly workload: PlannedWorkload,
    private readonly targets: Map<string, ContainerResourcesText>,
    timeoutMs?: number,
  ) {
    this.workloads = new WorkloadApi(kube, timeoutMs);
    this.pods = new PodApi(kube, timeoutMs);
  }

  /** The pods the controller keeps running through the template change, and (Deployments) the alignment. */
  async runningPods(): Promise<{ pods: JsonObject[]; replicaSet?: ReplicaSetAlignment }> {
    const { target } = this.workload;
    const live = await this.workloads.read(target);
    if (metadataOf(live).resourceVersion !== this.workload.resourceVersion)
      throw new NotOffered(
        `${targetLabel(target)} changed while the plan was built; preview the change again`,
      );
    const spec = (live.spec ?? {}) as JsonObject;
    const selector = selectorOf(spec.selector);
    const owner = metadataOf(live).uid;
    const list = async (uid: string) =>
      (await this.pods.listPods(target.namespace, selector)).filter((p) => ownedBy(p, uid));
    switch (target.kind) {
      case 'Deployment': {
        const replicaSet = await this.alignment(live, selector);
        return { pods: await list(replicaSet.uid), replicaSet };
      }
      case 'StatefulSet': {
        const strategy = (spec.updateStrategy ?? {}) as JsonObject;
        const partition = Number(((strategy.rollingUpdate ?? {}) as JsonObject).partition ?? 0);
        const replicas = typeof spec.replicas === 'number' ? spec.replicas : 1;
        if ((strategy.type ?? 'RollingUpdate') !== 'OnDelete' && partition < replicas)
          throw new NotOffered(
            'the StatefulSet controller replaces every pod after a template change (updateStrategy RollingUpdate), which would undo an in-place resize; with updateStrategy OnDelete the running pods could be resized',
          );
        return { pods: await list(owner) };
      }
      case 'DaemonSet': {
        if (((spec.updateStrategy ?? {}) as JsonObject).type !== 'OnDelete')
          throw new NotOffered(
            'the DaemonSet controller replaces every pod after a template change (updateStrategy RollingUpdate), which would undo an in-place resize; with updateStrategy OnDelete the running pods could be resized',
          );
        return { pods: await list(owner) };
      }
      default:
        throw new NotOffered(
          target.kind === 'Rollout'
            ? 'Argo Rollouts replaces the pods after a template change'
            : `a ${target.kind} change applies to the pods of its next run`,
        );
    }
  }

  /** The ReplicaSet of the current template gets the new one first, so that the Deployment controller keeps it. */
  private async alignment(deployment: JsonObject, selector: string): Promise<ReplicaSetAlignment> {
    const { target } = this.workload;
    const spec = (deployment.spec ?? {}) as JsonObject;
    const meta = metadataOf(deployment);
    const status = (deployment.status ?? {}) as JsonObject;
    if (
      typeof status.observedGeneration === 'number' &&
      meta.generation !== undefined &&
      status.observedGeneration < meta.generation
    )
      throw new NotOffered(
        'the Deployment controller has not caught up with the last change yet (a rollout may be starting)',
      );
    const owned = (await this.pods.listReplicaSets(target.namespace, selector)).filter((rs) =>
      ownedBy(rs, meta.uid),
    );
    const current = owned.filter((rs) =>
      sameTemplate((rs.spec as JsonObject | undefined)?.template, spec.template),
    );
    if (current.length !== 1)
      throw new NotOffered('no single ReplicaSet runs the current template (a rollout may be in progress)');
    const rs = current[0]!;
    const busy = owned.find(
      (o) =>
        o !== rs &&
        (Number((o.spec as JsonObject | undefined)?.replicas ?? 0) > 0 ||
          Number((o.status as JsonObject | undefined)?.replicas ?? 0) > 0),
    );
    if (busy)
      throw new NotOffered(
        `a rollout is in progress: ReplicaSet ${String((busy.metadata as JsonObject).name)} still runs pods`,
      );
    const rsMeta = metadataOf(rs);
    const containers: ReplicaSetAlignment['containers'] = [];
    const edits: ContainerEdit[] = [];
    for (const live of containersOf('Deployment', rs)) {
      const after = this.targets.get(live.name);
      if (!after) continue;
      containers.push({ container: live.name, before: live.resources, after });
      edits.push({
        index: live.index,
        name: live.name,
        current: live.resources,
        desired: after,
        rawResources: live.rawResources,
      });
    }
    const patch = buildWorkloadPatch('Deployment', rsMeta.resourceVersion, edits);
    const name = String((rs.metadata as JsonObject).name);
    const [rsAfter, deploymentAfter] = await Promise.all([
      this.pods.patchReplicaSet(target.namespace, name, patch, true),
      this.workloads.patch(target, this.workload.patch!, true),
    ]);
    const newTemplate = (deploymentAfter.spec as JsonObject | undefined)?.template;
    if (!sameTemplate((rsAfter.spec as JsonObject | undefined)?.template, newTemplate))
      throw new NotOffered(
        `ReplicaSet ${name}'s template would not match the Deployment's after the change, so the controller would still replace the pods`,
      );
    const clash = owned.find(
      (o) => o !== rs && sameTemplate((o.spec as JsonObject | undefined)?.template, newTemplate),
    );
    if (clash)
      throw new NotOffered(
        `ReplicaSet ${String((clash.metadata as JsonObject).name)} (revision ${revisionOf(clash)}) already has the new template: the Deployment controller would scale it up and replace the running pods`,
      );
    return {
      name,
      uid: rsMeta.uid,
      resourceVersion: rsMeta.resourceVersion,
      patch,
      pausesDeployment: spec.paused !== true,
      containers,
    };
  }

  /** The API server's own answer to each resize patch (dry-run): a refusal makes the pod "not possible". */
  async confirmPod(planned: PlannedPodResize): Promise<PlannedPodResize> {
    if (!planned.patch) return planned;
    try {
      await this.pods.resizePod(this.workload.target.namespace, planned.name, planned.patch, true);
      return planned;
    } catch (error) {
      if (!(error instanceof KubeApiError)) throw error;
      return {
        ...planned,
        outcome: 'not-possible',
        reason: `the API server refused the resize: ${explain(error)}`,
        restartingContainers: [],
        patch: null,
      };
    }
  }
}
