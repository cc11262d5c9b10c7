// Resizing a workload's running pods after its template was patched: pod by pod, only the pods the approval
// named (same uid), each PATCH on pods/resize conditioned on the resourceVersion just read, then waiting
// (bounded, with back-off) for the kubelet: PodResizePending (Infeasible or Deferred) is reported with its
// message, PodResizeInProgress is waited out, and restart counts tell which containers restarted.

import type { WorkloadTarget } from '../changes/change-request.js';
import { resourcesOf, type ContainerResourcesText } from '../changes/container-resources.js';
import { sameQuantity } from '../changes/quantity-format.js';
import type { JsonObject } from '../changes/workload-object.js';
import { KubeApiError } from '../kube/errors.js';
import type { KubeTarget } from '../kube/kubeconfig.js';
import { Backoff, systemClock, type Clock } from '../verify/clock.js';
import { PodApi } from './pod-api.js';
import type { InPlaceResizePlan, PlannedPodResize } from './resize-model.js';

export type PodResizeState =
  | 'resized'
  | 'restarted-container'
  | 'unchanged'
  | 'infeasible'
  | 'deferred'
  | 'still-in-progress'
  | 'replaced'
  | 'failed';

export interface PodResizeResult {
  pod: string;
  uid: string;
  state: PodResizeState;
  message: string;
  /** Containers whose restart count went up during the resize. */
  restarted?: string[];
}

export interface PodResizeStep {
  type:
    | 'pod-resize-requested'
    | 'pod-resized'
    | 'pod-resize-pending'
    | 'pod-resize-failed'
    | 'pod-resize-skipped';
  pod: string;
  uid: string;
  message: string;
}

export interface ResizePodsOptions {
  clock?: Clock;
  signal?: AbortSignal;
  /** How long one pod may stay PodResizeInProgress before it is reported as such (default 60 s). */
  timeoutMs?: number;
  requestTimeoutMs?: number;
  /** Called after each step, for the audit log. */
  onStep?: (step: PodResizeStep) => Promise<void>;
}

export const DEFAULT_RESIZE_TIMEOUT_MS = 60_000;

function conditionOf(pod: JsonObject, type: string): JsonObject | undefined {
  const conditions = ((pod.status ?? {}) as JsonObject).conditions;
  return Array.isArray(conditions)
    ? (conditions as JsonObject[]).find((c) => c.type === type && c.status === 'True')
    : undefined;
}

function containerStatuses(pod: JsonObject): JsonObject[] {
  const statuses = ((pod.status ?? {}) as JsonObject).containerStatuses;
  return Array.isArray(statuses) ? (statuses as JsonObject[]) : [];
}

function restartCounts(pod: JsonObject): Map<string, number> {
  return new Map(containerStatuses(pod).map((s) => [String(s.name), Number(s.restartCount ?? 0)]));
}

/** The kubelet runs the containers with the planned values (checked where it reports them, 1.33+). */
function actuated(pod: JsonObject, planned: PlannedPodResize): boolean {
  return planned.containers.every((c) => {
    const status = containerStatuses(pod).find((s) => s.name === c.container);
    if (status?.resources === undefined) return true;
    const actual: ContainerResourcesText = resourcesOf(status.resources);
    return (['requests', 'limits'] as const).every((which) =>
      (['cpu', 'memory'] as const).every(
        (r) => c.after[which][r] === undefined || sameQuantity(actual[which][r], c.after[which][r]),
      ),
    );
  });
}

/** The pending reason, from the 1.33+ condition or the alpha `status.resize` field of older clusters. */
function pending(pod: JsonObject): { state: 'infeasible' | 'deferred'; message: string } | undefined {
  const condition = conditionOf(pod, 'PodResizePending');
  const legacy = ((pod.status ?? {}) as JsonObject).resize;
  const reason = condition?.reason ?? legacy;
  if (reason !== 'Infeasible' && reason !== 'Deferred') return undefined;
  const message =
    typeof condition?.message === 'string' ? condition.message : `the kubelet answered ${reason}`;
  return { state: reason === 'Infeasible' ? 'infeasible' : 'deferred', message };
}

