// metadata.managedFields entries in the FieldsV1 format, so that clients see (and must strip) what a
// real server returns, and so tests can check which fieldManager wrote a change.

import { mergeKeyFor } from './patch.js';
import { isObject, type Json, type JsonObject } from './types.js';

/** The FieldsV1 set describing every leaf present in `value`. */
export function fieldsV1(value: Json, path: string[] = []): JsonObject {
  const out: JsonObject = {};
  if (isObject(value)) {
    for (const [key, child] of Object.entries(value)) {
      if (key.startsWith('$')) continue;
      out[`f:${key}`] = fieldsV1(child, [...path, key]);
    }
  } else if (Array.isArray(value)) {
    const mergeKey = mergeKeyFor(path);
    if (!mergeKey) return {};
    for (const item of value) {
      if (!isObject(item) || item[mergeKey] === undefined) continue;
      out[`k:${JSON.stringify({ [mergeKey]: item[mergeKey] })}`] = { '.': {}, ...fieldsV1(item, path) };
    }
  }
  return out;
}

/** What the API server stores for one manager's Update operation. */
export function managedFieldsEntry(
  manager: string,
  apiVersion: string,
  fields: JsonObject,
  time: string,
): JsonObject {
  return { manager, operation: 'Update', apiVersion, time, fieldsType: 'FieldsV1', fieldsV1: fields };
}

/** Records `manager`'s fields, replacing its previous Update entry as the server does. */
export function recordManager(
  existing: JsonObject[] | undefined,
  manager: string,
  apiVersion: string,
  touched: Json,
  time: string,
): JsonObject[] {
  const fields = isObject(touched) ? fieldsV1(stripMeta(touched)) : {};
  const others = (existing ?? []).filter((e) => !(e.manager === manager && e.operation === 'Update'));
  return [...others, managedFieldsEntry(manager, apiVersion, fields, time)];
}

/** Identity and bookkeeping metadata are never tracked as managed fields. */
function stripMeta(object: JsonObject): JsonObject {
  const { apiVersion: _a, kind: _k, status: _s, ...rest } = object;
  const metadata = rest.metadata;
  if (isObject(metadata)) {
    const {
      name: _n,
      namespace: _ns,
      uid: _u,
      resourceVersion: _rv,
      generation: _g,
      creationTimestamp: _c,
      managedFields: _m,
      ...meta
    } = metadata;
    if (Object.keys(meta).length > 0) rest.metadata = meta;
    else delete rest.metadata;
  }
  return rest;
}
