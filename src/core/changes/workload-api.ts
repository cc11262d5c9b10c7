// Reading and patching the six workload kinds with client-node's typed APIs (Rollouts through the
// custom objects API), with a per-request timeout so that a hanging API server cannot stall an apply.

import {
  AppsV1Api,
  BatchV1Api,
  CustomObjectsApi,
  Observable,
  PatchStrategy,
  setHeaderOptions,
  type ObservableMiddleware,
  type RequestContext,
  type ResponseContext,
} from '@kubernetes/client-node';
import { describeKubeError, KubeApiError } from '../kube/errors.js';
import type { KubeTarget } from '../kube/kubeconfig.js';
import { targetLabel, type WorkloadTarget } from './change-request.js';
import type { JsonObject } from './workload-object.js';
import type { WorkloadPatch } from './workload-patch.js';

export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
const FIELD_MANAGER = 'krr-mcp';
const ROLLOUTS = { group: 'argoproj.io', version: 'v1alpha1', plural: 'rollouts' } as const;

function timeoutMiddleware(ms: number): ObservableMiddleware {
  return {
    pre(context: RequestContext) {
      context.setSignal(AbortSignal.timeout(ms));
      return new Observable(Promise.resolve(context));
    },
    post(context: ResponseContext) {
      return new Observable(Promise.resolve(context));
    },
  };
}

/** The typed models carry Dates and class instances; the plan, the diff and the snapshot want plain JSON. */
function plain(object: unknown): JsonObject {
  return JSON.parse(JSON.stringify(object ?? {})) as JsonObject;
}

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
    const options = {
      middleware: [timeoutMiddleware(this.timeoutMs)],
      middlewareMergeStrategy: 'append' as const,
    };
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
    const options = setHeaderOptions('Content-Type', contentType, {
      middleware: [timeoutMiddleware(this.timeoutMs)],
      middlewareMergeStrategy: 'append',
    });
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

  private async call(action: string, run: () => Promise<unknown>): Promise<JsonObject> {
    try {
      return plain(await run());
    } catch (error) {
      const e = error as { name?: string; type?: string };
      if (e?.name === 'AbortError' || e?.name === 'TimeoutError' || e?.type === 'aborted') {
        throw new KubeApiError(
          `The Kubernetes API at ${this.kube.identity.server} did not answer within ${this.timeoutMs / 1000} s while trying to ${action}.`,
        );
      }
      const described = describeKubeError(
        error,
        action,
        this.kube.identity.server,
        () =>
          `The kubeconfig's user needs RBAC permission to ${action.startsWith('read') ? 'get' : 'patch'} this object.`,
      );
      throw described;
    }
  }
}
