// Object storage, standing in for etcd: one global resourceVersion counter, objects keyed by storage
// key / namespace / name and kept in key order (which is the order real LISTs return).

import { fixtureUid } from '../cluster-model.js';
import { managedFieldsEntry, fieldsV1 } from './managed-fields.js';
import { apiVersionOf, type ResourceRegistry, type ResourceType } from './registry.js';
import { clone, isObject, type Json, type JsonObject, type KubeObject } from './types.js';

/** uid derived from kind/namespace/name; Pods use the model's fixtureUid so kube-state-metrics series agree. */
export function objectUid(kind: string, namespace: string | undefined, name: string): string {
  return kind === 'Pod' ? fixtureUid(namespace ?? '', name) : fixtureUid(namespace ?? '', `${kind}/${name}`);
}

const SEED_TIME = '2026-01-01T00:00:00Z';

/** One stored change, as a watch reports it; `previous` is the object before a MODIFIED or DELETED. */
export interface StoreChange {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  resourceType: ResourceType;
  object: KubeObject;
  previous?: KubeObject;
}

export type StoreListener = (change: StoreChange) => void;

export class ObjectStore {
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private counter = 1000;
  private readonly listeners = new Set<StoreListener>();

  constructor(private readonly registry: ResourceRegistry) {}

  /** The latest resourceVersion handed out, as LIST metadata reports it. */
  currentResourceVersion(): string {
    return String(this.counter);
  }

  nextResourceVersion(): string {
    this.counter += 1;
    return String(this.counter);
  }

  private typeFor(kindOrApiVersion: string, kind?: string): ResourceType {
    const type = kind
      ? this.registry.forKind(kindOrApiVersion, kind)
      : this.registry.types.find((t) => t.kind === kindOrApiVersion && t.version === t.storageVersion);
    if (!type) throw new Error(`the simulator does not serve ${kind ?? kindOrApiVersion}`);
    return type;
  }

  private bucket(storageKey: string): Map<string, KubeObject> {
    let bucket = this.objects.get(storageKey);
    if (!bucket) {
      bucket = new Map();
      this.objects.set(storageKey, bucket);
    }
    return bucket;
  }

  private static key(namespace: string | undefined, name: string): string {
    return `${namespace ?? ''}/${name}`;
  }

  // ---- raw access used by the request handlers (storage form, no copies made by callers) ----

  read(type: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    const found = this.bucket(type.storageKey).get(
      ObjectStore.key(type.namespaced ? namespace : undefined, name),
    );
    return found ? clone(found) : undefined;
  }

  readAll(type: ResourceType, namespace: string | undefined): KubeObject[] {
    const bucket = this.bucket(type.storageKey);
    return [...bucket.entries()]
      .filter(([, o]) => namespace === undefined || o.metadata.namespace === namespace)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, o]) => clone(o));
  }

  /** Watches and controllers hear of every stored change, in the order the changes were made. */
  onChange(listener: StoreListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  write(type: ResourceType, object: KubeObject): KubeObject {
    const stored = clone(object);
    const bucket = this.bucket(type.storageKey);
    const key = ObjectStore.key(stored.metadata.namespace, stored.metadata.name);
    const previous = bucket.get(key);
    bucket.set(key, stored);
    this.emit({
      type: previous ? 'MODIFIED' : 'ADDED',
      resourceType: type,
      object: stored,
      ...(previous ? { previous } : {}),
    });
    return clone(stored);
  }

  remove(type: ResourceType, namespace: string | undefined, name: string): boolean {
    const bucket = this.bucket(type.storageKey);
    const key = ObjectStore.key(type.namespaced ? namespace : undefined, name);
    const previous = bucket.get(key);
    if (!previous) return false;
    bucket.delete(key);
    // A deletion is a change of its own: watchers get the object at the version of the deletion.
    const deleted = clone(previous);
    deleted.metadata.resourceVersion = this.nextResourceVersion();
    this.emit({ type: 'DELETED', resourceType: type, object: deleted, previous });
    return true;
  }

  private emit(change: StoreChange): void {
    for (const listener of this.listeners) listener(change);
  }

  // ---- convenience API for tests ----

  /**
   * Stores an object as if a client had created or updated it: fills in uid, creationTimestamp,
   * generation and a managedFields entry when missing, and always assigns a new resourceVersion.
   */
  put(object: KubeObject): KubeObject {
    const type = this.typeFor(object.apiVersion, object.kind);
    const storageType = this.registry.byStorageKey(type.storageKey) ?? type;
    if (storageType.version !== type.version) {
      throw new Error(`store ${type.kind} objects in their storage version ${apiVersionOf(storageType)}`);
    }
    const stored = clone(object);
    const meta = stored.metadata;
    if (!type.namespaced) delete meta.namespace;
    else meta.namespace ??= 'default';
    const previous = this.read(type, meta.namespace, meta.name);
    meta.uid ??= previous?.metadata.uid ?? objectUid(type.kind, meta.namespace, meta.name);
    meta.creationTimestamp ??= previous?.metadata.creationTimestamp ?? SEED_TIME;
    meta.generation ??= previous?.metadata.generation ?? 1;
    meta.managedFields ??= seedManagedFields(stored);
    meta.resourceVersion = this.nextResourceVersion();
    return this.write(type, stored);
  }

  /** The stored object by Kind ("Deployment"), or by apiVersion and Kind for ambiguous kinds. */
  get(kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.read(this.typeFor(kind), namespace, name);
  }

  list(kind: string, namespace?: string): KubeObject[] {
    return this.readAll(this.typeFor(kind), namespace);
  }

  delete(kind: string, namespace: string | undefined, name: string): boolean {
    return this.remove(this.typeFor(kind), namespace, name);
  }
}

function specOnly(object: KubeObject): JsonObject {
  const { labels, annotations } = object.metadata;
  const meta: JsonObject = {};
  if (labels) meta.labels = labels;
  if (annotations) meta.annotations = annotations;
  const out: JsonObject = {};
  if (Object.keys(meta).length > 0) out.metadata = meta;
  if (object.spec !== undefined) out.spec = object.spec as JsonObject;
  return out;
}

/** What a freshly created object shows: its creator's fields, and status owned by the controller. */
function seedManagedFields(object: KubeObject): JsonObject[] {
  const entries = [
    managedFieldsEntry('kubectl-client-side-apply', object.apiVersion, fieldsV1(specOnly(object)), SEED_TIME),
  ];
  const status = object.status as Json | undefined;
  if (isObject(status ?? null) && Object.keys(status as JsonObject).length > 0) {
    const fields = fieldsV1({ status: status as JsonObject });
    // Status is written through the status subresource, which a real server records separately.
    entries.push({
      ...managedFieldsEntry('kube-controller-manager', object.apiVersion, fields, SEED_TIME),
      subresource: 'status',
    });
  }
  return entries;
}
