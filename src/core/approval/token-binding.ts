import { createHash } from 'node:crypto';
import { canonicalJson } from '../canonical-json.js';

/** A live object an approval covers, as the API server reported it when the person approved. */
export interface BoundObject {
  kind: string;
  namespace: string;
  name: string;
  uid: string;
  resourceVersion: string;
}

/**
 * What an approval token is bound to. At redemption the authority rebuilds it from the plan as it is now,
 * the live objects and the current cluster; any difference from the approved binding refuses the token.
 */
export interface TokenBinding {
  planId: string;
  planHash: string;
  /** The API server URL. */
  server: string;
  /** The kubeconfig context name. */
  context: string;
  objects: BoundObject[];
}

/** SHA-256 digests of a binding's parts, kept per minted token so a refusal can say which part differs. */
export interface BindingDigests {
  plan: string;
  cluster: string;
  objects: string;
}

/** The MAC input: the order of `objects` carries no meaning, so it must not change the bytes. */
export function canonicalBinding(binding: TokenBinding): string {
  return canonicalJson({
    planId: binding.planId,
    planHash: binding.planHash,
    server: binding.server,
    context: binding.context,
    objects: sortedObjects(binding.objects),
  });
}

export function bindingDigests(binding: TokenBinding): BindingDigests {
  return {
    plan: sha256(canonicalJson({ planId: binding.planId, planHash: binding.planHash })),
    cluster: sha256(canonicalJson({ server: binding.server, context: binding.context })),
    objects: sha256(canonicalJson(sortedObjects(binding.objects))),
  };
}

function sortedObjects(objects: readonly BoundObject[]): BoundObject[] {
  // Only the five bound fields, so extra properties a caller happens to pass cannot change the MAC.
  return objects
    .map(({ kind, namespace, name, uid, resourceVersion }) => ({
      kind,
      namespace,
      name,
      uid,
      resourceVersion,
    }))
    .sort((a, b) => compare(objectKey(a), objectKey(b)));
}

function objectKey(o: BoundObject): string {
  return canonicalJson([o.kind, o.namespace, o.name, o.uid, o.resourceVersion]);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
