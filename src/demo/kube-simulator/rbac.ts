// RBAC authorization in the shape of Role/ClusterRole rules, and the Forbidden message the
// authorizer's denial produces (k8s.io/apiserver/pkg/endpoints/handlers/responsewriters.ForbiddenStatusError).

import { forbidden, qualifiedResource, type StatusError } from './status.js';

export interface RbacRule {
  verbs: string[];
  apiGroups: string[];
  /** Plural names, or "resource/subresource" (e.g. "services/proxy"). */
  resources: string[];
  /** Absent: the rule comes from a ClusterRoleBinding and applies everywhere. */
  namespaces?: string[];
}

export interface AccessRequest {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

export const DEFAULT_USER = 'system:serviceaccount:default:tester';

function matches(list: readonly string[], value: string): boolean {
  return list.includes('*') || list.includes(value);
}

/** No rules configured means authorization is off (everything allowed). */
export function allowed(rules: readonly RbacRule[] | undefined, access: AccessRequest): boolean {
  if (!rules) return true;
  const resource = access.subresource ? `${access.resource}/${access.subresource}` : access.resource;
  return rules.some(
    (rule) =>
      matches(rule.verbs, access.verb) &&
      matches(rule.apiGroups, access.group) &&
      (matches(rule.resources, resource) ||
        (access.subresource !== undefined && rule.resources.includes(`*/${access.subresource}`))) &&
      (rule.namespaces === undefined ||
        (access.namespace !== undefined && matches(rule.namespaces, access.namespace))),
  );
}

export function forbiddenError(user: string, access: AccessRequest): StatusError {
  const resource = access.subresource ? `${access.resource}/${access.subresource}` : access.resource;
  const subject = access.name
    ? `${qualifiedResource(access.resource, access.group)} "${access.name}"`
    : qualifiedResource(access.resource, access.group);
  const scope = access.namespace ? `in the namespace "${access.namespace}"` : 'at the cluster scope';
  return forbidden(
    `${subject} is forbidden: User "${user}" cannot ${access.verb} resource "${resource}" in API group "${access.group}" ${scope}`,
    { ...(access.name ? { name: access.name } : {}), group: access.group, kind: access.resource },
  );
}
