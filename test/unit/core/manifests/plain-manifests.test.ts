import assert from 'node:assert/strict';
import { test } from 'node:test';
import { indexManifests, planManifestChanges, unifiedDiff } from '../../../../src/core/manifests/index.js';
import { applied, change, fixtureFiles, request, simple, statuses } from './manifest-fixtures.js';

test('every workload kind of the plain fixtures gets exactly the values of the live patch', async () => {
  const files = await fixtureFiles('plain');
  const plan = planManifestChanges(
    files,
    request(
      ['Deployment', 'shop', 'web', [simple('app', '300m', '461Mi'), simple('proxy', '10m', '32Mi')]],
      ['CronJob', 'shop', 'report', [simple('report', '120m', '300Mi')]],
      ['StatefulSet', 'shop', 'cache', [simple('redis', '50m', '200Mi')]],
      ['Rollout', 'shop', 'checkout', [simple('checkout', '150m', '256Mi')]],
      ['Job', 'shop', 'reindex', [simple('reindex', '1', '1536Mi')]],
      ['DaemonSet', 'logging', 'log-agent', [simple('agent', '20m', '64Mi')]],
    ),
  );
  assert.deepEqual(statuses(plan), [
    'Deployment shop/web app: edited',
    'Deployment shop/web proxy: edited',
    'CronJob shop/report report: edited',
    'StatefulSet shop/cache redis: edited',
    'Rollout shop/checkout checkout: edited',
    'Job shop/reindex reindex: edited',
    'DaemonSet logging/log-agent agent: edited',
  ]);
  assert.deepEqual(plan.notes, []);
  assert.deepEqual(plan.fileErrors, []);
  assert.deepEqual(
    plan.edits.map((edit) => unifiedDiff(edit, edit.path)),
    [
      `--- a/plain/shop.yaml
+++ b/plain/shop.yaml
@@ -29,16 +29,18 @@
             - containerPort: 8080
           resources:
             requests:
-              cpu: 500m # sized for the launch
-              memory: 512Mi
+              cpu: 300m # sized for the launch
+              memory: 461Mi
             limits:
-              cpu: '1'
-              memory: 1Gi
+              memory: 461Mi
         - name: proxy
           image: envoyproxy/envoy:v1.30
           resources:
             requests:
-              cpu: 50m
+              cpu: 10m
+              memory: 32Mi
+            limits:
+              memory: 32Mi
 ---
 apiVersion: batch/v1
 kind: CronJob
@@ -57,5 +59,7 @@
               image: shop/report:1.4
               resources:
                 requests:
-                  cpu: 250m
-                  memory: 256Mi
+                  cpu: 120m
+                  memory: 300Mi
+                limits:
+                  memory: 300Mi
`,
      `--- a/plain/cache.yaml
+++ b/plain/cache.yaml
@@ -16,4 +16,4 @@
       containers:
         - name: redis
           image: redis:7.2
-          resources: { requests: { cpu: 100m, memory: 128Mi }, limits: { memory: 256Mi } }
+          resources: { requests: { cpu: 50m, memory: 200Mi }, limits: { memory: 200Mi } }
`,
      `--- a/plain/checkout-rollout.yaml
+++ b/plain/checkout-rollout.yaml
@@ -23,5 +23,7 @@
           image: shop/checkout:2.0
           resources:
             requests:
-              cpu: 200m
+              cpu: 150m
               memory: 256Mi
+            limits:
+              memory: 256Mi
`,
      `--- a/plain/batch.yaml
+++ b/plain/batch.yaml
@@ -15,6 +15,12 @@
       containers:
         - name: agent
           image: fluent/fluent-bit:3.0
+          resources:
+            requests:
+              cpu: 20m
+              memory: 64Mi
+            limits:
+              memory: 64Mi
 ---
 apiVersion: batch/v1
 kind: Job
@@ -29,5 +35,8 @@
         - name: reindex
           image: shop/reindex:1.4
           resources:
+            requests:
+              cpu: 1
+              memory: 1536Mi
             limits:
-              memory: 2Gi
+              memory: 1536Mi
`,
    ],
  );
  assert.deepEqual(
    plan.containers
      .map((c) => c.placements.map((p) => `${p.field} → ${p.path}:${p.line}`))
      .flat()
      .slice(0, 4),
    [
      'requests.cpu → plain/shop.yaml:30',
      'requests.memory → plain/shop.yaml:30',
      'limits.cpu → plain/shop.yaml:30',
      'limits.memory → plain/shop.yaml:30',
    ],
  );

  const again = planManifestChanges(
    applied(files, plan),
    request(
      ['Deployment', 'shop', 'web', [simple('app', '300m', '461Mi'), simple('proxy', '10m', '32Mi')]],
      ['StatefulSet', 'shop', 'cache', [simple('redis', '50m', '200Mi')]],
    ),
  );
  assert.deepEqual(again.edits, []);
  assert.deepEqual(statuses(again), [
    'Deployment shop/web app: unchanged',
    'Deployment shop/web proxy: unchanged',
    'StatefulSet shop/cache redis: unchanged',
  ]);
});

