// The shared cluster model (src/demo/cluster-model.ts) as API objects: what a real
// cluster holding those workloads, their ReplicaSets/Jobs, running pods, HPAs and Services returns.

import type {
  ContainerSpec,
  FixtureCluster,
  FixtureHpa,
  FixtureService,
  FixtureWorkload,
  ResourceQuantities,
} from '../cluster-model.js';
import { objectUid } from './store.js';
import type { JsonObject, KubeObject, OwnerReference } from './types.js';

const CREATED = '2026-01-01T00:00:00Z';
const DEFAULT_IMAGE = 'registry.example/app:1.0';

const WORKLOAD_API: Record<FixtureWorkload['kind'], string> = {
  Deployment: 'apps/v1',
  StatefulSet: 'apps/v1',
  DaemonSet: 'apps/v1',
  Job: 'batch/v1',
  CronJob: 'batch/v1',
  Rollout: 'argoproj.io/v1alpha1',
};

function quantities(q: ResourceQuantities | undefined): Record<string, string> | undefined {
  if (!q) return undefined;
  const out: Record<string, string> = {};
  if (q.cpu !== undefined) out.cpu = q.cpu;
  if (q.memory !== undefined) out.memory = q.memory;
  return Object.keys(out).length > 0 ? out : undefined;
}

function container(spec: ContainerSpec): JsonObject {
  const resources: JsonObject = {};
  const requests = quantities(spec.requests);
  const limits = quantities(spec.limits);
  if (limits) resources.limits = limits;
  if (requests) resources.requests = requests;
  return {
    name: spec.name,
    image: spec.image ?? DEFAULT_IMAGE,
    resources,
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    imagePullPolicy: 'IfNotPresent',
  };
}

function podSpec(containers: ContainerSpec[], restartPolicy: string): JsonObject {
  return {
    containers: containers.map(container),
    restartPolicy,
    terminationGracePeriodSeconds: 30,
    dnsPolicy: 'ClusterFirst',
    schedulerName: 'default-scheduler',
    securityContext: {},
  };
}

function selectorLabels(w: FixtureWorkload): Record<string, string> {
  return { app: w.name };
}

function meta(
  kind: string,
  namespace: string | undefined,
  name: string,
  extra: Partial<KubeObject['metadata']> = {},
) {
  return {
    name,
    ...(namespace !== undefined ? { namespace } : {}),
    uid: objectUid(kind, namespace, name),
    creationTimestamp: CREATED,
    ...extra,
  };
}

function ownerRef(apiVersion: string, kind: string, namespace: string, name: string): OwnerReference {
  return {
    apiVersion,
    kind,
    name,
    uid: objectUid(kind, namespace, name),
    controller: true,
    blockOwnerDeletion: true,
  };
}

function template(w: FixtureWorkload, restartPolicy: string): JsonObject {
  return {
    metadata: { labels: { ...selectorLabels(w) } },
    spec: podSpec(w.containers, restartPolicy),
  };
}

function workloadObject(w: FixtureWorkload): KubeObject {
  const apiVersion = WORKLOAD_API[w.kind];
  const metadata = meta(w.kind, w.namespace, w.name, {
    labels: { ...w.labels },
    ...(w.annotations ? { annotations: { ...w.annotations } } : {}),
  });
  const replicas = w.replicas ?? 1;
  // A DaemonSet runs one pod per node: as many as the fixture's running pods, when it lists pods.
  const scheduled = w.pods.length > 0 ? w.pods.filter((p) => p.endSecond === undefined).length : replicas;
  const selector = { matchLabels: selectorLabels(w) };
  switch (w.kind) {
    case 'Deployment':
      return {
        apiVersion,
        kind: w.kind,
        metadata,
        spec: {
          replicas,
          selector,
          template: template(w, 'Always'),
          strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
          revisionHistoryLimit: 10,
          progressDeadlineSeconds: 600,
        },
        status: {
          replicas,
          readyReplicas: replicas,
          availableReplicas: replicas,
          updatedReplicas: replicas,
          observedGeneration: 1,
        },
      };
    case 'StatefulSet':
      return {
        apiVersion,
        kind: w.kind,
        metadata,
        spec: {
          replicas,
          selector,
          serviceName: w.name,
          template: template(w, 'Always'),
          podManagementPolicy: 'OrderedReady',
        },
        status: { replicas, readyReplicas: replicas, currentReplicas: replicas, observedGeneration: 1 },
      };
    case 'DaemonSet':
      return {
        apiVersion,
        kind: w.kind,
        metadata,
        spec: { selector, template: template(w, 'Always'), updateStrategy: { type: 'RollingUpdate' } },
        status: {
          desiredNumberScheduled: scheduled,
          numberReady: scheduled,
          currentNumberScheduled: scheduled,
        },
      };
    case 'Job':
      return {
        apiVersion,
        kind: w.kind,
        metadata,
        spec: {
          parallelism: replicas,
          completions: replicas,
          backoffLimit: 6,
          template: template(w, 'Never'),
        },
        status: {},
      };
    case 'CronJob':
      return {
        apiVersion,
        kind: w.kind,
        metadata,
        spec: {
          schedule: '*/30 * * * *',
          concurrencyPolicy: 'Allow',
          suspend: false,
          jobTemplate: { spec: { backoffLimit: 6, template: template(w, 'OnFailure') } },
        },
        status: {},
      };
    case 'Rollout':
      return {
        apiVersion,
        kind: w.kind,
        metadata,
        spec: {
          replicas,
          selector,
          template: template(w, 'Always'),
          strategy: { canary: { steps: [{ setWeight: 50 }] } },
        },
        status: {},
      };
  }
}

