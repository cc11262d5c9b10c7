// Reading and patching the six workload kinds with client-node's typed APIs (Rollouts through the
// custom objects API), with a per-request timeout so that a hanging API server cannot stall an apply.

import { AppsV1Api, BatchV1Api, CustomObjectsApi, PatchStrategy } from '@kubernetes/client-node';
import type { KubeTarget } from '../kube/kubeconfig.js';
import {
  callKubeApi,
  DEFAULT_REQUEST_TIMEOUT_MS,
  FIELD_MANAGER,
  requestOptions,
} from '../kube/typed-api-call.js';
import { targetLabel, type WorkloadTarget } from './change-request.js';
import type { JsonObject } from './workload-object.js';
import type { WorkloadPatch } from './workload-patch.js';

const ROLLOUTS = { group: 'argoproj.io', version: 'v1alpha1', plural: 'rollouts' } as const;

export class WorkloadApi {
  private readonly apps: AppsV1Api;
  private readonly batch: BatchV1Api;
  private readonly custom: CustomObjectsApi;

  constructor(
    private readonly kube: KubeTarget,
    private readonly timeoutMs = DEFAULT_REQUEST_TIMEOUT_MS,
  ) {
    this.apps = kube.kubeConfig.makeApiClient(AppsV1Api);
    this.batch = kube.kubeConfig.makeApiClient(BatchV1Api);
    this.custom = kube.kubeConfig.makeApiClient(CustomObjectsApi);
  }

  async read(target: WorkloadTarget): Promise<JsonObject> {
    const { namespace, name } = target;
    const options = requestOptions(this.timeoutMs);
    return this.call(`read ${targetLabel(target)}`, async () => {
      switch (target.kind) {
        case 'Deployment':
          return this.apps.readNamespacedDeployment({ namespace, name }, options);
        case 'StatefulSet':
          return this.apps.readNamespacedStatefulSet({ namespace, name }, options);
        case 'DaemonSet':
          return this.apps.readNamespacedDaemonSet({ namespace, name }, options);
        case 'Job':
          return this.batch.readNamespacedJob({ namespace, name }, options);
        case 'CronJob':
          return this.batch.readNamespacedCronJob({ namespace, name }, options);
        case 'Rollout':
          return this.custom.getNamespacedCustomObject({ ...ROLLOUTS, namespace, name }, options);
      }
    });
  }

  /** Sends the patch; with dryRun the server runs admission and validation but stores nothing. */
  async patch(target: WorkloadTarget, patch: WorkloadPatch, dryRun: boolean): Promise<JsonObject> {
    const { namespace, name } = target;
    const contentType =
      patch.type === 'json-patch' ? PatchStrategy.JsonPatch : PatchStrategy.StrategicMergePatch;
    const options = requestOptions(this.timeoutMs, contentType);
    const params = {
      namespace,
      name,
      body: patch.body,
      fieldManager: FIELD_MANAGER,
      ...(dryRun ? { dryRun: 'All' } : {}),
    };
    const action = `${dryRun ? 'dry-run patch' : 'patch'} ${targetLabel(target)}`;
    return this.call(action, async () => {
      switch (target.kind) {
        case 'Deployment':
          return this.apps.patchNamespacedDeployment(params, options);
        case 'StatefulSet':
          return this.apps.patchNamespacedStatefulSet(params, options);
        case 'DaemonSet':
          return this.apps.patchNamespacedDaemonSet(params, options);
        case 'Job':
          return this.batch.patchNamespacedJob(params, options);
        case 'CronJob':
          return this.batch.patchNamespacedCronJob(params, options);
        case 'Rollout':
          return this.custom.patchNamespacedCustomObject({ ...ROLLOUTS, ...params }, options);
      }
    });
  }

  private call(action: string, run: () => Promise<unknown>): Promise<JsonObject> {
    return callKubeApi(this.kube, this.timeoutMs, action, run);
  }
}