export async function resizeRunningPods(
  kube: KubeTarget,
  target: WorkloadTarget,
  plan: InPlaceResizePlan,
  options: ResizePodsOptions = {},
): Promise<PodResizeResult[]> {
  const api = new PodApi(kube, options.requestTimeoutMs);
  const results: PodResizeResult[] = [];
  for (const planned of plan.pods) {
    const result = await resizeOne(api, target.namespace, planned, options);
    results.push(result);
    const type: PodResizeStep['type'] =
      result.state === 'resized' || result.state === 'restarted-container'
        ? 'pod-resized'
        : result.state === 'infeasible' || result.state === 'deferred' || result.state === 'still-in-progress'
          ? 'pod-resize-pending'
          : result.state === 'failed'
            ? 'pod-resize-failed'
            : 'pod-resize-skipped';
    await options.onStep?.({
      type,
      pod: result.pod,
      uid: result.uid,
      message: `${result.state}: ${result.message}`,
    });
  }
  return results;
}

async function resizeOne(
  api: PodApi,
  namespace: string,
  planned: PlannedPodResize,
  options: ResizePodsOptions,
): Promise<PodResizeResult> {
  const base = { pod: planned.name, uid: planned.uid };
  if (!planned.patch) return { ...base, state: 'unchanged', message: planned.reason };
  const clock = options.clock ?? systemClock;
  const replaced = {
    ...base,
    state: 'replaced' as const,
    message: 'the pod was replaced or deleted since the approval; its successor runs the new template',
  };
  let live: JsonObject;
  try {
    for (let attempt = 1; ; attempt++) {
      live = await api.readPod(namespace, planned.name);
      if ((live.metadata as JsonObject | undefined)?.uid !== planned.uid) return replaced;
      const resourceVersion = String((live.metadata as JsonObject).resourceVersion ?? '');
      try {
        await api.resizePod(
          namespace,
          planned.name,
          { metadata: { resourceVersion }, ...planned.patch },
          false,
        );
        break;
      } catch (error) {
        // The kubelet writes the pod's status often; a conflict only means "read again".
        if (!(error instanceof KubeApiError) || error.status !== 409 || attempt >= 3) throw error;
      }
    }
  } catch (error) {
    if (error instanceof KubeApiError && error.status === 404) return replaced;
    return {
      ...base,
      state: 'failed',
      message: error instanceof KubeApiError && error.detail ? error.detail : (error as Error).message,
    };
  }
  await options.onStep?.({ type: 'pod-resize-requested', ...base, message: planned.reason });
  const before = restartCounts(live);
  const deadline = clock.now() + (options.timeoutMs ?? DEFAULT_RESIZE_TIMEOUT_MS);
  const backoff = new Backoff(200, 2000);
  for (;;) {
    const pod = await api.readPod(namespace, planned.name);
    const stuck = pending(pod);
    if (stuck) return { ...base, ...stuck };
    const inProgress = conditionOf(pod, 'PodResizeInProgress');
    if (!inProgress && actuated(pod, planned)) {
      const after = restartCounts(pod);
      const restarted = [...after.entries()]
        .filter(([name, count]) => count > (before.get(name) ?? 0))
        .map(([name]) => name);
      return restarted.length > 0
        ? {
            ...base,
            state: 'restarted-container',
            message: `resized; ${restarted.join(', ')} restarted`,
            restarted,
          }
        : { ...base, state: 'resized', message: 'resized in place, no container restarted' };
    }
    if (clock.now() >= deadline) {
      const detail =
        typeof inProgress?.message === 'string' && inProgress.message ? `: ${inProgress.message}` : '';
      return {
        ...base,
        state: 'still-in-progress',
        message: `the kubelet had not finished the resize after ${Math.round((options.timeoutMs ?? DEFAULT_RESIZE_TIMEOUT_MS) / 1000)} s${detail}`,
      };
    }
    await backoff.wait(clock, options.signal);
  }
}
