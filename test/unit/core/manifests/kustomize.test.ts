import assert from 'node:assert/strict';
import { test } from 'node:test';
import { planManifestChanges, unifiedDiff, type ManifestFile } from '../../../../src/core/manifests/index.js';
import { applied, change, editOf, fixtureFiles, request, simple, statuses } from './manifest-fixtures.js';

const BOTH_OVERLAYS = request(
  ['Deployment', 'prod', 'web', [simple('app', '300m', '768Mi')]],
  ['Deployment', 'staging', 'staging-web', [simple('app', '100m', '256Mi')]],
);

test('prod: the fields go into the overlay patch, never into the base both overlays share', async () => {
  const files = await fixtureFiles('kustomize');
  const plan = planManifestChanges(
    files,
    request(['Deployment', 'prod', 'web', [simple('app', '300m', '768Mi')]]),
  );
  assert.deepEqual(statuses(plan), ['Deployment prod/web app: edited']);
  assert.deepEqual(
    plan.edits.map((e) => e.path),
    ['kustomize/overlays/prod/web-resources.yaml'],
  );
  assert.equal(
    unifiedDiff(plan.edits[0]!, 'kustomize/overlays/prod/web-resources.yaml'),
    `--- a/kustomize/overlays/prod/web-resources.yaml
+++ b/kustomize/overlays/prod/web-resources.yaml
@@ -10,6 +10,8 @@
         - name: app
           resources:
             requests:
-              memory: 1Gi
+              cpu: 300m
+              memory: 768Mi
             limits:
-              memory: 2Gi
+              cpu: null
+              memory: 768Mi
`,
  );
  assert.deepEqual(plan.notes, [
    'kustomize/overlays/prod/kustomization.yaml: Deployment prod/web container app: base kustomize/base/deployment.yaml ' +
      'is shared by 2 kustomizations (kustomize/overlays/prod, kustomize/overlays/staging); wrote requests.cpu, ' +
      'limits.cpu into patch kustomize/overlays/prod/web-resources.yaml (limits.cpu as null: in a patch, null ' +
      'removes the value a lower layer sets)',
  ]);
  assert.deepEqual(
    plan.containers[0]!.placements.map((p) => `${p.field} → ${p.layer}:${p.line}`),
    [
      'requests.cpu → patch kustomize/overlays/prod/web-resources.yaml:11',
      'requests.memory → patch kustomize/overlays/prod/web-resources.yaml:11',
      'limits.cpu → patch kustomize/overlays/prod/web-resources.yaml:11',
      'limits.memory → patch kustomize/overlays/prod/web-resources.yaml:11',
    ],
  );
});

test('staging: with no patch of its own, the overlay gets a new patch file listed in its patches', async () => {
  const files = await fixtureFiles('kustomize');
  const plan = planManifestChanges(
    files,
    request(['Deployment', 'staging', 'staging-web', [simple('app', '100m', '256Mi')]]),
  );
  assert.deepEqual(statuses(plan), ['Deployment staging/staging-web app: edited']);
  const created = editOf(plan, 'kustomize/overlays/staging/krr-resources-web.yaml');
  assert.equal(created.created, true);
  assert.equal(created.before, '');
  // The patch names the workload as the overlay's patches see it: before the overlay's namePrefix.
  assert.equal(
    created.after,
    `# Resources for Deployment web in this overlay only (written by krr-mcp).
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: app
          resources:
            requests:
              cpu: 100m
              memory: 256Mi
            limits:
              cpu: null
              memory: 256Mi
`,
  );
  assert.equal(
    unifiedDiff(created, created.path),
    `--- /dev/null\n+++ b/kustomize/overlays/staging/krr-resources-web.yaml\n@@ -0,0 +1,17 @@\n${created.after
      .split('\n')
      .slice(0, -1)
      .map((line) => `+${line}\n`)
      .join('')}`,
  );
  assert.equal(
    unifiedDiff(
      editOf(plan, 'kustomize/overlays/staging/kustomization.yaml'),
      'kustomize/overlays/staging/kustomization.yaml',
    ),
    `--- a/kustomize/overlays/staging/kustomization.yaml
+++ b/kustomize/overlays/staging/kustomization.yaml
@@ -4,3 +4,5 @@
 namePrefix: staging-
 resources:
   - ../../base
+patches:
+  - path: krr-resources-web.yaml
`,
  );
  assert.deepEqual(plan.notes, [
    'kustomize/overlays/staging/kustomization.yaml: Deployment staging/staging-web container app: base ' +
      'kustomize/base/deployment.yaml is shared by 2 kustomizations (kustomize/overlays/prod, kustomize/overlays/staging); ' +
      'created kustomize/overlays/staging/krr-resources-web.yaml and listed it in the patches of ' +
      'kustomize/overlays/staging/kustomization.yaml; it holds requests.cpu, requests.memory, limits.cpu, limits.memory ' +
      '(limits.cpu as null: in a patch, null removes the value a lower layer sets)',
  ]);
  assert.deepEqual(plan.containers[0]!.placements[0], {
    field: 'requests.cpu',
    path: 'kustomize/overlays/staging/krr-resources-web.yaml',
    line: 11,
    layer: 'new patch kustomize/overlays/staging/krr-resources-web.yaml',
  });
});

