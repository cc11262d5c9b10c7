// The resource types the simulator serves: what discovery advertises and what the router accepts.
// Objects are stored per "storage key" (group/resource), so two served versions of one type (HPA
// autoscaling/v2 and v1) share a single stored object, as in etcd.

export interface ResourceType {
  group: string;
  version: string;
  /** Plural, as in the URL. */
  resource: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  shortNames?: string[];
  verbs: string[];
  categories?: string[];
  /** Objects of several served versions live under one key; the stored form is `storageVersion`. */
  storageKey: string;
  storageVersion: string;
  /** A CustomResourceDefinition: no strategic merge patch, no built-in validation. */
  custom?: boolean;
}

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function builtIn(
  group: string,
  version: string,
  resource: string,
  kind: string,
  extra: Partial<ResourceType> = {},
): ResourceType {
  return {
    group,
    version,
    resource,
    singular: kind.toLowerCase(),
    kind,
    namespaced: true,
    verbs: ALL_VERBS,
    storageKey: `${group}/${resource}`,
    storageVersion: version,
    ...extra,
  };
}

const HPA_STORAGE = { storageKey: 'autoscaling/horizontalpodautoscalers', storageVersion: 'v2' };

export const BUILT_IN_TYPES: ResourceType[] = [
  builtIn('', 'v1', 'namespaces', 'Namespace', {
    namespaced: false,
    shortNames: ['ns'],
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  }),
  builtIn('', 'v1', 'pods', 'Pod', { shortNames: ['po'], categories: ['all'] }),
  builtIn('', 'v1', 'services', 'Service', {
    shortNames: ['svc'],
    categories: ['all'],
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
  }),
  builtIn('apps', 'v1', 'deployments', 'Deployment', { shortNames: ['deploy'], categories: ['all'] }),
  builtIn('apps', 'v1', 'statefulsets', 'StatefulSet', { shortNames: ['sts'], categories: ['all'] }),
  builtIn('apps', 'v1', 'daemonsets', 'DaemonSet', { shortNames: ['ds'], categories: ['all'] }),
  builtIn('apps', 'v1', 'replicasets', 'ReplicaSet', { shortNames: ['rs'], categories: ['all'] }),
  builtIn('batch', 'v1', 'jobs', 'Job', { categories: ['all'] }),
  builtIn('batch', 'v1', 'cronjobs', 'CronJob', { shortNames: ['cj'], categories: ['all'] }),
  builtIn('autoscaling', 'v2', 'horizontalpodautoscalers', 'HorizontalPodAutoscaler', {
    shortNames: ['hpa'],
    categories: ['all'],
    ...HPA_STORAGE,
  }),
  builtIn('autoscaling', 'v1', 'horizontalpodautoscalers', 'HorizontalPodAutoscaler', {
    shortNames: ['hpa'],
    categories: ['all'],
    ...HPA_STORAGE,
  }),
];

export const ROLLOUT_TYPE: ResourceType = builtIn('argoproj.io', 'v1alpha1', 'rollouts', 'Rollout', {
  shortNames: ['ro'],
  verbs: ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'],
  custom: true,
});

/** Preferred version first, as discovery lists them. */
const GROUP_VERSION_ORDER: Record<string, string[]> = { autoscaling: ['v2', 'v1'] };

export class ResourceRegistry {
  readonly types: ResourceType[];

  constructor(options: { rolloutsCrd: boolean }) {
    this.types = options.rolloutsCrd ? [...BUILT_IN_TYPES, ROLLOUT_TYPE] : [...BUILT_IN_TYPES];
  }

  find(group: string, version: string, resource: string): ResourceType | undefined {
    return this.types.find((t) => t.group === group && t.version === version && t.resource === resource);
  }

  /** The type an object of this apiVersion/kind is stored as (used when seeding the store). */
  forKind(apiVersion: string, kind: string): ResourceType | undefined {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
    return this.types.find((t) => t.group === group && t.version === version && t.kind === kind);
  }

  byStorageKey(storageKey: string): ResourceType | undefined {
    return this.types.find((t) => t.storageKey === storageKey && t.version === t.storageVersion);
  }

  groupVersions(group: string): string[] {
    const versions = [...new Set(this.types.filter((t) => t.group === group).map((t) => t.version))];
    const order = GROUP_VERSION_ORDER[group];
    return order ? order.filter((v) => versions.includes(v)) : versions;
  }

  groups(): string[] {
    return [...new Set(this.types.map((t) => t.group))].filter((g) => g !== '');
  }

  resourcesIn(group: string, version: string): ResourceType[] {
    return this.types.filter((t) => t.group === group && t.version === version);
  }
}

export function apiVersionOf(type: ResourceType): string {
  return type.group ? `${type.group}/${type.version}` : type.version;
}