test('a document without a namespace matches only when it is the only definition of that container', () => {
  const deployment = (namespace: string | undefined) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
${namespace ? `  namespace: ${namespace}\n` : ''}spec:
  template:
    spec:
      containers:
        - name: app
          image: shop/web
`;
  const one = [{ path: 'web.yaml', text: deployment(undefined) }];
  const unique = planManifestChanges(
    one,
    request(['Deployment', 'staging', 'web', [change('app', { requests: { cpu: '50m' } })]]),
  );
  assert.deepEqual(statuses(unique), ['Deployment staging/web app: edited']);

  const two = [...one, { path: 'prod/web.yaml', text: deployment('prod') }];
  const ambiguous = planManifestChanges(
    two,
    request(['Deployment', 'staging', 'web', [change('app', { requests: { cpu: '50m' } })]]),
  );
  assert.deepEqual(ambiguous.edits, []);
  assert.deepEqual(ambiguous.containers[0], {
    kind: 'Deployment',
    namespace: 'staging',
    name: 'web',
    container: 'app',
    status: 'ambiguous',
    changes: [],
    placements: [],
    reason: 'Deployment web is defined without a namespace and is not the only definition of it',
    candidates: [
      { path: 'web.yaml', line: 9, column: 9, description: 'plain web.yaml: Deployment (no namespace)/web' },
      { path: 'prod/web.yaml', line: 10, column: 9, description: 'plain prod/web.yaml: Deployment prod/web' },
    ],
  });
  // With its namespace, the prod definition is the one.
  const prod = planManifestChanges(
    two,
    request(['Deployment', 'prod', 'web', [change('app', { requests: { cpu: '50m' } })]]),
  );
  assert.deepEqual(
    prod.edits.map((e) => e.path),
    ['prod/web.yaml'],
  );
});

test('two definitions of one workload in one namespace are ambiguous; nothing is edited', () => {
  const text = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    spec:
      containers:
        - name: app
          resources: {requests: {cpu: 1}}
`;
  const plan = planManifestChanges(
    [
      { path: 'a/web.yaml', text },
      { path: 'b/web.yaml', text },
    ],
    request(['Deployment', 'shop', 'web', [change('app', { requests: { cpu: '2' } })]]),
  );
  assert.deepEqual(plan.edits, []);
  assert.equal(plan.containers[0]!.status, 'ambiguous');
  assert.equal(plan.containers[0]!.reason, '2 definitions of Deployment shop/web container app');
  assert.deepEqual(
    plan.containers[0]!.candidates.map((c) => `${c.path}:${c.line}`),
    ['a/web.yaml:9', 'b/web.yaml:9'],
  );
});

