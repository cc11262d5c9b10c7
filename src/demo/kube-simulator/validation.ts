// The subset of kube-apiserver's write validation that rightsizing touches: quantity decoding,
// non-negative quantities, request ≤ limit, unique container names, required images, selector
// immutability. Field paths and messages follow k8s.io/kubernetes/pkg/apis/*/validation.

import {
  compareQuantities,
  formatQuantity,
  parseQuantity,
  QUANTITY_ERROR,
  type Quantity,
} from './quantity.js';
import type { ResourceType } from './registry.js';
import type { StatusCause } from './status.js';
import { deepEqual, isObject, type Json, type JsonObject } from './types.js';

/** Where each kind keeps its pod spec. */
const POD_SPEC_PATHS: Record<string, string[]> = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
  Rollout: ['spec', 'template', 'spec'],
};

/** controller-gen's pattern for resource.Quantity in CRD schemas (Argo Rollouts ships it). */
const CRD_QUANTITY_PATTERN =
  '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$';

const CONTAINER_LISTS = ['initContainers', 'containers'] as const;

export function podSpecPath(kind: string): string[] | undefined {
  return POD_SPEC_PATHS[kind];
}

function getPath(object: unknown, path: readonly string[]): unknown {
  let current = object;
  for (const part of path) current = isObject(current as Json) ? (current as JsonObject)[part] : undefined;
  return current;
}

interface ContainerRef {
  container: JsonObject;
  field: string;
}

function containersOf(object: unknown, kind: string): ContainerRef[] {
  const specPath = podSpecPath(kind);
  if (!specPath) return [];
  const spec = getPath(object, specPath);
  if (!isObject(spec as Json)) return [];
  const refs: ContainerRef[] = [];
  for (const list of CONTAINER_LISTS) {
    const items = (spec as JsonObject)[list];
    if (!Array.isArray(items)) continue;
    items.forEach((container, i) => {
      if (isObject(container)) refs.push({ container, field: `${specPath.join('.')}.${list}[${i}]` });
    });
  }
  return refs;
}

function resourceMaps(ref: ContainerRef): Array<{ which: 'requests' | 'limits'; map: JsonObject }> {
  const resources = ref.container.resources;
  if (!isObject(resources)) return [];
  const out: Array<{ which: 'requests' | 'limits'; map: JsonObject }> = [];
  for (const which of ['requests', 'limits'] as const) {
    const map = resources[which];
    if (isObject(map)) out.push({ which, map });
  }
  return out;
}

/**
 * Quantities a built-in type could not decode. The server fails while converting the patched JSON
 * into its Go type, before any validation runs, so these get their own error shape.
 */
export function undecodableQuantities(object: unknown, kind: string): string[] {
  const bad: string[] = [];
  for (const ref of containersOf(object, kind)) {
    for (const { map } of resourceMaps(ref)) {
      for (const value of Object.values(map)) {
        if ((typeof value !== 'string' && typeof value !== 'number') || !parseQuantity(value)) {
          bad.push(String(value));
        }
      }
    }
  }
  return bad;
}

/** Rewrites quantities to Quantity.String(), as a built-in type round-trips them through its Go struct. */
export function canonicalizeQuantities(object: unknown, kind: string): void {
  for (const ref of containersOf(object, kind)) {
    for (const { map } of resourceMaps(ref)) {
      for (const [name, value] of Object.entries(map)) {
        const q = typeof value === 'string' || typeof value === 'number' ? parseQuantity(value) : undefined;
        if (q) map[name] = formatQuantity(q);
      }
    }
  }
}

function invalidValue(field: string, value: string, detail: string): StatusCause {
  return {
    reason: 'FieldValueInvalid',
    message: `Invalid value: ${JSON.stringify(value)}: ${detail}`,
    field,
  };
}

