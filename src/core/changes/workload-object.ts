// Reading what the plan needs out of a workload object as the API server returned it (plain JSON).

import type { WorkloadKind } from '../recommend/model.js';
import { resourcesOf, type ContainerResourcesText } from './container-resources.js';

export type JsonObject = Record<string, unknown>;

/** Where each kind keeps its pod spec (a CronJob's pods come from its job template). */
export function podSpecPath(kind: WorkloadKind): string[] {
  return kind === 'CronJob'
    ? ['spec', 'jobTemplate', 'spec', 'template', 'spec']
    : ['spec', 'template', 'spec'];
}

function at(object: unknown, path: readonly string[]): unknown {
  let current = object;
  for (const part of path) {
    current =
      typeof current === 'object' && current !== null && !Array.isArray(current)
        ? (current as JsonObject)[part]
        : undefined;
  }
  return current;
}

export interface LiveContainer {
  index: number;
  name: string;
  resources: ContainerResourcesText;
  /** The container's `resources` as stored, to know which maps exist (JSON patch needs it). */
  rawResources: unknown;
}

export function containersOf(kind: WorkloadKind, object: unknown): LiveContainer[] {
  const list = at(object, [...podSpecPath(kind), 'containers']);
  if (!Array.isArray(list)) return [];
  return list.map((c, index) => {
    const container = (c ?? {}) as JsonObject;
    return {
      index,
      name: String(container.name ?? ''),
      resources: resourcesOf(container.resources),
      rawResources: container.resources,
    };
  });
}

export function initContainerNames(kind: WorkloadKind, object: unknown): string[] {
  const list = at(object, [...podSpecPath(kind), 'initContainers']);
  return Array.isArray(list) ? list.map((c) => String((c as JsonObject)?.name ?? '')) : [];
}

export function metadataOf(object: unknown): { uid: string; resourceVersion: string; generation?: number } {
  const meta = (at(object, ['metadata']) ?? {}) as JsonObject;
  return {
    uid: String(meta.uid ?? ''),
    resourceVersion: String(meta.resourceVersion ?? ''),
    ...(typeof meta.generation === 'number' ? { generation: meta.generation } : {}),
  };
}

/** `metadata.labels` or `metadata.annotations` as strings (anything else in them is ignored). */
export function stringMapOf(object: unknown, field: 'labels' | 'annotations'): Record<string, string> {
  const map = at(object, ['metadata', field]);
  if (typeof map !== 'object' || map === null || Array.isArray(map)) return {};
  return Object.fromEntries(
    Object.entries(map as JsonObject).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string',
    ),
  );
}

/**
 * Pods that run the template now: spec.replicas (1 when unset, the API default) or, for a DaemonSet,
 * status.desiredNumberScheduled. Jobs and CronJobs: undefined, a change only affects the next run.
 */
export function runningPods(kind: WorkloadKind, object: unknown): number | undefined {
  switch (kind) {
    case 'DaemonSet': {
      const desired = at(object, ['status', 'desiredNumberScheduled']);
      return typeof desired === 'number' ? desired : 0;
    }
    case 'Job':
    case 'CronJob':
      return undefined;
    default: {
      const replicas = at(object, ['spec', 'replicas']);
      return typeof replicas === 'number' ? replicas : 1;
    }
  }
}

/** A change to the pod template rolls every pod of these kinds; Jobs and CronJobs only affect future pods. */
export function templateChangeRestartsPods(kind: WorkloadKind): boolean {
  return kind !== 'Job' && kind !== 'CronJob';
}

/** A Rollout that points at a Deployment's template (workloadRef) has no containers of its own to change. */
export function rolloutWorkloadRef(object: unknown): string | undefined {
  const ref = at(object, ['spec', 'workloadRef']) as JsonObject | undefined;
  return ref && !at(object, ['spec', 'template', 'spec'])
    ? `${String(ref.kind)} ${String(ref.name)}`
    : undefined;
}
