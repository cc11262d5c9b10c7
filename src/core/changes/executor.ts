// Applies an approved plan: durable snapshot first, then each patch with its resourceVersion
// precondition; on the first failure every object already changed is restored (re-read first: only if
// its spec is still what we wrote, and conditioned on the version read, so a concurrent change is never
// overwritten) and the result says, per object, what happened. Approval (tokens) is checked by the caller; this module only writes. When the person chose
// to resize running pods in place, templates are written so that the pods stay, and the pods are resized
// once every object is written (../resize/in-place-apply.ts).

import type { KubeTarget } from '../kube/kubeconfig.js';
import {
  InPlaceApply,
  type InPlaceEventType,
  type InPlaceOptions,
  type WorkloadResizeResult,
} from '../resize/in-place-apply.js';
import { targetLabel, type WorkloadTarget } from './change-request.js';
import { driftSinceApply } from './drift.js';
import { planHash, type ChangePlan, type PlannedWorkload } from './plan.js';
import {
  newRollbackId,
  type ApplySnapshot,
  type ApplyStatus,
  type SnapshotObject,
  type SnapshotStore,
} from './snapshot-store.js';
import { WorkloadApi } from './workload-api.js';
import { containersOf, metadataOf, type JsonObject } from './workload-object.js';
import { buildWorkloadPatch, type ContainerEdit } from './workload-patch.js';

export type ApplyEventType =
  | 'snapshot-written'
  | 'object-applied'
  | 'object-failed'
  | 'object-restored'
  | 'object-restore-failed'
  | 'apply-finished'
  // In-place resize of running pods, only when the plan says resizeRunningPods:
  | InPlaceEventType;

export interface ApplyEvent {
  type: ApplyEventType;
  rollbackId: string;
  planId: string;
  planHash: string;
  target?: WorkloadTarget;
  resourceVersion?: string;
  status?: ApplyStatus;
  message?: string;
  /** Resize events: the pod. */
  pod?: { name: string; uid: string };
}

export interface ApplyOptions {
  snapshots: SnapshotStore;
  /** Called after every step. A failure before the first write aborts the apply. */
  audit?: (event: ApplyEvent) => Promise<void>;
  timeoutMs?: number;
  now?: () => Date;
  /** How running pods are resized when the plan says resizeRunningPods (clock, time bound, abort). */
  resize?: InPlaceOptions;
}

export type ApplyObjectResult = Pick<
  SnapshotObject,
  | 'target'
  | 'state'
  | 'resourceVersionBefore'
  | 'resourceVersionWritten'
  | 'resourceVersionRestored'
  | 'error'
  | 'restoreError'
>;

export interface ApplyResult {
  status: Exclude<ApplyStatus, 'in-progress'>;
  rollbackId: string;
  objects: ApplyObjectResult[];
  /** Audit events that could not be recorded after the writes began (the writes were not stopped for them). */
  auditErrors: string[];
  /** Snapshot updates that could not be saved after the writes began (the file then lags behind). */
  snapshotErrors: string[];
  /** Per workload whose running pods were resized in place: what happened to each pod. */
  resizes?: WorkloadResizeResult[];
}

export class PlanNotApplicableError extends Error {
  override name = 'PlanNotApplicableError';
}

function snapshotObject(w: PlannedWorkload): SnapshotObject {
  return {
    target: w.target,
    uid: w.uid,
    resourceVersionBefore: w.resourceVersion,
    containers: w.containers
      .filter((c) => c.changes.length > 0)
      .map((c) => ({ container: c.container, previous: c.before, written: c.after })),
    state: 'pending',
  };
}

/**
 * The patch that puts back the previous values onto the object as read now, conditioned on its
 * resourceVersion; refused when someone changed the spec after our write.
 */
export function restorePatch(object: SnapshotObject, current: JsonObject) {
  const meta = metadataOf(current);
  const moved = driftSinceApply(meta, {
    ...(object.generationWritten !== undefined ? { generation: object.generationWritten } : {}),
    ...(object.resourceVersionWritten !== undefined
      ? { resourceVersion: object.resourceVersionWritten }
      : {}),
  });
  if (moved) throw new Error(`not restored: ${moved}; restoring would overwrite that change`);
  const live = containersOf(object.target.kind, current);
  const edits: ContainerEdit[] = object.containers.map((c) => {
    const current = live.find((l) => l.name === c.container);
    if (!current) throw new Error(`container ${c.container} is gone from ${targetLabel(object.target)}`);
    return {
      index: current.index,
      name: c.container,
      current: current.resources,
      desired: c.previous,
      rawResources: current.rawResources,
    };
  });
  return buildWorkloadPatch(object.target.kind, meta.resourceVersion, edits);
}

