// Discovery documents (/version, /api, /apis, /api/v1, /apis/<group>/<version>) in the legacy
// (non-aggregated) JSON format that kubectl and client-node's KubernetesObjectApi read.

import { apiVersionOf, type ResourceRegistry } from './registry.js';

/** What /version reports for the minor versions tests ask for (1.30 unless told otherwise). */
const RELEASES: Record<
  string,
  { gitVersion: string; gitCommit: string; buildDate: string; goVersion: string }
> = {
  '1.30': {
    gitVersion: 'v1.30.4',
    gitCommit: 'a51b3b711150f57ffc1f526a640ec058514f2545',
    buildDate: '2024-08-14T18:58:51Z',
    goVersion: 'go1.22.5',
  },
  '1.32': {
    gitVersion: 'v1.32.5',
    gitCommit: '9894294ef13a5b32803e3ca2c0d620a088cc84d1',
    buildDate: '2025-05-15T09:45:41Z',
    goVersion: 'go1.23.8',
  },
  '1.33': {
    gitVersion: 'v1.33.1',
    gitCommit: '8adc0f041b8e7ad1d30e29cc59c6ae7a15e19828',
    buildDate: '2025-05-15T08:19:08Z',
    goVersion: 'go1.24.2',
  },
  '1.34': {
    gitVersion: 'v1.34.1',
    gitCommit: '93248f9ae092f571eb870b7664c534bfc7d00f03',
    buildDate: '2025-09-09T19:39:50Z',
    goVersion: 'go1.24.6',
  },
  '1.35': {
    gitVersion: 'v1.35.0',
    gitCommit: '66452049f3d692768c39c797b21b793dce80314e',
    buildDate: '2025-12-17T12:32:06Z',
    goVersion: 'go1.25.5',
  },
};

export function versionInfo(version = '1.30'): object {
  const [major = '1', minor = '30'] = version.split('.');
  const release = RELEASES[version] ?? {
    gitVersion: `v${major}.${minor}.0`,
    gitCommit: '0000000000000000000000000000000000000000',
    buildDate: '2025-01-01T00:00:00Z',
    goVersion: 'go1.24.0',
  };
  return {
    major,
    minor,
    ...release,
    gitTreeState: 'clean',
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
export function resourceList(
  registry: ResourceRegistry,
  group: string,
  version: string,
  options: { podResize?: boolean } = {},
): object | undefined {
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
    // In-place pod resize: beta and on by default from 1.33, where discovery lists the subresource.
    if (t.resource === 'pods' && options.podResize) {
      resources.push({
        name: 'pods/resize',
        singularName: '',
        namespaced: true,
        kind: 'Pod',
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
