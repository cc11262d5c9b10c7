// The three patch types kube-apiserver accepts from clients other than server-side apply:
// strategic merge (built-in types only), JSON merge patch (RFC 7386) and JSON patch (RFC 6902).

import { clone, deepEqual, isObject, type Json, type JsonObject } from './types.js';

/** A patch that cannot be applied; the router maps `code` to the matching Status. */
export class PatchError extends Error {
  constructor(
    message: string,
    readonly code: 400 | 409 | 422 | 500,
  ) {
    super(message);
  }
}

// ---------------------------------------------------------------------------------------------
// RFC 7386 JSON merge patch

export function mergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return clone(patch);
  const result: JsonObject = isObject(target) ? clone(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key] ?? null, value);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Strategic merge patch

/**
 * Merge keys from the Go struct tags (patchStrategy:"merge" patchMergeKey:"…") of the fields a
 * rightsizing client touches. Lists not named here are atomic and replaced wholesale, as in the server.
 */
export function mergeKeyFor(path: readonly string[]): string | undefined {
  const field = path.at(-1);
  const parent = path.at(-2);
  const inContainer =
    parent === 'containers' || parent === 'initContainers' || parent === 'ephemeralContainers';
  switch (field) {
    case 'containers':
    case 'initContainers':
    case 'ephemeralContainers':
    case 'volumes':
    case 'imagePullSecrets':
      return 'name';
    case 'env':
      return inContainer ? 'name' : undefined;
    case 'ports':
      if (inContainer) return 'containerPort';
      return path.length === 2 && path[0] === 'spec' ? 'port' : undefined;
    case 'volumeMounts':
      return inContainer ? 'mountPath' : undefined;
    case 'volumeDevices':
      return inContainer ? 'devicePath' : undefined;
    case 'ownerReferences':
      return parent === 'metadata' ? 'uid' : undefined;
    case 'conditions':
      return parent === 'status' ? 'type' : undefined;
    case 'hostAliases':
      return 'ip';
    case 'topologySpreadConstraints':
      return 'topologyKey';
    default:
      return undefined;
  }
}

/** Primitive lists with patchStrategy "merge" (set union). */
function isMergedPrimitiveList(path: readonly string[]): boolean {
  return path.at(-1) === 'finalizers' && path.at(-2) === 'metadata';
}

const DIRECTIVE = '$patch';
const ORDER_PREFIX = '$setElementOrder/';
const DELETE_PRIMITIVE_PREFIX = '$deleteFromPrimitiveList/';
const RETAIN_KEYS = '$retainKeys';

export function strategicMergePatch(target: JsonObject, patch: JsonObject): JsonObject {
  return strategicMergeMap(target, patch, []);
}

function strategicMergeMap(target: JsonObject | undefined, patch: JsonObject, path: string[]): JsonObject {
  const directive = patch[DIRECTIVE];
  if (directive === 'replace') {
    const { [DIRECTIVE]: _ignored, ...rest } = patch;
    return stripDirectives(rest, path) as JsonObject;
  }
  if (directive !== undefined && directive !== 'delete') {
    throw new PatchError(`Unknown patch type: ${String(directive)} in map: ${JSON.stringify(patch)}`, 400);
  }
  const result: JsonObject = target ? clone(target) : {};
  const retainKeys = patch[RETAIN_KEYS];
  if (Array.isArray(retainKeys)) {
    for (const key of Object.keys(result)) {
      if (!retainKeys.includes(key) && !(key in patch)) delete result[key];
    }
  }
  // Element-order hints only reorder; the merged content is the same, so they are accepted and ignored.
  for (const [key, value] of Object.entries(patch)) {
    if (key === DIRECTIVE || key === RETAIN_KEYS || key.startsWith(ORDER_PREFIX)) continue;
    if (key.startsWith(DELETE_PRIMITIVE_PREFIX)) {
      const field = key.slice(DELETE_PRIMITIVE_PREFIX.length);
      const current = result[field];
      if (Array.isArray(current) && Array.isArray(value)) {
        result[field] = current.filter((item) => !value.some((v) => deepEqual(v, item)));
      }
      continue;
    }
    const childPath = [...path, key];
    if (value === null) {
      delete result[key];
    } else if (isObject(value)) {
      if (value[DIRECTIVE] === 'delete') delete result[key];
      else {
        const existing = result[key];
        result[key] = strategicMergeMap(isObject(existing) ? existing : undefined, value, childPath);
      }
    } else if (Array.isArray(value)) {
      const existing = result[key];
      result[key] = strategicMergeList(Array.isArray(existing) ? existing : [], value, childPath);
    } else {
      result[key] = value;
    }
  }
  return result;
}

