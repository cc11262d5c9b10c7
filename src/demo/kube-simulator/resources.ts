// GET / LIST / PATCH / PUT / POST / DELETE on resource objects, with kube-apiserver's semantics for
// versions, paging, optimistic concurrency, dry-run, generation and managedFields.

import { hpaV1ToV2, hpaV2ToV1 } from './hpa.js';
import { recordManager } from './managed-fields.js';
import { jsonPatch, mergePatch, PatchError, strategicMergePatch } from './patch.js';
import { apiVersionOf, type ResourceRegistry, type ResourceType } from './registry.js';
import { matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector } from './selectors.js';
import {
  alreadyExists,
  badRequest,
  conflict,
  invalid,
  notFound,
  status,
  StatusError,
  unsupportedMediaType,
  type StatusCause,
} from './status.js';
import type { ObjectStore } from './store.js';
import { clone, deepEqual, isObject, type Json, type JsonObject, type KubeObject } from './types.js';
import {
  canonicalizeQuantities,
  QUANTITY_ERROR,
  undecodableQuantities,
  validateObject,
} from './validation.js';

export interface ResourceRequest {
  type: ResourceType;
  namespace?: string;
  name?: string;
  query: URLSearchParams;
  contentType: string;
  body: Buffer;
  userAgent: string;
}

export const PATCH_TYPES = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
} as const;

export class ResourceHandlers {
  constructor(
    private readonly registry: ResourceRegistry,
    private readonly store: ObjectStore,
  ) {}

  // ---- version conversion between the stored form and the served one ----

  private toServed(type: ResourceType, stored: KubeObject): KubeObject {
    if (type.storageKey === 'autoscaling/horizontalpodautoscalers' && type.version === 'v1')
      return hpaV2ToV1(stored);
    return stored;
  }

  private toStored(type: ResourceType, served: KubeObject, current: KubeObject | undefined): KubeObject {
    if (type.storageKey === 'autoscaling/horizontalpodautoscalers' && type.version === 'v1') {
      return hpaV1ToV2(served, current);
    }
    return served;
  }

  private storageApiVersion(type: ResourceType): string {
    const storage = this.registry.byStorageKey(type.storageKey) ?? type;
    return apiVersionOf(storage);
  }

  // ---- reads ----

  get(req: ResourceRequest): KubeObject {
    const stored = this.store.read(req.type, req.namespace, req.name ?? '');
    if (!stored) throw notFound(req.type.resource, req.type.group, req.name ?? '');
    return this.toServed(req.type, stored);
  }

  list(req: ResourceRequest): object {
    const { type, query } = req;
    const labelText = query.get('labelSelector') ?? undefined;
    const fieldText = query.get('fieldSelector') ?? undefined;
    const labels = parseLabelSelector(labelText);
    const fields = parseFieldSelector(fieldText, type.resource);
    let items = this.store
      .readAll(type, req.namespace)
      .filter((o) => matchesLabels(labels, o.metadata.labels) && matchesFields(fields, o));
    const resourceVersion = this.store.currentResourceVersion();
    const continueToken = query.get('continue');
    if (continueToken) {
      const after = decodeContinue(continueToken);
      items = items.filter((o) => objectKey(o) > after);
    }
    const limit = Number(query.get('limit') ?? '0');
    const meta: JsonObject = { resourceVersion };
    if (Number.isInteger(limit) && limit > 0 && items.length > limit) {
      const remaining = items.length - limit;
      items = items.slice(0, limit);
      const last = items.at(-1);
      if (last) meta.continue = encodeContinue(objectKey(last), resourceVersion);
      // The server can only count what is left when nothing is filtered out.
      if (!labelText && !fieldText) meta.remainingItemCount = remaining;
    }
    return {
      kind: `${type.kind}List`,
      apiVersion: apiVersionOf(type),
      metadata: meta,
      // Items of a typed list carry no apiVersion/kind on the wire.
      items: items.map((o) => {
        const { apiVersion: _a, kind: _k, ...rest } = this.toServed(type, o);
        return rest;
      }),
    };
  }

  // ---- writes ----

  patch(req: ResourceRequest): KubeObject {
    const { type } = req;
    const name = req.name ?? '';
    const mediaType = req.contentType.split(';')[0]?.trim().toLowerCase() ?? '';
    const accepted = type.custom
      ? [PATCH_TYPES.json, PATCH_TYPES.merge]
      : [PATCH_TYPES.json, PATCH_TYPES.merge, PATCH_TYPES.strategic];
    // Server-side apply is not modelled; refusing it loudly beats pretending to merge by field ownership.
    if (!accepted.includes(mediaType as (typeof accepted)[number]))
      throw unsupportedMediaType(mediaType, accepted);
    const currentStored = this.store.read(type, req.namespace, name);
    if (!currentStored) throw notFound(type.resource, type.group, name);
    const { patched, touched } = applyPatchBody(req, this.toServed(type, currentStored));
    return this.commitUpdate(req, currentStored, patched as unknown as KubeObject, touched, 'patch');
  }

