// The demo workspace's Git repository: the demo cluster's workloads as a platform team keeps them, in the three
// shapes krr-mcp writes recommendations into. Generated from the same model as the cluster, so every value in
// the files is the live one.
//   gitops/shop/            Kustomize: a base shared by the prod and staging overlays (Argo CD syncs prod)
//   manifests/              plain YAML: prod's worker, model server, Postgres, CronJobs; the node exporter
//   charts/fluent-bit/      a Helm chart whose values.yaml sets the DaemonSet's resources

import type { ContainerSpec, FixtureCluster, FixtureWorkload } from './cluster-model.js';

type Files = Record<string, string>;

function find(cluster: FixtureCluster, namespace: string, name: string): FixtureWorkload {
  const workload = cluster.workloads.find((w) => w.namespace === namespace && w.name === name);
  if (!workload) throw new Error(`the demo cluster has no ${namespace}/${name}`);
  return workload;
}

/** A container's `resources:` block at `indent` spaces, as people write it. */
function resources(c: ContainerSpec, indent: number): string {
  const pad = ' '.repeat(indent);
  const lines = [`${pad}resources:`];
  for (const which of ['requests', 'limits'] as const) {
    const values = c[which];
    if (!values || Object.keys(values).length === 0) continue;
    lines.push(`${pad}  ${which}:`);
    if (values.cpu !== undefined) lines.push(`${pad}    cpu: ${values.cpu}`);
    if (values.memory !== undefined) lines.push(`${pad}    memory: ${values.memory}`);
  }
  return lines.join('\n');
}

function containers(w: FixtureWorkload, indent: number): string {
  const pad = ' '.repeat(indent);
  return w.containers
    .map((c) =>
      [
        `${pad}- name: ${c.name}`,
        `${pad}  image: ${c.image ?? `${c.name}:latest`}`,
        resources(c, indent + 2),
      ].join('\n'),
    )
    .join('\n');
}

const API_VERSION: Record<string, string> = {
  Deployment: 'apps/v1',
  StatefulSet: 'apps/v1',
  DaemonSet: 'apps/v1',
  CronJob: 'batch/v1',
};

/** A workload document; `namespace` undefined leaves it to Kustomize. */
function workloadYaml(w: FixtureWorkload, namespace: string | undefined, comment: string): string {
  const meta = [`  name: ${w.name}`, ...(namespace ? [`  namespace: ${namespace}`] : [])];
  const labels = `  labels:\n    app: ${w.name}`;
  const head = [
    `# ${comment}`,
    `apiVersion: ${API_VERSION[w.kind]}`,
    `kind: ${w.kind}`,
    'metadata:',
    ...meta,
    labels,
  ];
  if (w.kind === 'CronJob') {
    return [
      ...head,
      'spec:',
      '  schedule: "0 2 * * *"',
      '  jobTemplate:',
      '    spec:',
      '      template:',
      '        spec:',
      '          restartPolicy: OnFailure',
      '          containers:',
      containers(w, 12),
      '',
    ].join('\n');
  }
  return [
    ...head,
    'spec:',
    ...(w.kind === 'DaemonSet' ? [] : [`  replicas: ${w.replicas ?? 1}`]),
    ...(w.kind === 'StatefulSet' ? [`  serviceName: ${w.name}`] : []),
    '  selector:',
    `    matchLabels: { app: ${w.name} }`,
    '  template:',
    '    metadata:',
    `      labels: { app: ${w.name} }`,
    '    spec:',
    '      containers:',
    containers(w, 8),
    '',
  ].join('\n');
}

