// Whether a cluster resizes running pods in place: Kubernetes 1.33 or later (beta and on by default; GA in
// 1.35) and the `pods/resize` subresource in the core API's discovery. Both are asked: a 1.33 cluster with
// the feature gate turned off does not list the subresource, and a patched older server might list it.

import { CoreV1Api, VersionApi } from '@kubernetes/client-node';
import type { KubeTarget } from '../kube/kubeconfig.js';

export interface ResizeSupport {
  supported: boolean;
  /** The API server's gitVersion ("v1.33.1"), when it answered. */
  serverVersion?: string;
  /** The minor version as a number, when it could be read. */
  minor?: number;
  /** Why not (absent when supported). */
  reason?: string;
}

export const FIRST_RESIZE_MINOR = 33;

/** "1", "33+" (GKE/EKS append "+") → 1 and 33. */
function versionNumber(text: string | undefined): number | undefined {
  const match = /^(\d+)/.exec(text ?? '');
  return match ? Number(match[1]) : undefined;
}

export async function detectResizeSupport(kube: KubeTarget): Promise<ResizeSupport> {
  let version;
  try {
    version = await kube.kubeConfig.makeApiClient(VersionApi).getCode();
  } catch (error) {
    return {
      supported: false,
      reason: `the API server's version could not be read: ${(error as Error).message}`,
    };
  }
  const major = versionNumber(version.major);
  const minor = versionNumber(version.minor);
  const serverVersion = version.gitVersion;
  const known = { ...(serverVersion ? { serverVersion } : {}), ...(minor !== undefined ? { minor } : {}) };
  if (major !== 1 || minor === undefined || minor < FIRST_RESIZE_MINOR)
    return {
      ...known,
      supported: false,
      reason: `the cluster runs Kubernetes ${serverVersion ?? `${version.major}.${version.minor}`}; in-place pod resize needs 1.33 or later`,
    };
  try {
    const resources = await kube.kubeConfig.makeApiClient(CoreV1Api).getAPIResources();
    if (!resources.resources.some((r) => r.name === 'pods/resize'))
      return {
        ...known,
        supported: false,
        reason: `the API server (${serverVersion}) does not list the pods/resize subresource (the InPlacePodVerticalScaling feature gate may be off)`,
      };
  } catch (error) {
    return {
      ...known,
      supported: false,
      reason: `the core API's discovery could not be read: ${(error as Error).message}`,
    };
  }
  return { ...known, supported: true };
}