  replace(req: ResourceRequest): KubeObject {
    const { type } = req;
    const name = req.name ?? '';
    const body = parseJson(req.body);
    if (!isObject(body) || !isObject(body.metadata ?? null))
      throw badRequest('the body of the request must be an object');
    const bodyName = (body.metadata as JsonObject).name;
    if (bodyName !== name) {
      throw badRequest(
        `the name of the object (${String(bodyName)}) does not match the name on the URL (${name})`,
      );
    }
    const currentStored = this.store.read(type, req.namespace, name);
    if (!currentStored) throw notFound(type.resource, type.group, name);
    return this.commitUpdate(req, currentStored, body as unknown as KubeObject, body, 'update');
  }

  create(req: ResourceRequest): KubeObject {
    const { type } = req;
    const body = parseJson(req.body);
    if (!isObject(body) || !isObject(body.metadata ?? null))
      throw badRequest('the body of the request must be an object');
    const object = clone(body) as unknown as KubeObject;
    const name = object.metadata.name;
    if (typeof name !== 'string' || name === '') {
      throw invalid(qualifiedKind(type), type.group, type.kind, '', [
        {
          reason: 'FieldValueRequired',
          message: 'Required value: name or generateName is required',
          field: 'metadata.name',
        },
      ]);
    }
    if (type.namespaced) object.metadata.namespace = req.namespace;
    // The server decides the type from the URL, whatever the body says (or leaves out).
    object.apiVersion = apiVersionOf(type);
    object.kind = type.kind;
    if (this.store.read(type, req.namespace, name)) throw alreadyExists(type.resource, type.group, name);
    const stored = this.prepare(req, this.toStored(type, object, undefined), undefined, 'create');
    stored.metadata.uid = crypto.randomUUID();
    stored.metadata.creationTimestamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    stored.metadata.generation = 1;
    stored.metadata.managedFields = recordManager(
      undefined,
      fieldManager(req),
      apiVersionOf(type),
      body,
      stored.metadata.creationTimestamp,
    );
    if (isDryRun(req.query)) return this.toServed(type, stored);
    stored.metadata.resourceVersion = this.store.nextResourceVersion();
    return this.toServed(type, this.store.write(type, stored));
  }

  delete(req: ResourceRequest): object {
    const { type } = req;
    const name = req.name ?? '';
    const current = this.store.read(type, req.namespace, name);
    if (!current) throw notFound(type.resource, type.group, name);
    if (!isDryRun(req.query)) this.store.remove(type, req.namespace, name);
    // Foreground/orphan propagation and finalizers are not modelled: the object goes at once.
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      details: { name, group: type.group, kind: type.resource, uid: current.metadata.uid },
    };
  }

  /**
   * Decoding and validation shared by create and update: built-in types fail to decode bad quantities
   * (a 400 on create/update, a 422 "patch" cause on patch) and then canonicalize the rest.
   */
  private prepare(
    req: ResourceRequest,
    object: KubeObject,
    old: KubeObject | undefined,
    verb: 'create' | 'update' | 'patch',
  ): KubeObject {
    const { type } = req;
    const name = object.metadata.name;
    if (!type.custom) {
      const bad = undecodableQuantities(object, type.kind);
      if (bad.length > 0) {
        if (verb === 'patch') {
          throw invalid('', '', '', '', [
            {
              reason: 'FieldValueInvalid',
              message: `Invalid value: ${JSON.stringify(req.body.toString('utf8'))}: ${QUANTITY_ERROR}`,
              field: 'patch',
            },
          ]);
        }
        throw badRequest(
          `${type.kind} in version "${type.version}" cannot be handled as a ${type.kind}: ${QUANTITY_ERROR}`,
        );
      }
      canonicalizeQuantities(object, type.kind);
    }
    const causes: StatusCause[] = validateObject(type, object, old);
    if (causes.length > 0) throw invalid(qualifiedKind(type), type.group, type.kind, name, causes);
    return object;
  }

  private commitUpdate(
    req: ResourceRequest,
    currentStored: KubeObject,
    served: KubeObject,
    touched: Json,
    verb: 'update' | 'patch',
  ): KubeObject {
    const { type } = req;
    const name = currentStored.metadata.name;
    if (!isObject((served as unknown as JsonObject).metadata ?? null)) served.metadata = { name };
    // A resourceVersion in the body (or left by a JSON patch) is a precondition on the stored one.
    const precondition = served.metadata.resourceVersion;
    if (
      precondition !== undefined &&
      precondition !== '' &&
      precondition !== currentStored.metadata.resourceVersion
    ) {
      throw conflict(type.resource, type.group, name);
    }
    const next = clone(this.toStored(type, served, currentStored));
    next.apiVersion = this.storageApiVersion(type);
    next.kind = type.kind;
    const meta = next.metadata;
    meta.name = name;
    if (type.namespaced) meta.namespace = currentStored.metadata.namespace;
    else delete meta.namespace;
    meta.uid = currentStored.metadata.uid;
    meta.creationTimestamp = currentStored.metadata.creationTimestamp;
    meta.resourceVersion = currentStored.metadata.resourceVersion;
    meta.generation = currentStored.metadata.generation;
    meta.managedFields = currentStored.metadata.managedFields;
    // Writes to the main resource never change status; that is the status subresource's job.
    if (currentStored.status !== undefined) next.status = clone(currentStored.status);
    else delete next.status;
    const prepared = this.prepare(req, next, currentStored, verb);
    // A no-op write is not persisted: same resourceVersion, no managedFields churn.
    if (deepEqual(prepared, currentStored)) return this.toServed(type, currentStored);
    if (!deepEqual(prepared.spec, currentStored.spec))
      meta.generation = (currentStored.metadata.generation ?? 1) + 1;
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    meta.managedFields = recordManager(
      currentStored.metadata.managedFields,
      fieldManager(req),
      apiVersionOf(type),
      touched,
      now,
    );
    if (isDryRun(req.query)) return this.toServed(type, prepared);
    meta.resourceVersion = this.store.nextResourceVersion();
    return this.toServed(type, this.store.write(type, prepared));
  }
}

