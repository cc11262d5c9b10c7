// One call to client-node's typed APIs as krr-mcp makes them: a per-request timeout (a hanging API server
// must not stall an apply), the answer as plain JSON (the typed models carry Dates and class instances;
// plans, diffs, snapshots and the audit log want plain data), and errors that say what to fix.

import {
  Observable,
  setHeaderOptions,
  type ObservableMiddleware,
  type RequestContext,
  type ResponseContext,
} from '@kubernetes/client-node';
import { describeKubeError, KubeApiError } from './errors.js';
import type { KubeTarget } from './kubeconfig.js';

/** Who wrote a change, in managedFields. */
export const FIELD_MANAGER = 'krr-mcp';
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

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

/** The request options of one call: its timeout, and the patch's content type when it sends one. */
export function requestOptions(timeoutMs: number, contentType?: string) {
  const base = { middleware: [timeoutMiddleware(timeoutMs)], middlewareMergeStrategy: 'append' as const };
  return contentType ? setHeaderOptions('Content-Type', contentType, base) : base;
}

export function plainJson(object: unknown): Record<string, unknown> {
  return JSON.parse(JSON.stringify(object ?? {})) as Record<string, unknown>;
}

/** The RBAC verb an action ("read …", "list …", "patch …", "resize …") needs. */
function rbacVerb(action: string): string {
  if (action.startsWith('read')) return 'get';
  if (action.startsWith('list')) return 'list';
  return 'patch';
}

/** Runs one API call (`action` names it for messages, e.g. "patch Deployment shop/web"). */
export async function callKubeApi(
  kube: KubeTarget,
  timeoutMs: number,
  action: string,
  run: () => Promise<unknown>,
): Promise<Record<string, unknown>> {
  try {
    return plainJson(await run());
  } catch (error) {
    const e = error as { name?: string; type?: string };
    if (e?.name === 'AbortError' || e?.name === 'TimeoutError' || e?.type === 'aborted') {
      throw new KubeApiError(
        `The Kubernetes API at ${kube.identity.server} did not answer within ${timeoutMs / 1000} s while trying to ${action}.`,
      );
    }
    throw describeKubeError(
      error,
      action,
      kube.identity.server,
      () => `The kubeconfig's user needs RBAC permission to ${rbacVerb(action)} this object.`,
    );
  }
}