function strategicMergeList(target: Json[], patch: Json[], path: string[]): Json[] {
  const mergeKey = mergeKeyFor(path);
  if (patch.some((item) => isObject(item) && item[DIRECTIVE] === 'replace')) {
    return patch
      .filter((item) => !(isObject(item) && item[DIRECTIVE] === 'replace'))
      .map((i) => stripDirectives(i, path));
  }
  if (isMergedPrimitiveList(path)) {
    const result = [...target];
    for (const item of patch) if (!result.some((existing) => deepEqual(existing, item))) result.push(item);
    return result;
  }
  if (!mergeKey) return patch.map((item) => stripDirectives(item, path));
  const result = clone(target);
  for (const item of patch) {
    if (!isObject(item)) {
      throw new PatchError(`unable to find api field in struct for the patch: ${JSON.stringify(item)}`, 400);
    }
    const keyValue = item[mergeKey];
    if (keyValue === undefined) {
      throw new PatchError(`map: ${goMap(item)} does not contain declared merge key: ${mergeKey}`, 500);
    }
    const index = result.findIndex(
      (existing) => isObject(existing) && deepEqual(existing[mergeKey], keyValue),
    );
    if (item[DIRECTIVE] === 'delete') {
      if (index >= 0) result.splice(index, 1);
      continue;
    }
    const existing = index >= 0 ? result[index] : undefined;
    const merged = strategicMergeMap(isObject(existing) ? existing : undefined, item, path);
    if (index >= 0) result[index] = merged;
    else result.push(merged);
  }
  return result;
}

function stripDirectives(value: Json, path: string[]): Json {
  if (Array.isArray(value)) return value.map((item) => stripDirectives(item, path));
  if (!isObject(value)) return value;
  return strategicMergeMap(undefined, value, path);
}

/** Go's %v rendering of a map, which is what the server's merge-key error prints. */
function goMap(value: JsonObject): string {
  const parts = Object.keys(value)
    .sort()
    .map((k) => {
      const v = value[k];
      return `${k}:${isObject(v) ? goMap(v) : Array.isArray(v) ? `[${v.map((x) => (isObject(x) ? goMap(x) : String(x))).join(' ')}]` : String(v)}`;
    });
  return `map[${parts.join(' ')}]`;
}

// ---------------------------------------------------------------------------------------------
// RFC 6902 JSON patch

interface Operation {
  op: string;
  path: string;
  from?: string;
  value?: Json;
}

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new PatchError(`invalid JSON pointer: "${pointer}"`, 400);
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentAndKey(doc: Json, pointer: string): { parent: Json; key: string } {
  const parts = parsePointer(pointer);
  const key = parts.pop();
  if (key === undefined) throw new PatchError('replacing the whole document is not supported', 422);
  let parent: Json = doc;
  for (const part of parts) {
    const next: Json | undefined = Array.isArray(parent)
      ? parent[arrayIndex(part, parent.length - 1)]
      : isObject(parent)
        ? parent[part]
        : undefined;
    if (next === undefined) throw new PatchError(`doc is missing path: "${pointer}": missing value`, 422);
    parent = next;
  }
  return { parent, key };
}

