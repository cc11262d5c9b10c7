// Turning an apply snapshot back into a change request that restores the exact previous values (a field
// we added is removed again), with drift detection: if the object changed since our apply, restoring
// would silently undo someone else's change, so that is a block unless explicitly allowed.

import type { KubeTarget } from '../kube/kubeconfig.js';
import {
  targetLabel,
  type ChangeRequest,
  type ContainerChange,
  type WorkloadChange,
  type WorkloadTarget,
} from './change-request.js';
import { RESOURCE_FIELDS } from './container-resources.js';
import { driftSinceApply, type LiveVersion, type WrittenVersion } from './drift.js';
import { sameQuantity } from './quantity-format.js';
import type { ApplySnapshot } from './snapshot-store.js';
import { WorkloadApi } from './workload-api.js';
import { metadataOf } from './workload-object.js';

/** uid, resourceVersion and generation of each object now, keyed by targetKey(); undefined = not found. */
export type LiveVersions = Map<string, ({ uid: string } & LiveVersion) | undefined>;

export function targetKey(t: WorkloadTarget): string {
  return `${t.kind}/${t.namespace}/${t.name}`;
}

export interface RollbackRequest {
  /** null when nothing is left to restore. */
  request: ChangeRequest | null;
  /** Objects that changed since our apply (shown even when allowed). */
  drift: string[];
  /** Reasons the rollback cannot go ahead. */
  blocks: string[];
}

/** Reads the current uid/resourceVersion/generation of every object the snapshot changed. */
export async function readLiveVersions(kube: KubeTarget, snapshot: ApplySnapshot): Promise<LiveVersions> {
  const api = new WorkloadApi(kube);
  const live: LiveVersions = new Map();
  for (const object of snapshot.objects) {
    try {
      live.set(targetKey(object.target), metadataOf(await api.read(object.target)));
    } catch (error) {
      if ((error as { status?: number }).status === 404) live.set(targetKey(object.target), undefined);
      else throw error;
    }
  }
  return live;
}

/** What the rollback expects to find: the generation our apply left, else (older snapshots) its resourceVersion. */
function writtenVersion(object: ApplySnapshot['objects'][number]): WrittenVersion {
  return object.generationWritten !== undefined
    ? { generation: object.generationWritten }
    : object.resourceVersionWritten !== undefined
      ? { resourceVersion: object.resourceVersionWritten }
      : {};
}

export function buildRollbackRequest(
  snapshot: ApplySnapshot,
  live: LiveVersions,
  options: { allowDrift?: boolean } = {},
): RollbackRequest {
  const drift: string[] = [];
  const blocks: string[] = [];
  const workloads: WorkloadChange[] = [];
  for (const object of snapshot.objects) {
    // Only objects our apply left changed: restored, failed and never-attempted ones hold the old values.
    if (object.state !== 'applied') continue;
    const label = targetLabel(object.target);
    const now = live.get(targetKey(object.target));
    if (!now) {
      blocks.push(`${label} no longer exists; nothing to restore`);
      continue;
    }
    if (now.uid !== object.uid) {
      blocks.push(
        `${label} was deleted and recreated since the apply (uid ${now.uid}, was ${object.uid}); refusing to restore onto a different object`,
      );
      continue;
    }
    const written = writtenVersion(object);
    const moved = driftSinceApply(now, written);
    if (moved) {
      const text = `${label}: ${moved}`;
      drift.push(text);
      if (!options.allowDrift)
        blocks.push(`${text}; restoring would overwrite that change (allowDrift to do it anyway)`);
    }
    const containers: ContainerChange[] = [];
    for (const c of object.containers) {
      const change: ContainerChange = { container: c.container, source: 'rollback' };
      for (const [which, resource] of RESOURCE_FIELDS) {
        const previous = c.previous[which][resource];
        const written = c.written[which][resource];
        if (sameQuantity(previous, written)) continue;
        (change[which] ??= {})[resource] = previous ?? null;
      }
      if (change.requests || change.limits) containers.push(change);
    }
    if (containers.length === 0) continue;
    workloads.push({
      ...object.target,
      ...(written.generation !== undefined
        ? { expectedGeneration: written.generation }
        : written.resourceVersion !== undefined
          ? { expectedResourceVersion: written.resourceVersion }
          : {}),
      containers,
    });
  }
  return {
    request: workloads.length > 0 ? { workloads, ...(options.allowDrift ? { allowDrift: true } : {}) } : null,
    drift,
    blocks,
  };
}
