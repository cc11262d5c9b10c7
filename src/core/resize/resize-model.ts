// The plan's in-place resize section (one per workload): whether the cluster can resize running pods, and
// per pod what Kubernetes would do — resize it in place, restart a container (its resizePolicy says so),
// or refuse (the QoS class would change, a limit would be removed, the API server said no).

import type { ContainerResourcesText } from '../changes/container-resources.js';
import type { WorkloadPatch } from '../changes/workload-patch.js';
import type { QosClass } from './qos.js';

export type PodResizeOutcome = 'in-place' | 'restarts-container' | 'not-possible';

export interface PlannedPodResize {
  name: string;
  /** The pod the approval covers: a pod replaced since (same name, new uid) is not resized under it. */
  uid: string;
  node?: string;
  qosBefore: QosClass;
  qosAfter: QosClass;
  outcome: PodResizeOutcome;
  /** What Kubernetes will do, or why it will not (the API server's words when its dry-run refused). */
  reason: string;
  /** Containers that restart: their resizePolicy says RestartContainer for a resource that changes. */
  restartingContainers: string[];
  containers: Array<{ container: string; before: ContainerResourcesText; after: ContainerResourcesText }>;
  /** The strategic merge patch for pods/{name}/resize; null when nothing changes or it is not possible. */
  patch: Record<string, unknown> | null;
}

/**
 * A Deployment's running pods survive its template change only if the ReplicaSet that runs them gets the
 * same template: the Deployment controller then finds that ReplicaSet as the one of its new template (it
 * compares templates without the pod-template-hash label) and creates no new one. Between the two writes the
 * controller would see a template no ReplicaSet has and start a rollout, so the Deployment is paused with
 * its template change and resumed once the ReplicaSet matches.
 */
export interface ReplicaSetAlignment {
  name: string;
  uid: string;
  resourceVersion: string;
  /** Conditioned on `resourceVersion`. */
  patch: WorkloadPatch;
  /** false when the Deployment is paused already (it is then left paused, as it was). */
  pausesDeployment: boolean;
  containers: Array<{ container: string; before: ContainerResourcesText; after: ContainerResourcesText }>;
}

export interface InPlaceResizePlan {
  /** The API server serves pods/resize (Kubernetes ≥ 1.33 and the subresource in discovery). */
  supported: boolean;
  serverVersion?: string;
  /**
   * Every running pod can take the new values in place (some maybe by restarting a container), and the
   * template change will not make the controller replace them. Only then may the person choose it.
   */
  offered: boolean;
  /** Why it is not offered (absent when offered). */
  reason?: string;
  /** Deployments: the ReplicaSet whose template is aligned before the Deployment is patched. */
  replicaSet?: ReplicaSetAlignment;
  pods: PlannedPodResize[];
}
