// The pods/resize subresource (1.33+): GET returns the pod; PATCH and PUT may change only the cpu and memory
// requests/limits of the pod's containers, validated like ValidatePodResize: the QoS class may not change,
// requests and limits may not be removed, containers may not be added, removed or renamed, and (1.33 only)
// a memory limit may not go down unless the container's memory resizePolicy is RestartContainer. What the
// kubelet then does with the new spec is in controllers/kubelet-resize.ts.

import { recordManager } from './managed-fields.js';
import { containersOf, qosClass, resourceMap, amount, type ComputeResource } from './pod-resources.js';
import { apiVersionOf, type ResourceType } from './registry.js';
import { applyPatchBody, fieldManager, isDryRun, PATCH_TYPES, type ResourceRequest } from './resources.js';
import { badRequest, conflict, invalid, notFound, unsupportedMediaType, type StatusCause } from './status.js';
import type { ObjectStore } from './store.js';
import { clone, deepEqual, isObject, type JsonObject, type KubeObject } from './types.js';
import {
  canonicalizeQuantities,
  QUANTITY_ERROR,
  undecodableQuantities,
  validateObject,
} from './validation.js';

function forbidden(field: string, message: string): StatusCause {
  return { reason: 'FieldValueForbidden', message: `Forbidden: ${message}`, field };
}

function removed(before: JsonObject, after: JsonObject): boolean {
  return Object.keys(before).some((k) => after[k] === undefined);
}

function memoryPolicy(container: JsonObject): string {
  const policies = Array.isArray(container.resizePolicy) ? container.resizePolicy.filter(isObject) : [];
  return String(policies.find((p) => p.resourceName === 'memory')?.restartPolicy ?? 'NotRequired');
}

/** The container without its cpu/memory requests and limits: what a resize must leave unchanged. */
function withoutComputeResources(container: JsonObject): JsonObject {
  const copy = clone(container);
  const resources = isObject((copy.resources ?? null) as JsonObject) ? (copy.resources as JsonObject) : {};
  for (const which of ['requests', 'limits'] as const) {
    const map = isObject((resources[which] ?? null) as JsonObject)
      ? (resources[which] as JsonObject)
      : undefined;
    if (!map) continue;
    for (const r of ['cpu', 'memory'] as ComputeResource[]) delete map[r];
    if (Object.keys(map).length === 0) delete resources[which];
  }
  if (Object.keys(resources).length === 0) delete copy.resources;
  else copy.resources = resources;
  return copy;
}

export function validateResize(old: KubeObject, next: KubeObject, minor: number): StatusCause[] {
  const causes: StatusCause[] = [];
  const oldQos = String((old.status as JsonObject | undefined)?.qosClass ?? qosClass(old));
  if (qosClass(next) !== oldQos)
    causes.push({
      reason: 'FieldValueInvalid',
      message: `Invalid value: ${JSON.stringify(oldQos)}: Pod QOS Class may not change as a result of resizing`,
      field: 'spec',
    });
  const before = containersOf(old);
  const after = containersOf(next);
  if (before.length !== after.length) {
    causes.push(forbidden('spec.containers', 'containers may not be added or removed on resize'));
    return causes;
  }
  for (const [i, was] of before.entries()) {
    const now = after[i]!;
    const field = `spec.containers[${i}].resources`;
    if (now.name !== was.name) {
      causes.push(
        forbidden(`spec.containers[${i}].name`, 'containers may not be renamed or reordered on resize'),
      );
      continue;
    }
    if (removed(resourceMap(was, 'requests'), resourceMap(now, 'requests')))
      causes.push(forbidden(`${field}.requests`, 'resource requests cannot be removed'));
    if (removed(resourceMap(was, 'limits'), resourceMap(now, 'limits')))
      causes.push(forbidden(`${field}.limits`, 'resource limits cannot be removed'));
    const oldLimit = amount(resourceMap(was, 'limits').memory, 'memory');
    const newLimit = amount(resourceMap(now, 'limits').memory, 'memory');
    // 1.33 only: kubelet could not check a lower limit against usage yet (1.34 lifted the rule).
    if (
      minor === 33 &&
      oldLimit !== undefined &&
      newLimit !== undefined &&
      newLimit < oldLimit &&
      memoryPolicy(was) !== 'RestartContainer'
    )
      causes.push(
        forbidden(
          `${field}.limits[memory]`,
          'memory limits cannot be decreased unless resizePolicy is RestartContainer',
        ),
      );
    if (!deepEqual(withoutComputeResources(was), withoutComputeResources(now)))
      causes.push(forbidden('spec', 'only cpu and memory resources are mutable'));
  }
  const { containers: _o, ...oldRest } = (old.spec ?? {}) as JsonObject;
  const { containers: _n, ...newRest } = (next.spec ?? {}) as JsonObject;
  if (!deepEqual(oldRest, newRest))
    causes.push(forbidden('spec', 'only cpu and memory resources are mutable'));
  return causes.filter(
    (c, i) => causes.findIndex((d) => d.field === c.field && d.message === c.message) === i,
  );
}

