// kube-scheduler, reduced to what right-sizing meets: a pod fits a node when its requests fit the node's
// allocatable minus what the pods already there request (NodeResourcesFit), and a DaemonSet pod only fits the
// node its affinity names. A pod that fits nowhere stays Pending with PodScheduled=False, reason
// Unschedulable, and the scheduler's FitError message.

import { podRequests, type ResourceAmounts } from '../pod-resources.js';
import { clone, type JsonObject, type KubeObject } from '../types.js';
import type { ControllerContext } from './context.js';
import { conditionsOf, isTerminating, spec, statusOf } from './objects.js';
import { nodeOf } from './pod-factory.js';

const AFFINITY_MISMATCH = "node(s) didn't match Pod's node affinity/selector";

/** The node a pod's required node affinity pins it to (DaemonSet pods), if any. */
function requiredNode(pod: KubeObject): string | undefined {
  const affinity = spec(pod).affinity as JsonObject | undefined;
  const required = (affinity?.nodeAffinity as JsonObject | undefined)
    ?.requiredDuringSchedulingIgnoredDuringExecution as JsonObject | undefined;
  const term = (required?.nodeSelectorTerms as JsonObject[] | undefined)?.[0];
  return ((term?.matchFields as JsonObject[] | undefined)?.[0]?.values as string[] | undefined)?.[0];
}

/** Requests of the pods bound to each node that still hold resources there. */
export function requestedOnNodes(context: ControllerContext, except?: string): Map<string, ResourceAmounts> {
  const used = new Map<string, ResourceAmounts>();
  for (const pod of context.writer.list('Pod')) {
    const node = nodeOf(pod);
    const phase = statusOf(pod).phase;
    if (!node || pod.metadata.uid === except || phase === 'Succeeded' || phase === 'Failed') continue;
    const request = podRequests(pod);
    const total = used.get(node) ?? { cpu: 0, memory: 0 };
    used.set(node, { cpu: total.cpu + request.cpu, memory: total.memory + request.memory });
  }
  return used;
}

function histogram(counts: Map<string, number>): string {
  return [...counts.entries()]
    .map(([reason, count]) => `${count} ${reason}`)
    .sort()
    .join(', ');
}

export function schedulePod(context: ControllerContext, pod: KubeObject): void {
  if (nodeOf(pod) || isTerminating(pod)) return;
  const request = podRequests(pod);
  const used = requestedOnNodes(context);
  const pinned = requiredNode(pod);
  const filterReasons = new Map<string, number>();
  const preemptionReasons = new Map<string, number>();
  const count = (map: Map<string, number>, reason: string) => map.set(reason, (map.get(reason) ?? 0) + 1);
  const fits: Array<{ name: string; freeCpu: number }> = [];
  for (const node of context.behaviour.nodes) {
    if (pinned !== undefined && pinned !== node.name) {
      count(filterReasons, AFFINITY_MISMATCH);
      count(preemptionReasons, 'Preemption is not helpful for scheduling');
      continue;
    }
    const allocatable = context.behaviour.allocatable(node);
    const taken = used.get(node.name) ?? { cpu: 0, memory: 0 };
    const short = (['cpu', 'memory'] as const).filter((r) => request[r] > allocatable[r] - taken[r]);
    for (const resource of short) count(filterReasons, `Insufficient ${resource}`);
    if (short.length > 0) count(preemptionReasons, 'No preemption victims found for incoming pod');
    else fits.push({ name: node.name, freeCpu: allocatable.cpu - taken.cpu });
  }
  const now = context.clock.timestamp();
  const next = clone(pod);
  const others = conditionsOf(pod).filter((c) => c.type !== 'PodScheduled');
  if (fits.length > 0) {
    // LeastAllocated scoring, reduced to "most free CPU", ties by name.
    const best = [...fits].sort((a, b) => b.freeCpu - a.freeCpu || (a.name < b.name ? -1 : 1))[0]!;
    (next.spec as JsonObject).nodeName = best.name;
    next.status = {
      ...statusOf(pod),
      conditions: [
        ...others,
        { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: now },
      ],
    };
    context.writer.update(next);
    return;
  }
  const total = context.behaviour.nodes.length;
  const message =
    `0/${total} nodes are available: ${histogram(filterReasons)}. ` +
    `preemption: 0/${total} nodes are available: ${histogram(preemptionReasons)}.`;
  const old = conditionsOf(pod).find((c) => c.type === 'PodScheduled');
  if (old?.status === 'False' && old.message === message) return;
  next.status = {
    ...statusOf(pod),
    phase: 'Pending',
    conditions: [
      ...others,
      {
        type: 'PodScheduled',
        status: 'False',
        lastProbeTime: null,
        lastTransitionTime: old?.status === 'False' ? (old.lastTransitionTime ?? now) : now,
        reason: 'Unschedulable',
        message,
      },
    ],
  };
  context.writer.update(next);
}
