import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  planManifestChanges,
  unifiedDiff,
  type ClusterWorkloadMetadata,
  type ManifestFile,
} from '../../../../src/core/manifests/index.js';
import type { WorkloadKind } from '../../../../src/core/recommend/model.js';
import { applied, change, editOf, fixtureFiles, request, simple, statuses } from './manifest-fixtures.js';

/** What the cluster shows for a workload of `helm install <release> payments`. */
function helmMetadata(kind: WorkloadKind, name: string, release = 'payments'): ClusterWorkloadMetadata {
  return {
    kind,
    namespace: 'payments',
    name,
    labels: {
      'helm.sh/chart': 'payments-1.2.0',
      'app.kubernetes.io/managed-by': 'Helm',
      'app.kubernetes.io/instance': release,
    },
    annotations: { 'meta.helm.sh/release-name': release },
  };
}

const VALUES_DIFF = `--- a/helm/payments/values.yaml
+++ b/helm/payments/values.yaml
@@ -8,11 +8,10 @@
 # The API container. Sized with krr in March.
 resources:
   requests:
-    cpu: 250m # p95 over 14 days
-    memory: 300Mi
+    cpu: 300m # p95 over 14 days
+    memory: 400Mi
   limits:
-    cpu: 500m
-    memory: 300Mi
+    memory: 400Mi
 
 settlement:
   schedule: "30 2 * * *"
`;

test("the workload's Helm labels pick the chart; `toYaml .Values.resources` is edited in values.yaml", async () => {
  const files = await fixtureFiles('helm');
  const change = request(['Deployment', 'payments', 'payments', [simple('payments', '300m', '400Mi')]]);
  const plan = planManifestChanges(files, change, {
    workloadMetadata: [helmMetadata('Deployment', 'payments')],
  });
  assert.deepEqual(statuses(plan), ['Deployment payments/payments payments: edited']);
  assert.deepEqual(
    plan.edits.map((e) => e.path),
    ['helm/payments/values.yaml'],
  );
  assert.equal(unifiedDiff(plan.edits[0]!, 'helm/payments/values.yaml'), VALUES_DIFF);
  assert.deepEqual(plan.containers[0]!.location, {
    path: 'helm/payments/values.yaml',
    line: 9,
    column: 1,
    layer: 'values helm/payments/values.yaml',
  });
  assert.deepEqual(plan.fileErrors, []);

  const again = planManifestChanges(applied(files, plan), change, {
    workloadMetadata: [helmMetadata('Deployment', 'payments')],
  });
  assert.deepEqual(statuses(again), ['Deployment payments/payments payments: unchanged']);

  // Without labels, a workload no other file defines is looked for in the charts by its name.
  const byName = planManifestChanges(files, change);
  assert.equal(unifiedDiff(byName.edits[0]!, 'helm/payments/values.yaml'), VALUES_DIFF);
});

test("a release's values file is read over values.yaml and written instead of it", async () => {
  const files = await fixtureFiles('helm');
  const plan = planManifestChanges(
    files,
    request(['Deployment', 'payments', 'payments-prod', [simple('payments', '300m', '600Mi')]]),
    { helm: { release: 'payments-prod', valuesFile: 'helm/releases/payments-prod.yaml' } },
  );
  assert.deepEqual(statuses(plan), ['Deployment payments/payments-prod payments: edited']);
  assert.deepEqual(plan.containers[0]!.changes, [
    { which: 'requests', resource: 'cpu', from: '250m', to: '300m' },
    { which: 'requests', resource: 'memory', from: '512Mi', to: '600Mi' },
    { which: 'limits', resource: 'cpu', from: '500m' },
    { which: 'limits', resource: 'memory', from: '300Mi', to: '600Mi' },
  ]);
  assert.deepEqual(
    plan.edits.map((e) => e.path),
    ['helm/releases/payments-prod.yaml'],
  );
  assert.equal(
    editOf(plan, 'helm/releases/payments-prod.yaml').after,
    `# helm upgrade payments-prod ../payments -f payments-prod.yaml
replicaCount: 4
resources:
  requests:
    cpu: 300m
    memory: 600Mi
  limits:
    cpu: null
    memory: 600Mi
`,
  );
  assert.deepEqual(plan.notes, [
    'chart payments (helm/payments/templates/deployment.yaml): Deployment payments/payments-prod container payments: ' +
      'values helm/payments/values.yaml is shared by every release of chart payments (the values file ' +
      'helm/releases/payments-prod.yaml is written instead); wrote requests.cpu, limits.cpu, limits.memory into values ' +
      "helm/releases/payments-prod.yaml (limits.cpu as null: in a release's values, null removes the chart's default)",
  ]);
});