function replicaSets(w: FixtureWorkload): KubeObject[] {
  if (w.kind !== 'Deployment' && w.kind !== 'Rollout') return [];
  const names = w.replicaSets ?? [];
  return names.map((name, i) => {
    const current = i === names.length - 1;
    const hash = name.slice(w.name.length + 1) || name;
    const replicas = current ? (w.replicas ?? 1) : 0;
    return {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: meta('ReplicaSet', w.namespace, name, {
        labels: { ...selectorLabels(w), 'pod-template-hash': hash },
        ownerReferences: [ownerRef(WORKLOAD_API[w.kind], w.kind, w.namespace, w.name)],
      }),
      spec: {
        replicas,
        selector: { matchLabels: { ...selectorLabels(w), 'pod-template-hash': hash } },
        template: {
          metadata: { labels: { ...selectorLabels(w), 'pod-template-hash': hash } },
          spec: podSpec(w.containers, 'Always'),
        },
      },
      status: { replicas, readyReplicas: replicas },
    };
  });
}

function jobs(w: FixtureWorkload): KubeObject[] {
  if (w.kind !== 'CronJob') return [];
  return (w.jobs ?? []).map((name) => ({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: meta('Job', w.namespace, name, {
      labels: { ...selectorLabels(w), 'job-name': name },
      ownerReferences: [ownerRef('batch/v1', 'CronJob', w.namespace, w.name)],
    }),
    spec: { parallelism: 1, completions: 1, backoffLimit: 6, template: { ...template(w, 'OnFailure') } },
    status: {},
  }));
}

const OWNER_API: Record<string, string> = {
  ReplicaSet: 'apps/v1',
  StatefulSet: 'apps/v1',
  DaemonSet: 'apps/v1',
  Job: 'batch/v1',
};

function pods(w: FixtureWorkload): KubeObject[] {
  return w.pods
    .filter((p) => p.endSecond === undefined)
    .map((p) => {
      const labels: Record<string, string> = { ...selectorLabels(w) };
      if (p.owner.kind === 'ReplicaSet') {
        const hash = p.owner.name.slice(w.name.length + 1);
        if (hash) labels['pod-template-hash'] = hash;
      }
      if (p.owner.kind === 'Job') labels['job-name'] = p.owner.name;
      return {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: meta('Pod', w.namespace, p.name, {
          labels,
          ownerReferences: [
            ownerRef(OWNER_API[p.owner.kind] ?? 'apps/v1', p.owner.kind, w.namespace, p.owner.name),
          ],
        }),
        spec: {
          ...podSpec(w.containers, w.kind === 'Job' || w.kind === 'CronJob' ? 'OnFailure' : 'Always'),
          nodeName: p.node,
        },
        status: {
          phase: 'Running',
          conditions: [{ type: 'Ready', status: 'True' }],
          containerStatuses: w.containers.map((c) => ({
            name: c.name,
            ready: true,
            restartCount: 0,
            image: c.image ?? DEFAULT_IMAGE,
            state: { running: { startedAt: CREATED } },
          })),
        },
      };
    });
}

function hpa(h: FixtureHpa): KubeObject {
  const metrics: JsonObject[] = [];
  if (h.cpuUtilization !== undefined) {
    metrics.push({
      type: 'Resource',
      resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: h.cpuUtilization } },
    });
  }
  if (h.memoryUtilization !== undefined) {
    metrics.push({
      type: 'Resource',
      resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: h.memoryUtilization } },
    });
  }
  if (h.externalMetric !== undefined) {
    metrics.push({
      type: 'External',
      external: { metric: { name: h.externalMetric }, target: { type: 'AverageValue', averageValue: '10' } },
    });
  }
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: meta('HorizontalPodAutoscaler', h.namespace, h.name),
    spec: {
      scaleTargetRef: {
        apiVersion: h.target.apiVersion ?? 'apps/v1',
        kind: h.target.kind,
        name: h.target.name,
      },
      minReplicas: h.minReplicas,
      maxReplicas: h.maxReplicas,
      metrics,
    },
    status: { currentReplicas: h.currentReplicas, desiredReplicas: h.desiredReplicas, currentMetrics: [] },
  };
}

function service(s: FixtureService): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta('Service', s.namespace, s.name, { labels: { ...s.labels } }),
    spec: {
      type: 'ClusterIP',
      selector: { ...s.labels },
      ports: [{ name: 'http', protocol: 'TCP', port: s.port, targetPort: s.port }],
    },
    status: { loadBalancer: {} },
  };
}

/** Every API object the model describes, in storage versions, ready for `startKubeSimulator({ objects })`. */
export function fixtureObjects(cluster: FixtureCluster): KubeObject[] {
  const namespaces = new Set([
    ...cluster.namespaces,
    ...cluster.workloads.map((w) => w.namespace),
    ...cluster.hpas.map((h) => h.namespace),
    ...(cluster.services ?? []).map((s) => s.namespace),
  ]);
  const objects: KubeObject[] = [...namespaces].map((name) => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: meta('Namespace', undefined, name, { labels: { 'kubernetes.io/metadata.name': name } }),
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  }));
  for (const w of cluster.workloads) {
    // Without the CRD the API server has nowhere to keep a Rollout; its ReplicaSets and pods still exist.
    if (w.kind !== 'Rollout' || cluster.rolloutsCrd) objects.push(workloadObject(w));
    objects.push(...replicaSets(w), ...jobs(w), ...pods(w));
  }
  objects.push(...cluster.hpas.map(hpa), ...(cluster.services ?? []).map(service));
  return objects;
}