test('both overlays at once leave the base untouched, and planning again over the result changes nothing', async () => {
  const files = await fixtureFiles('kustomize');
  const plan = planManifestChanges(files, BOTH_OVERLAYS);
  assert.deepEqual(plan.edits.map((e) => e.path).sort(), [
    'kustomize/overlays/prod/web-resources.yaml',
    'kustomize/overlays/staging/krr-resources-web.yaml',
    'kustomize/overlays/staging/kustomization.yaml',
  ]);
  const after = applied(files, plan);
  assert.equal(
    after.find((f) => f.path === 'kustomize/base/deployment.yaml')!.text,
    files.find((f) => f.path === 'kustomize/base/deployment.yaml')!.text,
  );
  const again = planManifestChanges(after, BOTH_OVERLAYS);
  assert.deepEqual(again.edits, []);
  assert.deepEqual(statuses(again), [
    'Deployment prod/web app: unchanged',
    'Deployment staging/staging-web app: unchanged',
  ]);
});

test("files a kustomization includes are not standalone manifests (the base's namespace-less web is not matched)", async () => {
  const files = [...(await fixtureFiles('kustomize')), ...(await fixtureFiles('plain'))];
  const plan = planManifestChanges(
    files,
    request(['Deployment', 'team', 'web', [change('app', { requests: { cpu: '1' } })]]),
  );
  assert.deepEqual(plan.edits, []);
  assert.deepEqual(
    [plan.containers[0]!.status, plan.containers[0]!.reason],
    ['not-found', 'Deployment web is defined only for namespace(s) shop, prod'],
  );
});

const API = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      containers:
        - name: app
          resources:
            requests:
              cpu: 500m
              memory: 256Mi
`;

test('a base only one overlay uses is edited in place; prefixes and suffixes of nested overlays name the workload', () => {
  const files: ManifestFile[] = [
    { path: 'base/kustomization.yaml', text: 'resources:\n  - api.yaml\n' },
    { path: 'base/api.yaml', text: API },
    {
      path: 'team/kustomization.yaml',
      text: 'namePrefix: team-\nresources:\n  - ../base\npatches:\n  - path: memory.yaml\n',
    },
    {
      path: 'team/memory.yaml',
      text: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          resources:\n            limits:\n              memory: 512Mi\n',
    },
    {
      path: 'live/kustomization.yaml',
      text: 'namespace: live\nnameSuffix: -v2\nresources:\n  - ../team\npatches:\n  - target:\n      kind: Deployment\n      name: team-api\n    patch: |-\n      - op: replace\n        path: /spec/replicas\n        value: 3\n',
    },
  ];
  const plan = planManifestChanges(
    files,
    request(['Deployment', 'live', 'team-api-v2', [simple('app', '250m', '300Mi')]]),
  );
  assert.deepEqual(statuses(plan), ['Deployment live/team-api-v2 app: edited']);
  assert.deepEqual(plan.notes, []);
  assert.equal(
    editOf(plan, 'base/api.yaml').after,
    API.replace('cpu: 500m', 'cpu: 250m').replace('memory: 256Mi', 'memory: 300Mi'),
  );
  assert.equal(
    editOf(plan, 'team/memory.yaml').after,
    files[3]!.text.replace('memory: 512Mi', 'memory: 300Mi'),
  );

  // A JSON 6902 patch that touches the resources is not something to edit around.
  const json6902 = files.map((f) =>
    f.path === 'live/kustomization.yaml'
      ? {
          ...f,
          text: f.text.replace('/spec/replicas', '/spec/template/spec/containers/0/resources/limits/cpu'),
        }
      : f,
  );
  const refused = planManifestChanges(
    json6902,
    request(['Deployment', 'live', 'team-api-v2', [simple('app', '250m', '300Mi')]]),
  );
  assert.deepEqual(refused.edits, []);
  assert.deepEqual(
    [refused.containers[0]!.status, refused.containers[0]!.reason],
    [
      'unsupported',
      'inline patch patches[0] in live/kustomization.yaml is a JSON 6902 patch that changes ' +
        '/spec/template/spec/containers/0/resources/limits/cpu; edit it by hand',
    ],
  );
});

test('an inline literal patch is edited in place; a quoted one is reported, not rewritten', () => {
  const literal = `namespace: b