export class PodResizeHandler {
  constructor(
    private readonly store: ObjectStore,
    private readonly type: ResourceType,
    private readonly minor: () => number,
  ) {}

  get(req: ResourceRequest): KubeObject {
    const pod = this.store.read(this.type, req.namespace, req.name ?? '');
    if (!pod) throw notFound('pods', '', req.name ?? '');
    return pod;
  }

  update(req: ResourceRequest, method: 'PATCH' | 'PUT'): KubeObject {
    const name = req.name ?? '';
    const current = this.get(req);
    let candidate: JsonObject;
    let touched: unknown;
    if (method === 'PATCH') {
      const mediaType = req.contentType.split(';')[0]?.trim().toLowerCase() ?? '';
      const accepted = [PATCH_TYPES.json, PATCH_TYPES.merge, PATCH_TYPES.strategic];
      if (!accepted.includes(mediaType as (typeof accepted)[number]))
        throw unsupportedMediaType(mediaType, accepted);
      ({ patched: candidate, touched } = applyPatchBody(req, current));
    } else {
      try {
        candidate = JSON.parse(req.body.toString('utf8')) as JsonObject;
      } catch (error) {
        throw badRequest(`error decoding body: ${(error as Error).message}`);
      }
      touched = candidate;
    }
    const patched = candidate as unknown as KubeObject;
    const precondition = (patched.metadata as KubeObject['metadata'] | undefined)?.resourceVersion;
    if (precondition && precondition !== current.metadata.resourceVersion) throw conflict('pods', '', name);
    if (undecodableQuantities(patched, 'Pod').length > 0)
      throw invalid('', '', '', '', [
        {
          reason: 'FieldValueInvalid',
          message: `Invalid value: ${JSON.stringify(req.body.toString('utf8'))}: ${QUANTITY_ERROR}`,
          field: 'patch',
        },
      ]);
    canonicalizeQuantities(patched, 'Pod');
    // Only the resize fields are taken from the request; everything else is compared, then kept as stored.
    const causes = [
      ...validateResize(current, patched, this.minor()),
      ...validateObject(this.type, patched, current),
    ];
    if (causes.length > 0) throw invalid('Pod', '', 'Pod', name, causes);
    const next = clone(current);
    const nextContainers = containersOf(next);
    for (const [i, container] of containersOf(patched).entries()) {
      const target = nextContainers[i];
      if (!target) continue;
      if (container.resources === undefined) delete target.resources;
      else target.resources = clone(container.resources);
    }
    if (deepEqual(next, current)) return current;
    const time = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    next.metadata.managedFields = [
      ...recordManager(
        current.metadata.managedFields,
        fieldManager(req),
        apiVersionOf(this.type),
        (touched ?? {}) as JsonObject,
        time,
      ).map((entry, i, all) => (i === all.length - 1 ? { ...entry, subresource: 'resize' } : entry)),
    ];
    if (isDryRun(req.query)) return next;
    next.metadata.resourceVersion = this.store.nextResourceVersion();
    return this.store.write(this.type, next);
  }
}
