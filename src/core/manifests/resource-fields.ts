// The four fields the engine writes (requests/limits × cpu/memory) as one layer of files sets them, and
// the effective values when layers are stacked (a later layer wins, `null` in a patch deletes).

import { z } from 'zod';
import {
  RESOURCE_FIELDS,
  type ContainerResourcesText,
  type ResourceKind,
  type ResourceName,
} from '../changes/container-resources.js';

export type FieldKey = `${ResourceKind}.${ResourceName}`;

export const FIELD_KEYS: readonly FieldKey[] = RESOURCE_FIELDS.map(
  ([which, resource]) => `${which}.${resource}` as const,
);

/** What one layer sets: a quantity text, or null (a patch's "delete this field"). Absent: not set here. */
export type FieldValues = Partial<Record<FieldKey, string | null>>;

export function splitField(field: FieldKey): [ResourceKind, ResourceName] {
  const [which, resource] = field.split('.') as [ResourceKind, ResourceName];
  return [which, resource];
}

const quantityValue = z.union([z.string(), z.number(), z.null()]);
const resourceList = z.record(z.string(), quantityValue).nullable();

/** A container's `resources` as files write it (other resource names, like GPUs, are allowed and kept). */
const ResourcesSchema = z
  .looseObject({ requests: resourceList.optional(), limits: resourceList.optional() })
  .nullable();

export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}

/**
 * The fields a `resources` value sets. `keepNulls` is for patches (null deletes); in a plain manifest a
 * null field is simply not set.
 */
export function fieldValuesOf(
  resources: unknown,
  keepNulls: boolean,
): { ok: true; values: FieldValues } | { ok: false; problem: string } {
  if (resources === undefined) return { ok: true, values: {} };
  const parsed = ResourcesSchema.safeParse(resources);
  if (!parsed.success)
    return { ok: false, problem: `resources cannot be read (${describeIssues(parsed.error)})` };
  const values: FieldValues = {};
  for (const field of FIELD_KEYS) {
    const [which, resource] = splitField(field);
    const list = parsed.data?.[which];
    // `limits: null` in a patch deletes every limit.
    const value = list === null && keepNulls ? null : list?.[resource];
    if (value === undefined) continue;
    if (value === null) {
      if (keepNulls) values[field] = null;
    } else values[field] = String(value);
  }
  return { ok: true, values };
}

/** Stacks layers bottom to top. */
export function effectiveValues(layers: ReadonlyArray<FieldValues>): FieldValues {
  const out: FieldValues = {};
  for (const layer of layers) {
    for (const field of FIELD_KEYS) {
      const value = layer[field];
      if (value === undefined) continue;
      if (value === null) delete out[field];
      else out[field] = value;
    }
  }
  return out;
}

export function toResourcesText(values: FieldValues): ContainerResourcesText {
  const text: ContainerResourcesText = { requests: {}, limits: {} };
  for (const field of FIELD_KEYS) {
    const value = values[field];
    if (typeof value !== 'string') continue;
    const [which, resource] = splitField(field);
    text[which][resource] = value;
  }
  return text;
}

export function fieldOf(resources: ContainerResourcesText, field: FieldKey): string | undefined {
  const [which, resource] = splitField(field);
  return resources[which][resource];
}
