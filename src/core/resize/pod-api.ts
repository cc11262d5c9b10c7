// Pods and ReplicaSets through client-node's typed APIs, as plain JSON (the plan and the audit log want
// plain data), each request with a timeout: reading them, the pods/resize subresource, and the ReplicaSet
// template patch that keeps a Deployment's running pods when its template changes.

import { AppsV1Api, CoreV1Api, PatchStrategy } from '@kubernetes/client-node';
import type { JsonObject } from '../changes/workload-object.js';
import type { WorkloadPatch } from '../changes/workload-patch.js';
import type { KubeTarget } from '../kube/kubeconfig.js';
import {
  callKubeApi,
  DEFAULT_REQUEST_TIMEOUT_MS,
  FIELD_MANAGER,
  plainJson,
  requestOptions,
} from '../kube/typed-api-call.js';

export class PodApi {
  private readonly core: CoreV1Api;
  private readonly apps: AppsV1Api;

  constructor(
    private readonly kube: KubeTarget,
    private readonly timeoutMs = DEFAULT_REQUEST_TIMEOUT_MS,
  ) {
    this.core = kube.kubeConfig.makeApiClient(CoreV1Api);
    this.apps = kube.kubeConfig.makeApiClient(AppsV1Api);
  }

  private options(contentType?: string) {
    return requestOptions(this.timeoutMs, contentType);
  }

  async listPods(namespace: string, labelSelector: string): Promise<JsonObject[]> {
    const list = await this.call(`list the pods in ${namespace} (${labelSelector})`, () =>
      this.core.listNamespacedPod({ namespace, labelSelector }, this.options()),
    );
    return ((list.items as JsonObject[] | undefined) ?? []).map(plainJson);
  }

  async readPod(namespace: string, name: string): Promise<JsonObject> {
    return this.call(`read pod ${namespace}/${name}`, () =>
      this.core.readNamespacedPod({ namespace, name }, this.options()),
    );
  }

  /** PATCH pods/{name}/resize with a strategic merge patch; dryRun: the API server validates, stores nothing. */
  async resizePod(namespace: string, name: string, body: JsonObject, dryRun: boolean): Promise<JsonObject> {
    return this.call(`${dryRun ? 'dry-run resize' : 'resize'} pod ${namespace}/${name}`, () =>
      this.core.patchNamespacedPodResize(
        { namespace, name, body, fieldManager: FIELD_MANAGER, ...(dryRun ? { dryRun: 'All' } : {}) },
        this.options(PatchStrategy.StrategicMergePatch),
      ),
    );
  }

  async listReplicaSets(namespace: string, labelSelector: string): Promise<JsonObject[]> {
    const list = await this.call(`list the ReplicaSets in ${namespace} (${labelSelector})`, () =>
      this.apps.listNamespacedReplicaSet({ namespace, labelSelector }, this.options()),
    );
    return ((list.items as JsonObject[] | undefined) ?? []).map(plainJson);
  }

  async readReplicaSet(namespace: string, name: string): Promise<JsonObject> {
    return this.call(`read ReplicaSet ${namespace}/${name}`, () =>
      this.apps.readNamespacedReplicaSet({ namespace, name }, this.options()),
    );
  }

  async patchReplicaSet(
    namespace: string,
    name: string,
    patch: WorkloadPatch,
    dryRun: boolean,
  ): Promise<JsonObject> {
    return this.call(`${dryRun ? 'dry-run patch' : 'patch'} ReplicaSet ${namespace}/${name}`, () =>
      this.apps.patchNamespacedReplicaSet(
        {
          namespace,
          name,
          body: patch.body,
          fieldManager: FIELD_MANAGER,
          ...(dryRun ? { dryRun: 'All' } : {}),
        },
        this.options(
          patch.type === 'json-patch' ? PatchStrategy.JsonPatch : PatchStrategy.StrategicMergePatch,
        ),
      ),
    );
  }

  private call(action: string, run: () => Promise<unknown>): Promise<JsonObject> {
    return callKubeApi(this.kube, this.timeoutMs, action, run);
  }
}
