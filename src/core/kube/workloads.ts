import {
  AppsV1Api,
  BatchV1Api,
  CoreV1Api,
  CustomObjectsApi,
  type V1Container,
  type V1LabelSelector,
  type V1ObjectMeta,
  type V1PodTemplateSpec,
} from '@kubernetes/client-node';
import type { WorkloadKind } from '../recommend/model.js';
import { InvalidInputError, shownValue } from '../input/parameters.js';
import { describeKubeError, KubeApiError } from './errors.js';
import type { KubeTarget } from './kubeconfig.js';

export interface ContainerResources {
  name: string;
  requests: { cpu?: string; memory?: string };
  limits: { cpu?: string; memory?: string };
}

/** A scannable workload, reduced to what the engine needs. */
export interface Workload {
  kind: WorkloadKind;
  namespace: string;
  name: string;
  uid: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  containers: ContainerResources[];
  /** The pod selector, used only when kube-state-metrics does not know the pods. */
  selector?: V1LabelSelector;
}

export interface WorkloadQuery {
  /** Namespaces from resolveNamespaces(): undefined = every namespace except kube-system. */
  namespaces: string[] | undefined;
  /** Kinds to list; empty = all. */
  kinds: WorkloadKind[];
  /** Workload label selector (server-side). */
  selector?: string;
}

const PAGE = 500;
const REGEX_CHARS = /[\\^$.|?*+()[\]{}]/;

/**
 * Namespace arguments as krr reads them: a name, or a regex matched against the whole name. Checked before
 * anything is contacted, so that a typo is a usage error naming the value.
 */
export function namespacePatterns(patterns: string[]): RegExp[] {
  return patterns.map((p) => {
    try {
      return new RegExp(`^(?:${p})$`);
    } catch (error) {
      const reason = (error as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, '');
      throw new InvalidInputError(
        'namespace',
        `${shownValue(p)} is not a valid regular expression (${reason}). Give a namespace name or a regex such as "team-.*".`,
      );
    }
  });
}

/** Lists every (kind, namespace) page by page; client-node 1.x takes one request object per call. */
type ListPage = (args: {
  namespace?: string;
  labelSelector?: string;
  _continue?: string;
  limit: number;
}) => Promise<{
  items: Array<{ metadata?: V1ObjectMeta; spec?: unknown }>;
  metadata?: { _continue?: string };
}>;

export class WorkloadLister {
  private readonly apps: AppsV1Api;
  private readonly batch: BatchV1Api;
  private readonly core: CoreV1Api;
  private readonly custom: CustomObjectsApi;

  constructor(private readonly target: KubeTarget) {
    this.apps = target.kubeConfig.makeApiClient(AppsV1Api);
    this.batch = target.kubeConfig.makeApiClient(BatchV1Api);
    this.core = target.kubeConfig.makeApiClient(CoreV1Api);
    this.custom = target.kubeConfig.makeApiClient(CustomObjectsApi);
  }

  /**
   * The namespaces to scan: undefined means "all except kube-system" (krr's default) and lets the
   * lister use cluster-wide calls; plain names are used as given; regexes are matched against the
   * namespace list (which needs permission to list namespaces, as in krr).
   */
  async resolveNamespaces(patterns: string[]): Promise<string[] | undefined> {
    if (patterns.length === 0 || patterns.includes('*')) return undefined;
    if (!patterns.some((p) => REGEX_CHARS.test(p))) return [...new Set(patterns)];
    const all = await this.listAll(
      (a) =>
        this.core.listNamespace({ labelSelector: a.labelSelector, _continue: a._continue, limit: a.limit }),
      undefined,
      undefined,
      'list namespaces (to expand -n patterns)',
    );
    const regexes = namespacePatterns(patterns);
    return all.map((n) => n.metadata?.name ?? '').filter((name) => regexes.some((r) => r.test(name)));
  }

  async list(query: WorkloadQuery): Promise<Workload[]> {
    const { namespaces } = query;
    if (namespaces?.length === 0) return [];
    const kinds =
      query.kinds.length > 0
        ? query.kinds
        : (['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Rollout'] as const);
    const results = await Promise.all(kinds.map((kind) => this.listKind(kind, namespaces, query.selector)));
    const workloads = results.flat().filter((w) => namespaces !== undefined || w.namespace !== 'kube-system');
    return workloads.sort(
      (a, b) =>
        a.namespace.localeCompare(b.namespace) ||
        a.kind.localeCompare(b.kind) ||
        a.name.localeCompare(b.name),
    );
  }

