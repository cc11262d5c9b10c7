import { ApiException } from '@kubernetes/client-node';
import { ExplainedError, type Explanation } from '../input/parameters.js';

/** A Kubernetes API failure, described so that a person or an agent knows what to do next. */
export class KubeApiError extends ExplainedError {
  override name = 'KubeApiError';
  constructor(
    message: string | Explanation,
    readonly status?: number,
    readonly reason?: string,
    /** The API server's own words (its Status message), when it answered. */
    readonly detail?: string,
  ) {
    super(message);
  }
}

interface StatusBody {
  message?: string;
  reason?: string;
}

function statusBody(body: unknown): StatusBody {
  if (typeof body === 'string') {
    try {
      return JSON.parse(body) as StatusBody;
    } catch {
      return { message: body.slice(0, 300) };
    }
  }
  return typeof body === 'object' && body !== null ? (body as StatusBody) : {};
}

/**
 * Wraps any error from client-node into a KubeApiError naming the action, the cluster and the fix.
 * `forbidden`: what to do about a 403 (a scan can be narrowed; a write needs the permission).
 */
export function describeKubeError(
  error: unknown,
  action: string,
  server: string,
  forbidden: Explanation = (name) => `Ask for RBAC permissions or narrow the scan with ${name('namespace')}.`,
): KubeApiError {
  if (error instanceof KubeApiError) return error;
  if (error instanceof ApiException) {
    const status = statusBody(error.body);
    const detail = status.message ?? `HTTP ${error.code}`;
    switch (error.code) {
      case 401:
        return new KubeApiError(
          `The Kubernetes API at ${server} rejected the credentials while trying to ${action} (401 Unauthorized). Refresh the kubeconfig's credentials (log in again) and retry.`,
          401,
          status.reason,
        );
      case 403:
        return new KubeApiError(
          (name) => `Not allowed to ${action} (403 Forbidden): ${detail}. ${forbidden(name)}`,
          403,
          status.reason,
        );
      case 404:
        return new KubeApiError(`Not found while trying to ${action}: ${detail}`, 404, status.reason, detail);
      default:
        return new KubeApiError(
          `The Kubernetes API answered ${error.code} while trying to ${action}: ${detail}`,
          error.code,
          status.reason,
          detail,
        );
    }
  }
  const e = error as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
  const code = e.code ?? e.cause?.code;
  if (
    code === 'ECONNREFUSED' ||
    code === 'ENOTFOUND' ||
    code === 'EHOSTUNREACH' ||
    code === 'ETIMEDOUT' ||
    code === 'ECONNRESET'
  ) {
    return new KubeApiError(
      `Cannot reach the Kubernetes API at ${server} (${code}) while trying to ${action}. Check the context and your network/VPN.`,
    );
  }
  return new KubeApiError(`Failed to ${action} on ${server}: ${e.message ?? String(error)}`);
}
