// Small readers and builders the controllers share: owner references, selectors, the pod-template hash,
// conditions, pod readiness. Shapes and names follow k8s.io/kubernetes/pkg/controller.

import { randomBytes, randomUUID } from 'node:crypto';
import type { SimClock } from '../clock.js';
import { managedFieldsEntry, fieldsV1 } from '../managed-fields.js';
import type { ResourceRegistry } from '../registry.js';
import type { ObjectStore } from '../store.js';
import {
  clone,
  deepEqual,
  isObject,
  type JsonObject,
  type KubeObject,
  type OwnerReference,
} from '../types.js';

/** rand.SafeEncodeString's alphabet: no vowels, no digits that read as letters. */
const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function newContainerId(): string {
  return `containerd://${randomBytes(32).toString('hex')}`;
}

export function randomSuffix(length = 5): string {
  let out = '';
  for (let i = 0; i < length; i++) out += SAFE_ALPHABET[Math.floor(Math.random() * SAFE_ALPHABET.length)];
  return out;
}

function sortedJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(',')}]`;
  if (isObject(value as JsonObject)) {
    const object = value as JsonObject;
    return `{${Object.keys(object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${sortedJson(object[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** ComputeHash: FNV-32a of the template (and the collision count), safe-encoded, as in pod-template-hash. */
export function templateHash(template: unknown, collisionCount = 0): string {
  const text = sortedJson(withoutHashLabel(template)) + (collisionCount > 0 ? String(collisionCount) : '');
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return [...String(hash)].map((c) => SAFE_ALPHABET[c.charCodeAt(0) % SAFE_ALPHABET.length]).join('');
}

export function withoutHashLabel(template: unknown): unknown {
  const copy = clone(template) as JsonObject;
  const labels = (copy?.metadata as JsonObject | undefined)?.labels as JsonObject | undefined;
  if (labels) delete labels['pod-template-hash'];
  return copy;
}

/** EqualIgnoreHash: how the Deployment controller recognises the ReplicaSet of its current template. */
export function equalIgnoreHash(a: unknown, b: unknown): boolean {
  return deepEqual(withoutHashLabel(a), withoutHashLabel(b));
}

export function controllerOf(object: KubeObject): OwnerReference | undefined {
  return object.metadata.ownerReferences?.find((o) => o.controller === true);
}

export function controllerRef(owner: KubeObject): OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

export function spec(object: KubeObject): JsonObject {
  return isObject((object.spec ?? null) as JsonObject) ? (object.spec as JsonObject) : {};
}

export function statusOf(object: KubeObject): JsonObject {
  return isObject((object.status ?? null) as JsonObject) ? (object.status as JsonObject) : {};
}

export function conditionsOf(object: KubeObject): JsonObject[] {
  const conditions = statusOf(object).conditions;
  return Array.isArray(conditions) ? conditions.filter(isObject) : [];
}

export function condition(object: KubeObject, type: string): JsonObject | undefined {
  return conditionsOf(object).find((c) => c.type === type);
}

/** Sets one condition; lastTransitionTime moves only when the status does, as the controllers do it. */
export function withCondition(conditions: JsonObject[], next: JsonObject, now: string): JsonObject[] {
  const old = conditions.find((c) => c.type === next.type);
  const same = old && old.status === next.status;
  const merged: JsonObject = { ...next, lastTransitionTime: same ? (old.lastTransitionTime ?? now) : now };
  return old ? conditions.map((c) => (c === old ? merged : c)) : [...conditions, merged];
}

export function withoutCondition(conditions: JsonObject[], type: string): JsonObject[] {
  return conditions.filter((c) => c.type !== type);
}

export function isTerminating(pod: KubeObject): boolean {
  return pod.metadata.deletionTimestamp !== undefined;
}

export function isPodReady(pod: KubeObject): boolean {
  return condition(pod, 'Ready')?.status === 'True';
}

/** LabelSelector matching: matchLabels and the four matchExpressions operators. */
export function selectorMatches(selector: unknown, labels: Record<string, string> | undefined): boolean {
  if (!isObject((selector ?? null) as JsonObject)) return false;
  const s = selector as JsonObject;
  const have = labels ?? {};
  const matchLabels = isObject((s.matchLabels ?? null) as JsonObject) ? (s.matchLabels as JsonObject) : {};
  if (!Object.entries(matchLabels).every(([k, v]) => have[k] === v)) return false;
  const expressions = Array.isArray(s.matchExpressions) ? s.matchExpressions.filter(isObject) : [];
  return expressions.every((e) => {
    const key = String(e.key);
    const values = Array.isArray(e.values) ? e.values.map(String) : [];
    switch (e.operator) {
      case 'In':
        return key in have && values.includes(have[key] ?? '');
      case 'NotIn':
        return !(key in have) || !values.includes(have[key] ?? '');
      case 'Exists':
        return key in have;
      case 'DoesNotExist':
        return !(key in have);
      default:
        return false;
    }
  });
}

/** Writes for the controllers: new objects get a uid, a creation time and managedFields; no-op writes are skipped. */
export class ControllerWriter {
  constructor(
    private readonly store: ObjectStore,
    private readonly registry: ResourceRegistry,
    private readonly clock: SimClock,
  ) {}

  private type(object: KubeObject) {
    const type = this.registry.forKind(object.apiVersion, object.kind);
    if (!type) throw new Error(`the simulator does not serve ${object.apiVersion} ${object.kind}`);
    return type;
  }

  create(object: KubeObject, manager: string): KubeObject {
    const created = clone(object);
    created.metadata.uid = randomUUID();
    created.metadata.creationTimestamp = this.clock.timestamp();
    const { status: _status, ...declared } = created;
    created.metadata.managedFields = [
      managedFieldsEntry(
        manager,
        created.apiVersion,
        fieldsV1({ spec: (declared.spec ?? {}) as JsonObject }),
        this.clock.timestamp(),
      ),
    ];
    created.metadata.resourceVersion = this.store.nextResourceVersion();
    return this.store.write(this.type(created), created);
  }

  /** Stores `next` unless it equals what is stored (then nothing moves, as on a real server). */
  update(next: KubeObject): KubeObject {
    const type = this.type(next);
    const current = this.store.read(type, next.metadata.namespace, next.metadata.name);
    if (!current) return next;
    const candidate = clone(next);
    candidate.metadata.resourceVersion = current.metadata.resourceVersion;
    if (deepEqual(candidate, current)) return current;
    candidate.metadata.resourceVersion = this.store.nextResourceVersion();
    return this.store.write(type, candidate);
  }

  remove(object: KubeObject): void {
    this.store.remove(this.type(object), object.metadata.namespace, object.metadata.name);
  }

  read(kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.store.get(kind, namespace, name);
  }

  list(kind: string, namespace?: string): KubeObject[] {
    return this.store.list(kind, namespace);
  }
}
