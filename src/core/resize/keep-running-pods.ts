// A Deployment's template change that keeps its running pods: the Deployment is paused together with the
// template patch (a paused Deployment gets no new ReplicaSet), the ReplicaSet that runs the pods gets the
// same template, and the Deployment is resumed — its controller then finds that ReplicaSet as the one of the
// new template and replaces nothing. Undoing it runs the same steps backwards. Each undo write checks that
// the object still holds what we wrote (the controllers' status writes move resourceVersions all the time,
// so a stale version is not a sign of someone else's change; different container values are).

import { targetLabel } from '../changes/change-request.js';
import type { ContainerResourcesText } from '../changes/container-resources.js';
import type { PlannedWorkload } from '../changes/plan.js';
import { sameQuantity } from '../changes/quantity-format.js';
import type { WorkloadApi } from '../changes/workload-api.js';
import { containersOf, metadataOf, type JsonObject } from '../changes/workload-object.js';
import { buildWorkloadPatch, type ContainerEdit, type WorkloadPatch } from '../changes/workload-patch.js';
import { KubeApiError } from '../kube/errors.js';
import type { PodApi } from './pod-api.js';
import type { ReplicaSetAlignment } from './resize-model.js';

export type KeepPodsStep = (
  type: 'replicaset-aligned' | 'replicaset-restored',
  message: string,
  resourceVersion: string,
) => Promise<void>;

type Values = Array<{ container: string; values: ContainerResourcesText }>;

function withPaused(patch: WorkloadPatch, paused: boolean): WorkloadPatch {
  if (patch.type !== 'strategic-merge') throw new Error('a Deployment patch is a strategic merge patch');
  const body = structuredClone(patch.body);
  body.spec = { ...((body.spec ?? {}) as JsonObject), paused };
  return { type: 'strategic-merge', body };
}

function holds(object: JsonObject, expected: Values): boolean {
  const live = containersOf('Deployment', object);
  return expected.every(({ container, values }) => {
    const found = live.find((l) => l.name === container);
    return (
      found !== undefined &&
      (['requests', 'limits'] as const).every((which) =>
        (['cpu', 'memory'] as const).every((r) => sameQuantity(found.resources[which][r], values[which][r])),
      )
    );
  });
}

/** Writes `desired` over `expected`, conditioned on the version just read; retried on conflicts. */
async function rewrite(
  what: string,
  read: () => Promise<JsonObject>,
  write: (patch: WorkloadPatch) => Promise<JsonObject>,
  expected: Values,
  desired: Values,
  paused?: boolean,
): Promise<JsonObject> {
  for (let attempt = 1; ; attempt++) {
    const live = await read();
    if (!holds(live, expected))
      throw new Error(`${what} no longer holds the values we wrote; not writing over that change`);
    const containers = containersOf('Deployment', live);
    const edits: ContainerEdit[] = desired.map(({ container, values }) => {
      const current = containers.find((c) => c.name === container)!;
      return {
        index: current.index,
        name: container,
        current: current.resources,
        desired: values,
        rawResources: current.rawResources,
      };
    });
    const patch = buildWorkloadPatch('Deployment', metadataOf(live).resourceVersion, edits);
    try {
      return await write(paused === undefined ? patch : withPaused(patch, paused));
    } catch (error) {
      if (!(error instanceof KubeApiError) || error.status !== 409 || attempt >= 3) throw error;
    }
  }
}

export class KeepRunningPods {
  constructor(
    private readonly workloads: WorkloadApi,
    private readonly pods: PodApi,
    private readonly workload: PlannedWorkload,
    private readonly alignment: ReplicaSetAlignment,
    private readonly onStep: KeepPodsStep,
  ) {}

  private get target() {
    return this.workload.target;
  }

  private values(side: 'before' | 'after'): Values {
    return this.alignment.containers.map((c) => ({ container: c.container, values: c[side] }));
  }

  private readReplicaSet = () => this.pods.readReplicaSet(this.target.namespace, this.alignment.name);
  private writeReplicaSet = (patch: WorkloadPatch) =>
    this.pods.patchReplicaSet(this.target.namespace, this.alignment.name, patch, false);

  private async resume(): Promise<JsonObject> {
    // Only `paused` is written: the controllers' status writes have moved the version since our patch.
    return this.workloads.patch(
      this.target,
      { type: 'strategic-merge', body: { spec: { paused: false } } },
      false,
    );
  }

  /** Returns the Deployment as our last write left it. */
  async apply(): Promise<JsonObject> {
    const pause = this.alignment.pausesDeployment;
    let written = await this.workloads.patch(
      this.target,
      pause ? withPaused(this.workload.patch!, true) : this.workload.patch!,
      false,
    );
    try {
      const rs = await this.pods.patchReplicaSet(
        this.target.namespace,
        this.alignment.name,
        this.alignment.patch,
        false,
      );
      await this.onStep(
        'replicaset-aligned',
        `ReplicaSet ${this.alignment.name} has the new template, so the Deployment controller keeps its pods`,
        metadataOf(rs).resourceVersion,
      );
    } catch (error) {
      // The template goes back and the Deployment is resumed: as if this workload had not been written.
      await rewrite(
        targetLabel(this.target),
        () => this.workloads.read(this.target),
        (p) => this.workloads.patch(this.target, p, false),
        this.values('after'),
        this.values('before'),
        pause ? false : undefined,
      );
      throw error;
    }
    if (pause) written = await this.resume();
    return written;
  }

  /** Puts the previous template back on both, in the order that keeps the pods; returns the last version written. */
  async undo(): Promise<string> {
    const pause = this.alignment.pausesDeployment;
    const label = targetLabel(this.target);
    await rewrite(
      label,
      () => this.workloads.read(this.target),
      (p) => this.workloads.patch(this.target, p, false),
      this.values('after'),
      this.values('before'),
      pause ? true : undefined,
    );
    const rs = await rewrite(
      `ReplicaSet ${this.alignment.name}`,
      this.readReplicaSet,
      this.writeReplicaSet,
      this.values('after'),
      this.values('before'),
    );
    await this.onStep(
      'replicaset-restored',
      `ReplicaSet ${this.alignment.name} has its previous template again`,
      metadataOf(rs).resourceVersion,
    );
    const last = pause ? await this.resume() : await this.workloads.read(this.target);
    return metadataOf(last).resourceVersion;
  }
}
