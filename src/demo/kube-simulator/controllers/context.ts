// What every simulated controller works with: the writer, the clock and the test's behaviour settings.

import type { SimBehaviour } from '../behaviour.js';
import type { SimClock } from '../clock.js';
import type { KubeObject } from '../types.js';
import { controllerOf, ControllerWriter } from './objects.js';

export interface ControllerContext {
  writer: ControllerWriter;
  clock: SimClock;
  behaviour: SimBehaviour;
}

/** The workload a pod belongs to: its controller, or the Deployment above its ReplicaSet. */
export function workloadNameOf(context: ControllerContext, pod: KubeObject): string | undefined {
  const owner = controllerOf(pod);
  if (!owner) return undefined;
  if (owner.kind !== 'ReplicaSet') return owner.name;
  const rs = context.writer.read('ReplicaSet', pod.metadata.namespace, owner.name);
  return (rs && controllerOf(rs)?.name) ?? owner.name;
}

/** Pods controlled by `owner` (by uid), without the ones being deleted. */
export function ownedPods(context: ControllerContext, owner: KubeObject): KubeObject[] {
  return context.writer
    .list('Pod', owner.metadata.namespace)
    .filter((p) => controllerOf(p)?.uid === owner.metadata.uid && p.metadata.deletionTimestamp === undefined);
}

export function replicasOf(object: KubeObject, fallback = 1): number {
  const replicas = (object.spec as { replicas?: unknown } | undefined)?.replicas;
  return typeof replicas === 'number' ? replicas : fallback;
}

export function statusNumber(object: KubeObject, field: string): number {
  const value = (object.status as Record<string, unknown> | undefined)?.[field];
  return typeof value === 'number' ? value : 0;
}

/** Oldest first, as the controllers order ReplicaSets when scaling old ones down. */
export function byCreation(a: KubeObject, b: KubeObject): number {
  const at = a.metadata.creationTimestamp ?? '';
  const bt = b.metadata.creationTimestamp ?? '';
  return at < bt ? -1 : at > bt ? 1 : a.metadata.name < b.metadata.name ? -1 : 1;
}
