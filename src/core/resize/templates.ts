// Comparing pod templates the way the Deployment controller does (EqualIgnoreHash: semantically equal apart
// from the pod-template-hash label), and reading owners and selectors from plain API objects.

import { canonicalJson } from '../canonical-json.js';
import { quantityValue } from '../changes/quantity-format.js';
import type { JsonObject } from '../changes/workload-object.js';

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Quantities by value ("1" and "1000m" are one amount), the hash label gone, empty maps and lists gone. */
function normalized(value: unknown, path: string[] = []): unknown {
  if (Array.isArray(value)) {
    const items = value.map((v) => normalized(v, path));
    return items.length > 0 ? items : undefined;
  }
  if (isObject(value)) {
    const out: JsonObject = {};
    for (const [key, child] of Object.entries(value)) {
      if (key === 'pod-template-hash' && path.at(-1) === 'labels') continue;
      const inResources = path.at(-1) === 'requests' || path.at(-1) === 'limits';
      const next =
        inResources && typeof child === 'string'
          ? (quantityValue(child) ?? child)
          : normalized(child, [...path, key]);
      if (next !== undefined && next !== null) out[key] = next;
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }
  return value;
}

export function sameTemplate(a: unknown, b: unknown): boolean {
  return canonicalJson(normalized(a) ?? null) === canonicalJson(normalized(b) ?? null);
}

export function ownedBy(object: JsonObject, uid: string): boolean {
  const refs = (object.metadata as JsonObject | undefined)?.ownerReferences;
  return Array.isArray(refs) && refs.some((r) => isObject(r) && r.uid === uid && r.controller === true);
}

export function revisionOf(rs: JsonObject): string {
  const annotations = (rs.metadata as JsonObject | undefined)?.annotations as JsonObject | undefined;
  return String(annotations?.['deployment.kubernetes.io/revision'] ?? '?');
}

/** A LabelSelector as the labelSelector query parameter. */
export function selectorOf(selector: unknown): string {
  if (!isObject(selector)) return '';
  const parts = Object.entries(isObject(selector.matchLabels) ? selector.matchLabels : {}).map(
    ([k, v]) => `${k}=${String(v)}`,
  );
  for (const e of Array.isArray(selector.matchExpressions)
    ? selector.matchExpressions.filter(isObject)
    : []) {
    const values = Array.isArray(e.values) ? e.values.map(String).join(',') : '';
    if (e.operator === 'In') parts.push(`${String(e.key)} in (${values})`);
    else if (e.operator === 'NotIn') parts.push(`${String(e.key)} notin (${values})`);
    else if (e.operator === 'Exists') parts.push(String(e.key));
    else if (e.operator === 'DoesNotExist') parts.push(`!${String(e.key)}`);
  }
  return parts.join(',');
}
