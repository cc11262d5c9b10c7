// Status objects with the reasons, codes and message shapes kube-apiserver produces, so that client
// code parsing `ApiException.body` sees what it would see against a real cluster.

export interface StatusCause {
  reason: string;
  message: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure';
  message: string;
  reason: string;
  details?: StatusDetails;
  code: number;
}

/** Thrown anywhere in request handling; the router turns it into the Status response. */
export class StatusError extends Error {
  constructor(readonly status: Status) {
    super(status.message);
  }
}

export function status(code: number, reason: string, message: string, details?: StatusDetails): Status {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  };
}

function fail(code: number, reason: string, message: string, details?: StatusDetails): StatusError {
  return new StatusError(status(code, reason, message, details));
}

/** "deployments.apps" for a group resource, "pods" for the core group. */
export function qualifiedResource(resource: string, group: string): string {
  return group ? `${resource}.${group}` : resource;
}

export function notFound(resource: string, group: string, name: string): StatusError {
  return fail(404, 'NotFound', `${qualifiedResource(resource, group)} "${name}" not found`, {
    name,
    group,
    kind: resource,
  });
}

export function pathNotFound(): StatusError {
  // What kube-apiserver answers for a path no handler is registered for.
  return fail(404, 'NotFound', 'the server could not find the requested resource', {});
}

export function conflict(resource: string, group: string, name: string): StatusError {
  return fail(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedResource(resource, group)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    { name, group, kind: resource },
  );
}

export function alreadyExists(resource: string, group: string, name: string): StatusError {
  return fail(409, 'AlreadyExists', `${qualifiedResource(resource, group)} "${name}" already exists`, {
    name,
    group,
    kind: resource,
  });
}

/**
 * 422 Invalid. `qualifiedKind` is "Deployment.apps" (or "" when the server could not even decode the
 * object); a single cause is inlined, several are bracketed, as field.ErrorList.ToAggregate prints them.
 */
export function invalid(
  qualifiedKind: string,
  group: string,
  kind: string,
  name: string,
  causes: StatusCause[],
) {
  const text = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message));
  const joined = text.length === 1 ? (text[0] ?? '') : `[${text.join(', ')}]`;
  return fail(422, 'Invalid', `${qualifiedKind} "${name}" is invalid: ${joined}`, {
    name,
    group,
    kind,
    causes,
  });
}

export function badRequest(message: string): StatusError {
  return fail(400, 'BadRequest', message);
}

export function unauthorized(): StatusError {
  return fail(401, 'Unauthorized', 'Unauthorized');
}

export function forbidden(message: string, details: StatusDetails): StatusError {
  return fail(403, 'Forbidden', message, details);
}

export function methodNotAllowed(method: string): StatusError {
  return fail(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`, {
    causes: [{ reason: 'UnexpectedServerResponse', message: method }],
  });
}

export function unsupportedMediaType(contentType: string, accepted: string[]): StatusError {
  return fail(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
    { causes: [{ reason: 'UnexpectedServerResponse', message: contentType }] },
  );
}

export function serviceUnavailable(message: string): StatusError {
  return fail(503, 'ServiceUnavailable', message);
}

/** A Status for an injected fault: the reason kube-apiserver uses for that code. */
export function statusForCode(code: number, message?: string): Status {
  const reasons: Record<number, string> = {
    400: 'BadRequest',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'NotFound',
    405: 'MethodNotAllowed',
    409: 'Conflict',
    410: 'Expired',
    415: 'UnsupportedMediaType',
    422: 'Invalid',
    429: 'TooManyRequests',
    500: 'InternalError',
    503: 'ServiceUnavailable',
    504: 'Timeout',
  };
  const reason = reasons[code] ?? 'Unknown';
  return status(code, reason, message ?? `injected fault: ${reason} (${code})`);
}