  private async listKind(
    kind: WorkloadKind,
    namespaces: string[] | undefined,
    selector: string | undefined,
  ): Promise<Workload[]> {
    switch (kind) {
      case 'Deployment':
        return this.listTemplated(kind, namespaces, selector, (a) =>
          a.namespace
            ? this.apps.listNamespacedDeployment({ ...a, namespace: a.namespace })
            : this.apps.listDeploymentForAllNamespaces(a),
        );
      case 'StatefulSet':
        return this.listTemplated(kind, namespaces, selector, (a) =>
          a.namespace
            ? this.apps.listNamespacedStatefulSet({ ...a, namespace: a.namespace })
            : this.apps.listStatefulSetForAllNamespaces(a),
        );
      case 'DaemonSet':
        return this.listTemplated(kind, namespaces, selector, (a) =>
          a.namespace
            ? this.apps.listNamespacedDaemonSet({ ...a, namespace: a.namespace })
            : this.apps.listDaemonSetForAllNamespaces(a),
        );
      case 'Job': {
        const jobs = await this.listTemplated(kind, namespaces, selector, (a) =>
          a.namespace
            ? this.batch.listNamespacedJob({ ...a, namespace: a.namespace })
            : this.batch.listJobForAllNamespaces(a),
        );
        // A CronJob's Jobs are scanned as part of the CronJob, as in krr.
        return jobs.filter((j) => !this.ownedByCronJob.has(`${j.namespace}/${j.name}`));
      }
      case 'CronJob': {
        const items = await this.listPages(namespaces, selector, 'list cronjobs', (a) =>
          a.namespace
            ? this.batch.listNamespacedCronJob({ ...a, namespace: a.namespace })
            : this.batch.listCronJobForAllNamespaces(a),
        );
        return items.map((item) => {
          const spec = item.spec as
            | { jobTemplate?: { spec?: { template?: V1PodTemplateSpec; selector?: V1LabelSelector } } }
            | undefined;
          return toWorkload(
            'CronJob',
            item.metadata,
            spec?.jobTemplate?.spec?.template,
            spec?.jobTemplate?.spec?.selector,
          );
        });
      }
      case 'Rollout':
        return this.listRollouts(namespaces, selector);
    }
  }

  /** Jobs owned by a CronJob, filled while listing Jobs (ownerReferences are on the Job). */
  private readonly ownedByCronJob = new Set<string>();

  private async listTemplated(
    kind: WorkloadKind,
    namespaces: string[] | undefined,
    selector: string | undefined,
    page: ListPage,
  ): Promise<Workload[]> {
    const items = await this.listPages(namespaces, selector, `list ${kind.toLowerCase()}s`, page);
    return items.map((item) => {
      const meta = item.metadata;
      if (kind === 'Job' && meta?.ownerReferences?.some((o) => o.kind === 'CronJob')) {
        this.ownedByCronJob.add(`${meta.namespace}/${meta.name}`);
      }
      const spec = item.spec as { template?: V1PodTemplateSpec; selector?: V1LabelSelector } | undefined;
      return toWorkload(kind, meta, spec?.template, spec?.selector);
    });
  }