resources:
  - ../base
patches:
  - patch: |
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: api
      spec:
        template:
          spec:
            containers:
              - name: app
                resources:
                  requests:
                    cpu: 400m # b is busier

  - path: replicas.yaml
`;
  const files: ManifestFile[] = [
    { path: 'base/kustomization.yaml', text: 'resources:\n  - api.yaml\n' },
    { path: 'base/api.yaml', text: API },
    {
      path: 'a/kustomization.yaml',
      text: 'namespace: a\nresources:\n  - ../base\npatches:\n  - patch: "apiVersion: apps/v1\\nkind: Deployment\\nmetadata:\\n  name: api\\nspec:\\n  template:\\n    spec:\\n      containers:\\n        - name: app\\n          resources:\\n            requests:\\n              cpu: 400m\\n"\n',
    },
    { path: 'b/kustomization.yaml', text: literal },
    {
      path: 'b/replicas.yaml',
      text: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: 2\n',
    },
  ];
  const plan = planManifestChanges(
    files,
    request(
      ['Deployment', 'a', 'api', [simple('app', '250m', '300Mi')]],
      ['Deployment', 'b', 'api', [simple('app', '250m', '300Mi')]],
    ),
  );
  assert.deepEqual(
    plan.containers.map((c) => [c.status, c.reason]),
    [
      [
        'unsupported',
        'the inline patch at a/kustomization.yaml:5 is a quoted string; only literal blocks (|) are edited in place',
      ],
      ['edited', undefined],
    ],
  );
  assert.deepEqual(
    plan.edits.map((e) => e.path),
    ['b/kustomization.yaml'],
  );
  // The fields stay together in the patch that already has resources (not in replicas.yaml).
  assert.equal(
    editOf(plan, 'b/kustomization.yaml').after,
    literal.replace(
      '                    cpu: 400m # b is busier\n',
      '                    cpu: 250m # b is busier\n                    memory: 300Mi\n                  limits:\n                    memory: 300Mi\n',
    ),
  );
  assert.deepEqual(plan.notes, [
    'b/kustomization.yaml: Deployment b/api container app: base base/api.yaml is shared by 2 kustomizations (a, b); ' +
      'wrote requests.memory, limits.memory into inline patch patches[0] in b/kustomization.yaml',
  ]);
  const again = planManifestChanges(
    applied(files, plan),
    request(['Deployment', 'b', 'api', [simple('app', '250m', '300Mi')]]),
  );
  assert.deepEqual(statuses(again), ['Deployment b/api app: unchanged']);
});

test('a literal patch that is the last entry of the kustomization keeps what follows it in place', () => {
  const kustomization = `namespace: c
resources:
  - ../base
patches:
  - patch: |-
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: api
      spec:
        template:
          spec:
            containers:
              - name: app
                resources:
                  requests:
                    cpu: 400m
images:
  - name: shop/api
    newTag: "2.0"