export async function applyPlan(
  kube: KubeTarget,
  plan: ChangePlan,
  options: ApplyOptions,
): Promise<ApplyResult> {
  if (plan.blocks.length > 0)
    throw new PlanNotApplicableError(`The plan has blocks and cannot be applied: ${plan.blocks.join('; ')}`);
  if (planHash(plan) !== plan.hash)
    throw new PlanNotApplicableError('The plan does not match its hash; it was changed after it was built.');
  if (plan.cluster.server !== kube.identity.server || plan.cluster.context !== kube.identity.context)
    throw new PlanNotApplicableError(
      `The plan is for ${plan.cluster.context} (${plan.cluster.server}), not ${kube.identity.context} (${kube.identity.server}).`,
    );

  const api = new WorkloadApi(kube, options.timeoutMs);
  const now = () => (options.now?.() ?? new Date()).toISOString();
  const writes = plan.workloads.filter((w) => w.patch !== null);
  const snapshot: ApplySnapshot = {
    version: 1,
    rollbackId: newRollbackId(),
    planId: plan.id,
    planHash: plan.hash,
    cluster: kube.identity,
    createdAt: now(),
    updatedAt: now(),
    status: 'in-progress',
    objects: writes.map(snapshotObject),
  };
  const auditErrors: string[] = [];
  let writing = false;
  const snapshotErrors: string[] = [];
  const record = async (event: Omit<ApplyEvent, 'rollbackId' | 'planId' | 'planHash'>) => {
    snapshot.updatedAt = now();
    try {
      await options.snapshots.save(snapshot);
    } catch (error) {
      // Without the write-ahead snapshot nothing may be written; once writing, restoring matters more.
      if (!writing) throw error;
      snapshotErrors.push(`${event.type}: ${(error as Error).message}`);
    }
    if (!options.audit) return;
    const full = { ...event, rollbackId: snapshot.rollbackId, planId: plan.id, planHash: plan.hash };
    try {
      await options.audit(full);
    } catch (error) {
      // Before any write, an unrecorded apply must not happen; after, stopping would strand a half-applied change.
      if (!writing) throw error;
      auditErrors.push(`${event.type}: ${(error as Error).message}`);
    }
  };

  await record({ type: 'snapshot-written' });
  writing = true;

  const inPlace = new InPlaceApply(kube, plan, record, {
    ...(options.resize ? { resize: options.resize } : {}),
    ...(options.timeoutMs !== undefined ? { requestTimeoutMs: options.timeoutMs } : {}),
  });
  let failed: SnapshotObject | undefined;
  for (const [i, w] of writes.entries()) {
    const object = snapshot.objects[i]!;
    try {
      const result = await inPlace.write(api, w);
      const written = metadataOf(result);
      object.resourceVersionWritten = written.resourceVersion;
      if (written.generation !== undefined) object.generationWritten = written.generation;
      object.state = 'applied';
      await record({
        type: 'object-applied',
        target: object.target,
        resourceVersion: object.resourceVersionWritten,
      });
    } catch (error) {
      object.state = 'failed';
      object.error = (error as Error).message;
      failed = object;
      await record({ type: 'object-failed', target: object.target, message: object.error });
      break;
    }
  }

  if (failed) {
    for (const object of snapshot.objects) {
      if (object.state === 'pending')
        object.error = `not attempted: ${targetLabel(failed.target)} failed first`;
    }
    // Newest first, the reverse of the order they were changed in.
    for (const object of [...snapshot.objects].reverse()) {
      if (object.state !== 'applied') continue;
      try {
        // A write that kept the running pods is undone the same way (a plain restore would roll them).
        object.resourceVersionRestored = inPlace.keepsPods(object.target)
          ? await inPlace.undo(object.target)
          : metadataOf(
              await api.patch(object.target, restorePatch(object, await api.read(object.target)), false),
            ).resourceVersion;
        object.state = 'restored';
        await record({
          type: 'object-restored',
          target: object.target,
          resourceVersion: object.resourceVersionRestored,
        });
      } catch (error) {
        object.restoreError = (error as Error).message;
        await record({ type: 'object-restore-failed', target: object.target, message: object.restoreError });
      }
    }
  }

  // The running pods only once every template is written: a failed apply resizes nothing.
  const resizes = failed ? [] : await inPlace.resizePods(writes);

  const status: ApplyResult['status'] = !failed
    ? 'applied'
    : snapshot.objects.some((o) => o.state === 'applied')
      ? 'failed-partially-restored'
      : 'failed-restored';
  snapshot.status = status;
  await record({ type: 'apply-finished', status });
  return {
    status,
    rollbackId: snapshot.rollbackId,
    objects: snapshot.objects.map((o) => ({
      target: o.target,
      state: o.state,
      resourceVersionBefore: o.resourceVersionBefore,
      ...(o.resourceVersionWritten !== undefined ? { resourceVersionWritten: o.resourceVersionWritten } : {}),
      ...(o.resourceVersionRestored !== undefined
        ? { resourceVersionRestored: o.resourceVersionRestored }
        : {}),
      ...(o.error !== undefined ? { error: o.error } : {}),
      ...(o.restoreError !== undefined ? { restoreError: o.restoreError } : {}),
    })),
    auditErrors,
    snapshotErrors,
    ...(resizes.length > 0 ? { resizes } : {}),
  };
}