function arrayIndex(part: string, max: number): number {
  if (!/^(0|[1-9][0-9]*)$/.test(part)) throw new PatchError(`Unable to access invalid index: ${part}`, 422);
  const index = Number(part);
  if (index > max) throw new PatchError(`Unable to access invalid index: ${index}`, 422);
  return index;
}

function getAt(doc: Json, pointer: string): Json {
  if (pointer === '') return doc;
  const { parent, key } = parentAndKey(doc, pointer);
  const value = Array.isArray(parent)
    ? parent[arrayIndex(key, parent.length - 1)]
    : isObject(parent)
      ? parent[key]
      : undefined;
  if (value === undefined) throw new PatchError(`doc is missing path: "${pointer}": missing value`, 422);
  return value;
}

function removeAt(doc: Json, pointer: string): Json {
  const { parent, key } = parentAndKey(doc, pointer);
  if (Array.isArray(parent)) {
    const index = arrayIndex(key, parent.length - 1);
    return parent.splice(index, 1)[0] ?? null;
  }
  if (isObject(parent) && key in parent) {
    const old = parent[key] ?? null;
    delete parent[key];
    return old;
  }
  throw new PatchError(`Unable to remove nonexistent key: ${key}: missing value`, 422);
}

function addAt(doc: Json, pointer: string, value: Json): void {
  const { parent, key } = parentAndKey(doc, pointer);
  if (Array.isArray(parent)) {
    const index = key === '-' ? parent.length : arrayIndex(key, parent.length);
    parent.splice(index, 0, clone(value));
  } else if (isObject(parent)) {
    parent[key] = clone(value);
  } else {
    throw new PatchError(`doc is missing path: "${pointer}": missing value`, 422);
  }
}

function replaceAt(doc: Json, pointer: string, value: Json): void {
  const { parent, key } = parentAndKey(doc, pointer);
  if (Array.isArray(parent)) {
    parent[arrayIndex(key, parent.length - 1)] = clone(value);
  } else if (isObject(parent) && key in parent) {
    parent[key] = clone(value);
  } else {
    throw new PatchError(
      `replace operation does not apply: doc is missing key: ${pointer}: missing value`,
      422,
    );
  }
}

export function jsonPatch(target: JsonObject, operations: Json): JsonObject {
  if (!Array.isArray(operations)) {
    throw new PatchError('json: cannot unmarshal object into Go value of type jsonpatch.Patch', 400);
  }
  const doc: JsonObject = clone(target);
  for (const raw of operations) {
    if (!isObject(raw) || typeof raw.op !== 'string' || typeof raw.path !== 'string') {
      throw new PatchError(`invalid JSON patch operation: ${JSON.stringify(raw)}`, 400);
    }
    const op = raw as unknown as Operation;
    const needsValue = op.op === 'add' || op.op === 'replace' || op.op === 'test';
    if (needsValue && !('value' in raw)) throw new PatchError(`missing value for operation "${op.op}"`, 400);
    switch (op.op) {
      case 'add':
        addAt(doc, op.path, op.value ?? null);
        break;
      case 'remove':
        removeAt(doc, op.path);
        break;
      case 'replace':
        replaceAt(doc, op.path, op.value ?? null);
        break;
      case 'move': {
        if (op.from === undefined) throw new PatchError('missing from for operation "move"', 400);
        addAt(doc, op.path, removeAt(doc, op.from));
        break;
      }
      case 'copy':
        if (op.from === undefined) throw new PatchError('missing from for operation "copy"', 400);
        addAt(doc, op.path, getAt(doc, op.from));
        break;
      case 'test': {
        const actual = getAt(doc, op.path);
        if (!deepEqual(actual, op.value)) {
          throw new PatchError(`testing value ${op.path} failed: test failed`, 422);
        }
        break;
      }
      default:
        throw new PatchError(`Unexpected kind: ${op.op}`, 400);
    }
  }
  return doc;
}