test('per-field values (`cpu: {{ .Values.x | quote }}`) are edited key by key; fields the template lacks are reported', async () => {
  const files = await fixtureFiles('helm');
  const metadata = { workloadMetadata: [helmMetadata('CronJob', 'payments-settlement')] };
  const plan = planManifestChanges(
    files,
    request(['CronJob', 'payments', 'payments-settlement', [simple('settlement', '50m', '200Mi')]]),
    metadata,
  );
  assert.equal(
    unifiedDiff(plan.edits[0]!, 'helm/payments/values.yaml'),
    `--- a/helm/payments/values.yaml
+++ b/helm/payments/values.yaml
@@ -17,6 +17,6 @@
 settlement:
   schedule: "30 2 * * *"
   # The job's template takes these one by one.
-  cpu: 100m
-  memory: 128Mi
-  memoryLimit: 256Mi
+  cpu: 50m
+  memory: 200Mi
+  memoryLimit: 200Mi
`,
  );
  const missing = planManifestChanges(
    files,
    request([
      'CronJob',
      'payments',
      'payments-settlement',
      [change('settlement', { requests: { cpu: '50m' }, limits: { cpu: '100m' } })],
    ]),
    metadata,
  );
  assert.deepEqual(missing.edits, []);
  assert.deepEqual(
    [missing.containers[0]!.status, missing.containers[0]!.reason],
    ['unsupported', 'helm/payments/templates/settlement-cronjob.yaml:18 takes no limits.cpu from the values'],
  );
  const removal = planManifestChanges(
    files,
    request([
      'CronJob',
      'payments',
      'payments-settlement',
      [change('settlement', { limits: { memory: null } })],
    ]),
    metadata,
  );
  assert.equal(
    removal.containers[0]!.reason,
    'helm/payments/templates/settlement-cronjob.yaml:18 always writes limits.memory (.Values.settlement.memoryLimit); ' +
      'removing it needs a template change',
  );
});

test('a template too dynamic to follow is reported with its line, and nothing is written', async () => {
  const files = await fixtureFiles('helm');
  const plan = planManifestChanges(
    files,
    request(['DaemonSet', 'payments', 'payments-metrics', [simple('exporter', '10m', '20Mi')]]),
    { workloadMetadata: [helmMetadata('DaemonSet', 'payments-metrics')] },
  );
  assert.deepEqual(plan.edits, []);
  assert.deepEqual(
    [plan.containers[0]!.status, plan.containers[0]!.reason],
    [
      'unsupported',
      'helm/payments/templates/metrics-daemonset.yaml:19: the template is too dynamic: ' +
        '{{- include "payments.exporterResources" . | nindent 12 }}',
    ],
  );
  assert.deepEqual(plan.containers[0]!.location, {
    path: 'helm/payments/templates/metrics-daemonset.yaml',
    line: 19,
    column: 1,
    layer: 'template helm/payments/templates/metrics-daemonset.yaml',
  });
});

test('a Helm workload whose chart is not among the files is not found, and no other file is taken for it', async () => {
  const files = [
    ...(await fixtureFiles('helm')),
    {
      path: 'billing.yaml',
      text: 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: billing, namespace: shop}\nspec:\n  template:\n    spec:\n      containers: [{name: billing}]\n',
    },
  ];
  const plan = planManifestChanges(
    files,
    request(['Deployment', 'shop', 'billing', [simple('billing', '300m', '400Mi')]]),
    {
      workloadMetadata: [
        {
          kind: 'Deployment',
          namespace: 'shop',
          name: 'billing',
          labels: { 'helm.sh/chart': 'billing-0.3.1', 'app.kubernetes.io/managed-by': 'Helm' },
        },
      ],
    },
  );
  assert.deepEqual(plan.edits, []);
  assert.deepEqual(
    [plan.containers[0]!.status, plan.containers[0]!.reason],
    ['not-found', 'its chart (helm.sh/chart: billing-0.3.1) is not among the files'],
  );
});

