// What an agent (or a recommendation, or a rollback) asks to change: per workload, per named container,
// requests/limits as quantity strings. `null` removes a field; an absent key leaves it as it is.

import { z } from 'zod';
import { checkQuantity } from '../kube/quantity.js';
import { KINDS } from '../recommend/model.js';

export const MAX_WORKLOADS = 200;
export const MAX_CONTAINERS_PER_WORKLOAD = 50;

const quantity = z.string().superRefine((text, ctx) => {
  const checked = checkQuantity(text);
  if (!checked.ok) ctx.addIssue({ code: 'custom', message: checked.reason });
});

const resourceValues = z
  .object({ cpu: quantity.nullable().optional(), memory: quantity.nullable().optional() })
  .strict();

/** Where a value came from; agent-supplied values are shown as such to the person approving. */
export const ChangeSourceSchema = z.enum(['recommendation', 'agent', 'rollback']);
export type ChangeSource = z.infer<typeof ChangeSourceSchema>;

export const ContainerChangeSchema = z
  .object({
    container: z.string().min(1).max(253),
    requests: resourceValues.optional(),
    limits: resourceValues.optional(),
    source: ChangeSourceSchema,
    recommendationId: z.string().min(1).max(1000).optional(),
  })
  .strict();

export const WorkloadChangeSchema = z
  .object({
    kind: z.enum(KINDS),
    namespace: z.string().min(1).max(63),
    name: z.string().min(1).max(253),
    /**
     * Set by rollbacks: the generation our apply left; a different live one is drift (someone changed the
     * spec since). Snapshots from before generations were recorded carry the resourceVersion instead.
     */
    expectedGeneration: z.number().int().nonnegative().optional(),
    expectedResourceVersion: z.string().min(1).optional(),
    containers: z.array(ContainerChangeSchema).min(1).max(MAX_CONTAINERS_PER_WORKLOAD),
  })
  .strict();

/** Every workload once, every container once per workload. */
function refineUnique(
  request: { workloads: Array<z.infer<typeof WorkloadChangeSchema>> },
  ctx: z.RefinementCtx,
): void {
  const seen = new Set<string>();
  request.workloads.forEach((w, i) => {
    const key = `${w.kind}/${w.namespace}/${w.name}`;
    if (seen.has(key))
      ctx.addIssue({ code: 'custom', path: ['workloads', i], message: `${key} is listed twice` });
    seen.add(key);
    const containers = new Set<string>();
    w.containers.forEach((c, j) => {
      if (containers.has(c.container)) {
        ctx.addIssue({
          code: 'custom',
          path: ['workloads', i, 'containers', j, 'container'],
          message: `container "${c.container}" is listed twice for ${key}`,
        });
      }
      containers.add(c.container);
    });
  });
}

export const ChangeRequestSchema = z
  .object({
    workloads: z.array(WorkloadChangeSchema).min(1).max(MAX_WORKLOADS),
    /** Rollbacks only: restore even though the object changed since our apply. */
    allowDrift: z.boolean().optional(),
  })
  .strict()
  .superRefine(refineUnique);

/**
 * Workspace edits cost the API server nothing per object, so a whole scan's recommendations can be written
 * at once (the live path keeps MAX_WORKLOADS per approval).
 */
export const MAX_MANIFEST_WORKLOADS = 20_000;

export const ManifestChangeRequestSchema = z
  .object({ workloads: z.array(WorkloadChangeSchema).min(1).max(MAX_MANIFEST_WORKLOADS) })
  .strict()
  .superRefine(refineUnique);
export type ManifestChangeRequest = z.infer<typeof ManifestChangeRequestSchema>;

export type ChangeRequest = z.infer<typeof ChangeRequestSchema>;
export type WorkloadChange = z.infer<typeof WorkloadChangeSchema>;
export type ContainerChange = z.infer<typeof ContainerChangeSchema>;
export type WorkloadTarget = Pick<WorkloadChange, 'kind' | 'namespace' | 'name'>;

export class ChangeRequestError extends Error {
  override name = 'ChangeRequestError';
  constructor(readonly problems: string[]) {
    super(`Invalid change request: ${problems.join('; ')}`);
  }
}

/** `workloads[0].containers[1].requests.cpu`, the way a person would point at the field. */
export function fieldPath(path: ReadonlyArray<PropertyKey>): string {
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`))
    .join('');
}

/** Validates untrusted input (an MCP argument) and names every bad field in the error. */
export function parseChangeRequest(input: unknown): ChangeRequest {
  return parseWith(ChangeRequestSchema, input);
}

export function parseManifestChangeRequest(input: unknown): ManifestChangeRequest {
  return parseWith(ManifestChangeRequestSchema, input);
}

function parseWith<T>(schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new ChangeRequestError(
    parsed.error.issues.map((issue) =>
      issue.path.length > 0 ? `${fieldPath(issue.path)}: ${issue.message}` : issue.message,
    ),
  );
}

export function targetLabel(t: WorkloadTarget): string {
  return `${t.kind} ${t.namespace}/${t.name}`;
}