function kustomize(cluster: FixtureCluster): Files {
  const prod = (name: string) => find(cluster, 'prod', name);
  const api = prod('checkout-api');
  const memory = api.containers[0]!.requests?.memory;
  return {
    'gitops/shop/base/kustomization.yaml': 'resources:\n  - storefront.yaml\n  - checkout-api.yaml\n',
    'gitops/shop/base/storefront.yaml': workloadYaml(
      prod('storefront'),
      undefined,
      'The web tier (an HPA scales it on CPU in prod).',
    ),
    'gitops/shop/base/checkout-api.yaml': workloadYaml(
      api,
      undefined,
      'The checkout API, sized the same in every environment.',
    ),
    'gitops/shop/overlays/prod/kustomization.yaml': [
      '# Argo CD application shop-prod syncs this overlay to the prod namespace.',
      'namespace: prod',
      'resources:',
      '  - ../../base',
      'patches:',
      '  - path: checkout-api-resources.yaml',
      '',
    ].join('\n'),
    'gitops/shop/overlays/prod/checkout-api-resources.yaml': [
      '# Prod keeps its own memory for the checkout API.',
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: checkout-api',
      'spec:',
      '  template:',
      '    spec:',
      '      containers:',
      '        - name: api',
      '          resources:',
      '            requests:',
      `              memory: ${memory}`,
      '            limits:',
      `              memory: ${memory}`,
      '',
    ].join('\n'),
    'gitops/shop/overlays/staging/kustomization.yaml': 'namespace: staging\nresources:\n  - ../../base\n',
  };
}

function plain(cluster: FixtureCluster): Files {
  const prod = (name: string) => find(cluster, 'prod', name);
  return {
    'manifests/prod/payments-worker.yaml': workloadYaml(
      prod('payments-worker'),
      'prod',
      'Settles payments from the queue.',
    ),
    'manifests/prod/recommendation-engine.yaml': workloadYaml(
      prod('recommendation-engine'),
      'prod',
      'Serves product recommendations; its model grew last month.',
    ),
    'manifests/prod/postgres.yaml': workloadYaml(prod('postgres'), 'prod', 'The shop database.'),
    'manifests/prod/cronjobs.yaml': [
      workloadYaml(prod('nightly-report'), 'prod', 'Sales report, every night.'),
      workloadYaml(prod('db-backup'), 'prod', 'Database backup, every night.'),
    ].join('---\n'),
    'manifests/monitoring/node-exporter.yaml': workloadYaml(
      find(cluster, 'monitoring', 'node-exporter'),
      'monitoring',
      'Node metrics on every node.',
    ),
  };
}

function helm(cluster: FixtureCluster): Files {
  const fluentBit = find(cluster, 'logging', 'fluent-bit');
  const chartLabel = fluentBit.labels['helm.sh/chart'] ?? 'fluent-bit-0.0.0';
  const version = chartLabel.slice('fluent-bit-'.length);
  const c = fluentBit.containers[0]!;
  return {
    'charts/fluent-bit/Chart.yaml': `apiVersion: v2\nname: fluent-bit\nversion: ${version}\ndescription: Ships the nodes' logs.\n`,
    'charts/fluent-bit/values.yaml': [
      '# Installed with: helm install fluent-bit charts/fluent-bit -n logging',
      `image: ${c.image ?? 'fluent-bit:latest'}`,
      '',
      '# One pod per node: every MiB here is paid three times.',
      resources(c, 0),
      '',
    ].join('\n'),
    'charts/fluent-bit/templates/daemonset.yaml': [
      'apiVersion: apps/v1',
      'kind: DaemonSet',
      'metadata:',
      '  name: {{ .Release.Name }}',
      '  labels:',
      '    app: {{ .Release.Name }}',
      '    app.kubernetes.io/name: {{ .Chart.Name }}',
      '    app.kubernetes.io/instance: {{ .Release.Name }}',
      '    helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version }}',
      'spec:',
      '  selector:',
      '    matchLabels: { app: {{ .Release.Name }} }',
      '  template:',
      '    metadata:',
      '      labels: { app: {{ .Release.Name }} }',
      '    spec:',
      '      containers:',
      '        - name: {{ .Chart.Name }}',
      '          image: {{ .Values.image }}',
      '          resources:',
      '            {{- toYaml .Values.resources | nindent 12 }}',
      '',
    ].join('\n'),
  };
}

/** Every file of the demo workspace's manifests, by path relative to the workspace. */
export function demoManifests(cluster: FixtureCluster): Files {
  return { ...kustomize(cluster), ...plain(cluster), ...helm(cluster) };
}