export function qualifiedKind(type: ResourceType): string {
  return type.group ? `${type.kind}.${type.group}` : type.kind;
}

/**
 * Applies a PATCH body of the request's media type (checked by the caller) to the served object. `touched` is
 * what the patch names, for managedFields (a JSON patch names nothing the way a merge patch does).
 */
export function applyPatchBody(
  req: ResourceRequest,
  current: KubeObject,
): { patched: JsonObject; touched: Json } {
  const mediaType = req.contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  const body = parseJson(req.body);
  try {
    if (mediaType === PATCH_TYPES.json)
      return { patched: jsonPatch(current as unknown as JsonObject, body), touched: {} };
    if (!isObject(body)) throw new PatchError('the patch body must be a JSON object', 400);
    const patched =
      mediaType === PATCH_TYPES.strategic
        ? strategicMergePatch(current as unknown as JsonObject, body)
        : (mergePatch(current as unknown as JsonObject, body) as JsonObject);
    return { patched, touched: body };
  } catch (error) {
    if (error instanceof PatchError) throw patchErrorStatus(error);
    throw error;
  }
}

/** dryRun accepts only "All"; anything else is rejected like the real server. */
export function isDryRun(query: URLSearchParams): boolean {
  const values = query.getAll('dryRun');
  for (const value of values) {
    if (value !== 'All')
      throw badRequest(`Invalid dryRun value: ${JSON.stringify(value)}; supported values: "All"`);
  }
  return values.length > 0;
}

/** The explicit fieldManager, else the User-Agent's product token, as kube-apiserver defaults it. */
export function fieldManager(req: ResourceRequest): string {
  const explicit = req.query.get('fieldManager');
  if (explicit) {
    if (explicit.length > 128) throw badRequest(`fieldManager: Too long: may not be longer than 128`);
    return explicit;
  }
  return (req.userAgent.split('/')[0] ?? '').slice(0, 128) || 'unknown';
}

function parseJson(body: Buffer): Json {
  try {
    return JSON.parse(body.toString('utf8')) as Json;
  } catch (error) {
    throw badRequest(`error decoding patch: ${(error as Error).message}`);
  }
}

function patchErrorStatus(error: PatchError): StatusError {
  if (error.code === 422) {
    return new StatusError(status(422, 'Invalid', error.message));
  }
  if (error.code === 500) return new StatusError(status(500, 'InternalError', error.message));
  return badRequest(error.message);
}

function objectKey(o: KubeObject): string {
  return `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}

function encodeContinue(key: string, resourceVersion: string): string {
  return Buffer.from(
    JSON.stringify({ v: 'meta.k8s.io/v1', rv: Number(resourceVersion), start: `${key}\u0000` }),
  ).toString('base64');
}

function decodeContinue(token: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { start?: unknown };
    if (typeof parsed.start !== 'string') throw new Error('no start key');
    return parsed.start.endsWith('\u0000') ? parsed.start.slice(0, -1) : parsed.start;
  } catch {
    throw badRequest('continue key is not valid: illegal base64 data at input byte 0');
  }
}