test('what is not in the files is reported, with the reason', async () => {
  const files = await fixtureFiles('plain');
  const plan = planManifestChanges(
    files,
    request(
      ['Deployment', 'shop', 'api', [change('app', { requests: { cpu: '1' } })]],
      ['Deployment', 'prod', 'web', [change('app', { requests: { cpu: '1' } })]],
      ['Deployment', 'shop', 'web', [change('worker', { requests: { cpu: '1' } })]],
    ),
  );
  assert.deepEqual(
    plan.containers.map((c) => [c.status, c.reason]),
    [
      ['not-found', 'no file defines Deployment shop/api'],
      ['not-found', 'Deployment web is defined only for namespace(s) shop'],
      ['not-found', 'Deployment shop/web has no container worker in the files (it has app, proxy)'],
    ],
  );
});

test('the index lists every container definition with its effective resources and location', async () => {
  const index = indexManifests(await fixtureFiles());
  assert.deepEqual(index.fileErrors, []);
  assert.deepEqual(
    index.containers.map((c) => [
      c.source,
      c.kind,
      c.namespace ?? null,
      c.name,
      c.container,
      `${c.location.path}:${c.location.line}:${c.location.column}`,
      c.resources,
      c.unsupported ?? null,
    ]),
    [
      [
        'plain',
        'DaemonSet',
        null,
        'log-agent',
        'agent',
        'plain/batch.yaml:16:9',
        { requests: {}, limits: {} },
        null,
      ],
      [
        'plain',
        'Job',
        'shop',
        'reindex',
        'reindex',
        'plain/batch.yaml:31:11',
        { requests: {}, limits: { memory: '2Gi' } },
        null,
      ],
      [
        'plain',
        'StatefulSet',
        'shop',
        'cache',
        'redis',
        'plain/cache.yaml:19:11',
        { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
        null,
      ],
      [
        'plain',
        'Rollout',
        'shop',
        'checkout',
        'checkout',
        'plain/checkout-rollout.yaml:24:11',
        { requests: { cpu: '200m', memory: '256Mi' }, limits: {} },
        null,
      ],
      [
        'plain',
        'Deployment',
        'shop',
        'web',
        'app',
        'plain/shop.yaml:30:11',
        { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } },
        null,
      ],
      [
        'plain',
        'Deployment',
        'shop',
        'web',
        'proxy',
        'plain/shop.yaml:39:11',
        { requests: { cpu: '50m' }, limits: {} },
        null,
      ],
      [
        'plain',
        'CronJob',
        'shop',
        'report',
        'report',
        'plain/shop.yaml:58:15',
        { requests: { cpu: '250m', memory: '256Mi' }, limits: {} },
        null,
      ],
      [
        'kustomize',
        'Deployment',
        'prod',
        'web',
        'app',
        'kustomize/overlays/prod/web-resources.yaml:11:11',
        { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '1', memory: '2Gi' } },
        null,
      ],
      [
        'kustomize',
        'Deployment',
        'staging',
        'staging-web',
        'app',
        'kustomize/base/deployment.yaml:19:11',
        { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } },
        null,
      ],
      [
        'helm',
        'Deployment',
        null,
        'payments',
        'payments',
        'helm/payments/values.yaml:9:1',
        { requests: { cpu: '250m', memory: '300Mi' }, limits: { cpu: '500m', memory: '300Mi' } },
        null,
      ],
      [
        'helm',
        'DaemonSet',
        null,
        'payments-metrics',
        'exporter',
        'helm/payments/templates/metrics-daemonset.yaml:19:1',
        { requests: {}, limits: {} },
        'helm/payments/templates/metrics-daemonset.yaml:19: the template is too dynamic: {{- include "payments.exporterResources" . | nindent 12 }}',
      ],
      [
        'helm',
        'CronJob',
        null,
        'payments-settlement',
        'settlement',
        'helm/payments/values.yaml:17:1',
        { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
        null,
      ],
    ],
  );
});
