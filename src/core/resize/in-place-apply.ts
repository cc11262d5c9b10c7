// The executor's in-place part, used only when the person chose to resize running pods and the plan offers
// it for a workload: its template is written so that the controller keeps the pods (Deployments: see
// keep-running-pods.ts; StatefulSets and DaemonSets with OnDelete keep them anyway), then, once every object
// is written, the pods are resized one by one. Undoing a Deployment's write keeps its pods too.

import type { WorkloadTarget } from '../changes/change-request.js';
import type { ChangePlan, PlannedWorkload } from '../changes/plan.js';
import type { WorkloadApi } from '../changes/workload-api.js';
import type { JsonObject } from '../changes/workload-object.js';
import type { KubeTarget } from '../kube/kubeconfig.js';
import { KeepRunningPods } from './keep-running-pods.js';
import { PodApi } from './pod-api.js';
import {
  resizeRunningPods,
  type PodResizeResult,
  type PodResizeStep,
  type ResizePodsOptions,
} from './resize-executor.js';
import type { InPlaceResizePlan } from './resize-model.js';

export type InPlaceEventType = 'replicaset-aligned' | 'replicaset-restored' | PodResizeStep['type'];

export interface InPlaceEvent {
  type: InPlaceEventType;
  target: WorkloadTarget;
  resourceVersion?: string;
  message: string;
  pod?: { name: string; uid: string };
}

export interface WorkloadResizeResult {
  target: WorkloadTarget;
  replicaSet?: string;
  pods: PodResizeResult[];
}

export type InPlaceOptions = Omit<ResizePodsOptions, 'onStep' | 'requestTimeoutMs'>;

function key(target: WorkloadTarget): string {
  return `${target.kind}/${target.namespace}/${target.name}`;
}

/** The workload's in-place resize, when the person chose it and the plan offers it for this workload. */
export function chosenResize(plan: ChangePlan, w: PlannedWorkload): InPlaceResizePlan | undefined {
  return plan.resizeRunningPods === true && w.inPlaceResize?.offered ? w.inPlaceResize : undefined;
}

export class InPlaceApply {
  private readonly kept = new Map<string, KeepRunningPods>();
  private readonly pods: PodApi;

  constructor(
    private readonly kube: KubeTarget,
    private readonly plan: ChangePlan,
    private readonly record: (event: InPlaceEvent) => Promise<void>,
    private readonly options: { resize?: InPlaceOptions; requestTimeoutMs?: number } = {},
  ) {
    this.pods = new PodApi(kube, options.requestTimeoutMs);
  }

  /** Writes one workload's patch; returns the object as written. */
  async write(api: WorkloadApi, w: PlannedWorkload): Promise<JsonObject> {
    const alignment = chosenResize(this.plan, w)?.replicaSet;
    if (!alignment) return api.patch(w.target, w.patch!, false);
    const keep = new KeepRunningPods(api, this.pods, w, alignment, (type, message, resourceVersion) =>
      this.record({ type, target: w.target, message, resourceVersion }),
    );
    const written = await keep.apply();
    this.kept.set(key(w.target), keep);
    return written;
  }

  /** Whether undoing this workload's write must keep its pods (the executor's plain restore would roll them). */
  keepsPods(target: WorkloadTarget): boolean {
    return this.kept.has(key(target));
  }

  /** Undoes a write made with the pods kept; returns the resourceVersion of the last write. */
  undo(target: WorkloadTarget): Promise<string> {
    const keep = this.kept.get(key(target));
    if (!keep) throw new Error(`nothing to undo for ${key(target)}`);
    return keep.undo();
  }

  /** After every object is written: the running pods, pod by pod, workload by workload. */
  async resizePods(written: PlannedWorkload[]): Promise<WorkloadResizeResult[]> {
    const results: WorkloadResizeResult[] = [];
    for (const w of written) {
      const chosen = chosenResize(this.plan, w);
      if (!chosen) continue;
      const pods = await resizeRunningPods(this.kube, w.target, chosen, {
        ...this.options.resize,
        ...(this.options.requestTimeoutMs !== undefined
          ? { requestTimeoutMs: this.options.requestTimeoutMs }
          : {}),
        onStep: (step) =>
          this.record({
            type: step.type,
            target: w.target,
            pod: { name: step.pod, uid: step.uid },
            message: `pod ${step.pod}: ${step.message}`,
          }),
      });
      results.push({
        target: w.target,
        ...(chosen.replicaSet ? { replicaSet: chosen.replicaSet.name } : {}),
        pods,
      });
    }
    return results;
  }
}