  private async listRollouts(
    namespaces: string[] | undefined,
    selector: string | undefined,
  ): Promise<Workload[]> {
    let items: Array<{ metadata?: V1ObjectMeta; spec?: unknown }>;
    try {
      items = await this.listPages(namespaces, selector, 'list argo rollouts', async (a) => {
        const group = 'argoproj.io';
        const version = 'v1alpha1';
        const plural = 'rollouts';
        const list = a.namespace
          ? await this.custom.listNamespacedCustomObject({
              group,
              version,
              plural,
              namespace: a.namespace,
              labelSelector: a.labelSelector,
              _continue: a._continue,
              limit: a.limit,
            })
          : await this.custom.listClusterCustomObject({
              group,
              version,
              plural,
              labelSelector: a.labelSelector,
              _continue: a._continue,
              limit: a.limit,
            });
        return list as {
          items: Array<{ metadata?: V1ObjectMeta; spec?: unknown }>;
          metadata?: { _continue?: string; continue?: string };
        };
      });
    } catch (error) {
      // No Rollout CRD (or no right to read it): skip the kind silently, like krr does for CRD kinds.
      if (
        error instanceof KubeApiError &&
        error.status !== undefined &&
        [400, 401, 403, 404].includes(error.status)
      )
        return [];
      throw error;
    }
    const workloads: Workload[] = [];
    for (const item of items) {
      const spec = item.spec as
        | {
            template?: V1PodTemplateSpec;
            selector?: V1LabelSelector;
            workloadRef?: { kind?: string; name?: string };
          }
        | undefined;
      let template = spec?.template;
      let podSelector = spec?.selector;
      if (
        !template?.spec &&
        spec?.workloadRef?.kind === 'Deployment' &&
        spec.workloadRef.name &&
        item.metadata?.namespace
      ) {
        const ref = await this.apps
          .readNamespacedDeployment({ name: spec.workloadRef.name, namespace: item.metadata.namespace })
          .catch(() => undefined);
        template = ref?.spec?.template;
        podSelector = ref?.spec?.selector;
      }
      workloads.push(toWorkload('Rollout', item.metadata, template, podSelector));
    }
    return workloads;
  }

  private async listPages(
    namespaces: string[] | undefined,
    selector: string | undefined,
    action: string,
    page: ListPage,
  ): Promise<Array<{ metadata?: V1ObjectMeta; spec?: unknown }>> {
    if (namespaces === undefined) return this.listAll(page, undefined, selector, action);
    const perNamespace = await Promise.all(
      namespaces.map((ns) => this.listAll(page, ns, selector, `${action} in namespace ${ns}`)),
    );
    return perNamespace.flat();
  }

  private async listAll<T extends { metadata?: V1ObjectMeta }>(
    page: (a: {
      namespace?: string;
      labelSelector?: string;
      _continue?: string;
      limit: number;
    }) => Promise<{ items: T[]; metadata?: { _continue?: string; continue?: string } }>,
    namespace: string | undefined,
    labelSelector: string | undefined,
    action: string,
  ): Promise<T[]> {
    const all: T[] = [];
    let token: string | undefined;
    do {
      let list;
      try {
        list = await page({
          ...(namespace ? { namespace } : {}),
          ...(labelSelector ? { labelSelector } : {}),
          ...(token ? { _continue: token } : {}),
          limit: PAGE,
        });
      } catch (error) {
        const described = describeKubeError(error, action, this.target.identity.server);
        // The API server is the judge of selector syntax; its 400 is the user's mistake, not the cluster's.
        if (described.status === 400 && labelSelector)
          throw new InvalidInputError(
            'selector',
            `${shownValue(labelSelector)} was refused by the Kubernetes API (${described.detail}). Use the label selector syntax of kubectl -l, e.g. "app=web,tier in (a,b)".`,
          );
        throw described;
      }
      all.push(...list.items);
      token = list.metadata?._continue ?? list.metadata?.continue ?? undefined;
    } while (token);
    return all;
  }
}

function toWorkload(
  kind: WorkloadKind,
  meta: V1ObjectMeta | undefined,
  template: V1PodTemplateSpec | undefined,
  selector: V1LabelSelector | undefined,
): Workload {
  return {
    kind,
    namespace: meta?.namespace ?? 'default',
    name: meta?.name ?? '',
    uid: meta?.uid ?? '',
    labels: { ...(meta?.labels ?? {}) },
    annotations: { ...(meta?.annotations ?? {}) },
    containers: (template?.spec?.containers ?? []).map(toContainerResources),
    ...(selector ? { selector } : {}),
  };
}

function toContainerResources(c: V1Container): ContainerResources {
  const pick = (values: Record<string, string> | undefined) => ({
    ...(values?.cpu !== undefined ? { cpu: String(values.cpu) } : {}),
    ...(values?.memory !== undefined ? { memory: String(values.memory) } : {}),
  });
  return { name: c.name, requests: pick(c.resources?.requests), limits: pick(c.resources?.limits) };
}
