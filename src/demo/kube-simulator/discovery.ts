// Discovery documents (/version, /api, /apis, /api/v1, /apis/<group>/<version>) in the legacy
// (non-aggregated) JSON format that kubectl and client-node's KubernetesObjectApi read.

import { apiVersionOf, type ResourceRegistry } from './registry.js';

export function versionInfo(): object {
  return {
    major: '1',
    minor: '30',
    gitVersion: 'v1.30.4',
    gitCommit: 'a51b3b711150f57ffc1f526a640ec058514f2545',
    gitTreeState: 'clean',
    buildDate: '2024-08-14T18:58:51Z',
    goVersion: 'go1.22.5',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

const SERVER_ADDRESS = [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1:6443' }];

export function coreVersions(): object {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: SERVER_ADDRESS };
}

function groupDocument(registry: ResourceRegistry, group: string): object {
  const versions = registry
    .groupVersions(group)
    .map((version) => ({ groupVersion: `${group}/${version}`, version }));
  return { name: group, versions, preferredVersion: versions[0] };
}

export function groupList(registry: ResourceRegistry): object {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: registry.groups().map((g) => groupDocument(registry, g)),
  };
}

export function group(registry: ResourceRegistry, name: string): object | undefined {
  if (!registry.groups().includes(name)) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...groupDocument(registry, name) };
}

/** An APIResourceList, including the status/scale subresource entries a real server lists. */
export function resourceList(registry: ResourceRegistry, group: string, version: string): object | undefined {
  const types = registry.resourcesIn(group, version);
  if (types.length === 0) return undefined;
  const resources: object[] = [];
  for (const t of types) {
    resources.push({
      name: t.resource,
      singularName: t.singular,
      namespaced: t.namespaced,
      kind: t.kind,
      verbs: t.verbs,
      ...(t.shortNames ? { shortNames: t.shortNames } : {}),
      ...(t.categories ? { categories: t.categories } : {}),
      storageVersionHash: Buffer.from(`${t.storageKey}`).toString('base64').slice(0, 11),
    });
    if (t.resource !== 'namespaces') {
      resources.push({
        name: `${t.resource}/status`,
        singularName: '',
        namespaced: t.namespaced,
        kind: t.kind,
        verbs: ['get', 'patch', 'update'],
      });
    }
    if (t.resource === 'services') {
      resources.push({
        name: 'services/proxy',
        singularName: '',
        namespaced: true,
        kind: 'ServiceProxyOptions',
        verbs: ['create', 'delete', 'get', 'patch', 'update'],
      });
    }
  }
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: apiVersionOf(types[0] as (typeof types)[number]),
    resources,
  };
}