function validateContainers(object: unknown, type: ResourceType): StatusCause[] {
  const causes: StatusCause[] = [];
  const seen = new Set<string>();
  for (const ref of containersOf(object, type.kind)) {
    const name = ref.container.name;
    if (typeof name !== 'string' || name === '') {
      causes.push({ reason: 'FieldValueRequired', message: 'Required value', field: `${ref.field}.name` });
    } else if (seen.has(name)) {
      causes.push({
        reason: 'FieldValueDuplicate',
        message: `Duplicate value: "${name}"`,
        field: `${ref.field}.name`,
      });
    } else {
      seen.add(name);
    }
    if (!type.custom && (typeof ref.container.image !== 'string' || ref.container.image === '')) {
      causes.push({ reason: 'FieldValueRequired', message: 'Required value', field: `${ref.field}.image` });
    }
    const parsed: Record<'requests' | 'limits', Record<string, Quantity>> = { requests: {}, limits: {} };
    for (const { which, map } of resourceMaps(ref)) {
      for (const [resource, value] of Object.entries(map)) {
        const field = `${ref.field}.resources.${which}`;
        const q = typeof value === 'string' || typeof value === 'number' ? parseQuantity(value) : undefined;
        if (!q) {
          // Only custom resources get here: their schema checks the pattern instead of a Go decoder.
          const path = `${field}.${resource}`;
          causes.push(
            invalidValue(path, String(value), `${path} in body should match '${CRD_QUANTITY_PATTERN}'`),
          );
          continue;
        }
        if (type.custom) continue;
        if (q.nanos < 0n) {
          causes.push(
            invalidValue(`${field}[${resource}]`, formatQuantity(q), 'must be greater than or equal to 0'),
          );
          continue;
        }
        parsed[which][resource] = q;
      }
    }
    // Custom resources carry no request ≤ limit rule; only the pods their controller creates are checked.
    if (type.custom) continue;
    for (const [resource, request] of Object.entries(parsed.requests)) {
      const limit = parsed.limits[resource];
      if (limit && compareQuantities(request, limit) > 0) {
        causes.push(
          invalidValue(
            `${ref.field}.resources.requests`,
            formatQuantity(request),
            `must be less than or equal to ${resource} limit of ${formatQuantity(limit)}`,
          ),
        );
      }
    }
  }
  return causes;
}

/** Go's %#v of a metav1.LabelSelector, which is how the immutability error prints it. */
function goSelector(selector: unknown): string {
  const s = isObject(selector as Json) ? (selector as JsonObject) : {};
  const labels = isObject(s.matchLabels ?? null) ? (s.matchLabels as JsonObject) : undefined;
  const matchLabels = labels
    ? `map[string]string{${Object.keys(labels)
        .sort()
        .map((k) => `${JSON.stringify(k)}:${JSON.stringify(labels[k])}`)
        .join(', ')}}`
    : 'map[string]string(nil)';
  return `v1.LabelSelector{MatchLabels:${matchLabels}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}`;
}

const SELECTOR_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet']);

function validateSelector(object: unknown, old: unknown, type: ResourceType): StatusCause[] {
  if (!SELECTOR_KINDS.has(type.kind)) return [];
  const causes: StatusCause[] = [];
  const selector = getPath(object, ['spec', 'selector']);
  if (old !== undefined && !deepEqual(selector, getPath(old, ['spec', 'selector']))) {
    causes.push({
      reason: 'FieldValueInvalid',
      message: `Invalid value: ${goSelector(selector)}: field is immutable`,
      field: 'spec.selector',
    });
  }
  const matchLabels = getPath(selector, ['matchLabels']);
  const templateLabels = getPath(object, ['spec', 'template', 'metadata', 'labels']);
  if (isObject(matchLabels as Json)) {
    const labels = isObject(templateLabels as Json) ? (templateLabels as JsonObject) : {};
    const matches = Object.entries(matchLabels as JsonObject).every(([k, v]) => labels[k] === v);
    if (!matches) {
      const shown = Object.keys(labels)
        .sort()
        .map((k) => `${JSON.stringify(k)}:${JSON.stringify(labels[k])}`)
        .join(', ');
      causes.push({
        reason: 'FieldValueInvalid',
        message: `Invalid value: map[string]string{${shown}}: \`selector\` does not match template \`labels\``,
        field: 'spec.template.metadata.labels',
      });
    }
  }
  return causes;
}

/** Every validation cause for a create (`old` undefined) or an update. */
export function validateObject(type: ResourceType, object: unknown, old: unknown): StatusCause[] {
  return [...validateSelector(object, old, type), ...validateContainers(object, type)];
}

export { QUANTITY_ERROR };