test('two templates that render the same kind and container are ambiguous', () => {
  const template = (suffix: string, values: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "tools.fullname" . }}${suffix}
spec:
  template:
    spec:
      containers:
        - name: {{ .Chart.Name }}
          resources:
            {{- toYaml .Values.${values} | nindent 12 }}
`;
  const files: ManifestFile[] = [
    { path: 'tools/Chart.yaml', text: 'apiVersion: v2\nname: tools\nversion: 0.1.0\n' },
    { path: 'tools/values.yaml', text: 'resources: {}\n' },
    { path: 'tools/templates/a.yaml', text: template('', 'resources') },
    { path: 'tools/templates/b.yaml', text: template('', 'resources') },
    { path: 'tools/templates/c.yaml', text: template('-worker', 'worker.resources') },
  ];
  const options = { helm: { release: 'tools' } };
  const plan = planManifestChanges(
    files,
    request(['Deployment', 'ops', 'tools', [simple('tools', '10m', '16Mi')]]),
    options,
  );
  assert.deepEqual(plan.edits, []);
  assert.equal(plan.containers[0]!.status, 'ambiguous');
  assert.deepEqual(
    plan.containers[0]!.candidates.map((c) => c.description),
    [
      'helm chart tools (tools/templates/a.yaml): Deployment ops/tools',
      'helm chart tools (tools/templates/b.yaml): Deployment ops/tools',
    ],
  );
  // The worker template's literal suffix tells it apart; its values key is created.
  const worker = planManifestChanges(
    files,
    request(['Deployment', 'ops', 'tools-worker', [simple('tools', '10m', '16Mi')]]),
    options,
  );
  assert.equal(
    editOf(worker, 'tools/values.yaml').after,
    'resources: {}\nworker:\n  resources:\n    requests:\n      cpu: 10m\n      memory: 16Mi\n    limits:\n      memory: 16Mi\n',
  );
});

test('a values edit that would also change another container is refused (verified by reading the result)', () => {
  const template = (suffix: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "tools.fullname" . }}${suffix}
spec:
  template:
    spec:
      containers:
        - name: {{ .Chart.Name }}
          resources:
            {{- toYaml .Values.resources | nindent 12 }}
`;
  const files: ManifestFile[] = [
    { path: 'tools/Chart.yaml', text: 'apiVersion: v2\nname: tools\nversion: 0.1.0\n' },
    { path: 'tools/values.yaml', text: 'resources:\n  requests:\n    cpu: 100m\n' },
    { path: 'tools/templates/api.yaml', text: template('') },
    { path: 'tools/templates/worker.yaml', text: template('-worker') },
  ];
  const plan = planManifestChanges(
    files,
    request(['Deployment', 'ops', 'tools-worker', [change('tools', { requests: { cpu: '10m' } })]]),
    { helm: { release: 'tools' } },
  );
  assert.deepEqual(plan.edits, []);
  assert.deepEqual(
    [plan.containers[0]!.status, plan.containers[0]!.reason],
    [
      'unsupported',
      'the edit would also change Deployment tools container tools (chart tools (tools/templates/api.yaml))',
    ],
  );
});

test("`helm create`'s `resources: {}` with its commented example becomes a block above the comments", () => {
  const values = `replicaCount: 1

resources: {}
  # We usually recommend not to specify default resources and to leave this as a conscious
  # choice for the user.
  # limits:
  #   cpu: 100m

nodeSelector: {}
`;
  const files: ManifestFile[] = [
    { path: 'demo/Chart.yaml', text: 'apiVersion: v2\nname: demo\nversion: 0.1.0\n' },
    { path: 'demo/values.yaml', text: values },
    {
      path: 'demo/templates/deployment.yaml',
      text: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "demo.fullname" . }}
  labels:
    {{- include "demo.labels" . | nindent 4 }}
spec:
  {{- if not .Values.autoscaling.enabled }}
  replicas: {{ .Values.replicaCount }}
  {{- end }}
  template:
    spec:
      containers:
        - name: {{ .Chart.Name }}
          securityContext:
            {{- toYaml .Values.securityContext | nindent 12 }}
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"
          livenessProbe:
            {{- toYaml .Values.livenessProbe | nindent 12 }}
          resources:
            {{- toYaml .Values.resources | nindent 12 }}
          {{- with .Values.volumeMounts }}
          volumeMounts:
            {{- toYaml . | nindent 12 }}
          {{- end }}
`,
    },
  ];
  const plan = planManifestChanges(
    files,
    request(['Deployment', 'default', 'demo', [simple('demo', '250m', '128Mi')]]),
    {
      helm: { release: 'demo' },
    },
  );
  assert.equal(
    editOf(plan, 'demo/values.yaml').after,
    values.replace(
      'resources: {}\n',
      'resources:\n  requests:\n    cpu: 250m\n    memory: 128Mi\n  limits:\n    memory: 128Mi\n',
    ),
  );
});
