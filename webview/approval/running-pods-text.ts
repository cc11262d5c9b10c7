// What the "Running pods" section says, workload by workload and pod by pod, when the person may choose to
// resize the running pods in place. The words follow what Kubernetes will do, never better: "no restart" only
// for a pod resized in place with no container to restart; a pod of a workload that is not resized in place
// is replaced by the rollout whatever its own outcome. Pure: tested in Node.
import type { ApprovalWorkloadView, PodResizeView } from '../../src/extension/approval/panel-protocol.js';
import { visibleLine } from '../shared/visible-text.js';

/** Each one shown differently: a fixed list, never taken from the data. */
export type PodFate = 'in-place' | 'restarts-container' | 'not-resized' | 'replaced';

export interface PodLine {
  pod: string;
  fate: PodFate;
  /** What "Approve and resize running pods" does to this pod. */
  what: string;
  qos: string;
  /** The authority's words: why, or why not. */
  why: string;
}

export interface WorkloadPods {
  offered: boolean;
  /** One line for the workload: what happens to its pods as a whole. */
  headline: string;
  pods: PodLine[];
}

const restarts = (pod: PodResizeView): boolean =>
  pod.outcome === 'restarts-container' || pod.restartingContainers.length > 0;

export function podLine(pod: PodResizeView, offered: boolean): PodLine {
  const containers = pod.restartingContainers.map(visibleLine);
  const line = {
    pod: visibleLine(pod.name),
    qos:
      pod.qosBefore === pod.qosAfter
        ? visibleLine(pod.qosBefore)
        : `${visibleLine(pod.qosBefore)} → ${visibleLine(pod.qosAfter)} (would change)`,
    why: visibleLine(pod.reason),
  };
  if (pod.outcome === 'not-possible')
    return { ...line, fate: 'not-resized', what: 'cannot be resized in place' };
  if (!offered)
    return {
      ...line,
      fate: 'replaced',
      what: 'replaced by the rollout (its workload is not resized in place)',
    };
  if (restarts(pod))
    return {
      ...line,
      fate: 'restarts-container',
      what:
        containers.length > 0
          ? `resized in place; container ${containers.join(', ')} restarts`
          : 'resized in place; a container restarts',
    };
  return { ...line, fate: 'in-place', what: 'resized in place, no restart' };
}

export function workloadPods(workload: ApprovalWorkloadView): WorkloadPods {
  const resize = workload.inPlaceResize;
  if (!resize)
    return {
      offered: false,
      headline:
        'Not resized in place (no in-place plan came for it): its pods are replaced by the rollout, as with Approve.',
      pods: [],
    };
  const pods = resize.pods.map((pod) => podLine(pod, resize.offered));
  if (!resize.offered)
    return {
      offered: false,
      headline: `Not resized in place: ${visibleLine(resize.reason ?? 'not offered')}. Its pods are replaced by the rollout, as with Approve.`,
      pods,
    };
  const count = (fate: PodFate) => pods.filter((p) => p.fate === fate).length;
  const refused = count('not-resized');
  return {
    offered: true,
    headline:
      `${pods.length} running pod(s): ${count('in-place')} resized in place without a restart, ` +
      `${count('restarts-container')} resized with a container restart` +
      (refused > 0 ? `, ${refused} cannot be resized.` : '.'),
    pods,
  };
}