`;
  const files: ManifestFile[] = [
    { path: 'base/kustomization.yaml', text: 'resources:\n  - api.yaml\n' },
    { path: 'base/api.yaml', text: API },
    { path: 'c/kustomization.yaml', text: kustomization },
  ];
  const plan = planManifestChanges(
    files,
    request(['Deployment', 'c', 'api', [change('app', { limits: { memory: '1Gi' } })]]),
  );
  assert.equal(
    editOf(plan, 'c/kustomization.yaml').after,
    kustomization.replace(
      '                    cpu: 400m\n',
      '                    cpu: 400m\n                  limits:\n                    memory: 1Gi\n',
    ),
  );
});

test('a new patch quotes a name YAML would read as a number', () => {
  const base = API.replace('name: api', 'name: "2048"');
  const files: ManifestFile[] = [
    { path: 'base/kustomization.yaml', text: 'resources:\n  - api.yaml\n' },
    { path: 'base/api.yaml', text: base },
    { path: 'x/kustomization.yaml', text: 'namespace: x\nresources:\n  - ../base\n' },
    { path: 'y/kustomization.yaml', text: 'namespace: y\nresources:\n  - ../base\n' },
  ];
  const plan = planManifestChanges(
    files,
    request(['Deployment', 'x', '2048', [change('app', { requests: { cpu: '1' } })]]),
  );
  assert.deepEqual(statuses(plan), ['Deployment x/2048 app: edited']);
  assert.match(editOf(plan, 'x/krr-resources-2048.yaml').after, /\nmetadata:\n {2}name: "2048"\n/);
});

test('patchesStrategicMerge files and inline blocks are layers too; remote bases are noted', () => {
  const files: ManifestFile[] = [
    {
      path: 'base/kustomization.yaml',
      text: 'resources:\n  - api.yaml\n  - github.com/shop/platform//base?ref=v1.2\n',
    },
    { path: 'base/api.yaml', text: API },
    {
      path: 'p/kustomization.yaml',
      text: 'namespace: p\nresources:\n  - ../base\npatchesStrategicMerge:\n  - cpu.yaml\n  - |-\n    apiVersion: apps/v1\n    kind: Deployment\n    metadata:\n      name: api\n    spec:\n      template:\n        spec:\n          containers:\n            - name: app\n              resources:\n                limits:\n                  memory: 1Gi\n',
    },
    {
      path: 'p/cpu.yaml',
      text: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          resources:\n            requests:\n              cpu: 2\n',
    },
    { path: 'q/kustomization.yaml', text: 'namespace: q\nresources:\n  - ../base\n' },
  ];
  const plan = planManifestChanges(
    files,
    request([
      'Deployment',
      'p',
      'api',
      [change('app', { requests: { cpu: '1500m' }, limits: { memory: '768Mi' } })],
    ]),
  );
  assert.deepEqual(statuses(plan), ['Deployment p/api app: edited']);
  assert.equal(editOf(plan, 'p/cpu.yaml').after, files[3]!.text.replace('cpu: 2', 'cpu: 1500m'));
  assert.equal(
    editOf(plan, 'p/kustomization.yaml').after,
    files[2]!.text.replace('memory: 1Gi', 'memory: 768Mi'),
  );
  assert.deepEqual(plan.notes, [
    'base/kustomization.yaml: the remote resource github.com/shop/platform//base?ref=v1.2 is not read; its workloads are not matched',
  ]);
});

test('patches of a component shared by two overlays are not edited for one of them', () => {
  const labelled = API.replace('  name: api\n', '  name: api\n  labels:\n    tier: backend\n');
  const files: ManifestFile[] = [
    { path: 'base/kustomization.yaml', text: 'resources:\n  - api.yaml\n' },
    { path: 'base/api.yaml', text: labelled },
    {
      path: 'sizing/kustomization.yaml',
      text: 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\npatches:\n  - target:\n      kind: Deployment\n      labelSelector: tier=backend\n    patch: |-\n      apiVersion: apps/v1\n      kind: Deployment\n      metadata:\n        name: any\n      spec:\n        template:\n          spec:\n            containers:\n              - name: app\n                resources:\n                  limits:\n                    memory: 1Gi\n',
    },
    {
      path: 'o/kustomization.yaml',
      text: 'namespace: o\nresources:\n  - ../base\ncomponents:\n  - ../sizing\n',
    },
    {
      path: 'o2/kustomization.yaml',
      text: 'namespace: o2\nresources:\n  - ../base\ncomponents:\n  - ../sizing\n',
    },
  ];
  const plan = planManifestChanges(
    files,
    request([
      'Deployment',
      'o',
      'api',
      [change('app', { requests: { cpu: '1' }, limits: { memory: '2Gi' } })],
    ]),
  );
  assert.deepEqual(plan.containers[0]!.changes, [
    { which: 'requests', resource: 'cpu', from: '500m', to: '1' },
    { which: 'limits', resource: 'memory', from: '1Gi', to: '2Gi' },
  ]);
  assert.deepEqual(
    plan.edits.map((e) => e.path),
    ['o/krr-resources-api.yaml', 'o/kustomization.yaml'],
  );
  assert.deepEqual(plan.notes, [
    'o/kustomization.yaml: Deployment o/api container app: base base/api.yaml is shared by 2 kustomizations (o, o2); ' +
      'inline patch patches[0] in sizing/kustomization.yaml is shared by 2 kustomizations (o, o2); created ' +
      'o/krr-resources-api.yaml and listed it in the patches of o/kustomization.yaml; it holds requests.cpu, limits.memory',
  ]);
});
