import assert from 'node:assert/strict';
import { test } from 'node:test';
import { planManifestChanges } from '../../../../src/core/manifests/index.js';
import { applied, change, editOf, request, simple, statuses } from './manifest-fixtures.js';

// Byte-sensitive inputs live here, not in the fixture folder: prettier would rewrite their quotes,
// line ends and flow style.

test('an existing value is replaced in place: quotes, comments, key order and other documents stay', () => {
  const text = `# web tier
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    spec:
      containers:
        - name: app
          resources:
            limits:    # hard caps
              memory: '1Gi'
              cpu: 2
            requests:
              memory: "512Mi"   # measured
              cpu: "500m"
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  ports:
    - port: 80 # http
`;
  const plan = planManifestChanges(
    [{ path: 'web.yaml', text }],
    request([
      'Deployment',
      'shop',
      'web',
      [
        change('app', {
          requests: { cpu: '250m', memory: '600Mi' },
          limits: { cpu: '1500m', memory: '600Mi' },
        }),
      ],
    ]),
  );
  assert.deepEqual(statuses(plan), ['Deployment shop/web app: edited']);
  assert.equal(
    editOf(plan, 'web.yaml').after,
    text
      .replace(`memory: '1Gi'`, `memory: '600Mi'`)
      .replace('cpu: 2', 'cpu: 1500m')
      .replace('memory: "512Mi"   # measured', 'memory: "600Mi"   # measured')
      .replace('cpu: "500m"', 'cpu: "250m"'),
  );
  assert.deepEqual(
    editOf(plan, 'web.yaml').changes.map((c) => text.slice(c.offset, c.offset + c.length)),
    [`'1Gi'`, '2', '"512Mi"', '"500m"'],
  );
});

test('missing fields are added next to their siblings, quoted like them: cpu before memory, requests before limits', () => {
  const text = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    spec:
      containers:
        - name: a
          resources:
            requests:
              cpu: 100m
            limits:
              cpu: 200m
        - name: b
          resources:
            limits:
              memory: "64Mi" # b's cap
`;
  const plan = planManifestChanges(
    [{ path: 'web.yaml', text }],
    request([
      'Deployment',
      'shop',
      'web',
      [
        change('a', { requests: { memory: '128Mi' }, limits: { memory: '128Mi' } }),
        change('b', { requests: { cpu: '5m', memory: '32Mi' }, limits: { cpu: '10m' } }),
      ],
    ]),
  );
  assert.deepEqual(statuses(plan), ['Deployment shop/web a: edited', 'Deployment shop/web b: edited']);
  assert.equal(
    editOf(plan, 'web.yaml').after,
    `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    spec:
      containers:
        - name: a
          resources:
            requests:
              cpu: 100m
              memory: 128Mi
            limits:
              cpu: 200m
              memory: 128Mi
        - name: b
          resources:
            requests:
              cpu: "5m"
              memory: "32Mi"
            limits:
              cpu: "10m"
              memory: "64Mi" # b's cap
`,
  );
});

test('a container without resources gets a whole block, indented like the document (4 spaces, flush lists)', () => {
  const text = `apiVersion: batch/v1
kind: Job
metadata:
    name: migrate
    namespace: shop
spec:
    template:
        spec:
            containers:
            - name: migrate
              image: shop/migrate:1.4
              args: [--all]
            restartPolicy: Never
`;
  const plan = planManifestChanges(
    [{ path: 'job.yaml', text }],
    request(['Job', 'shop', 'migrate', [simple('migrate', '250m', '64Mi')]]),
  );
  assert.equal(
    editOf(plan, 'job.yaml').after,
    `apiVersion: batch/v1
kind: Job
metadata:
    name: migrate
    namespace: shop
spec:
    template:
        spec:
            containers:
            - name: migrate
              image: shop/migrate:1.4
              args: [--all]
              resources:
                  requests:
                      cpu: 250m
                      memory: 64Mi
                  limits:
                      memory: 64Mi
            restartPolicy: Never
`,
  );
});

test('`resources: {}` and an empty `resources:` become blocks; the comment after them stays', () => {
  const text = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
  namespace: ops
spec:
  template:
    spec:
      containers:
      - name: agent
        resources: {}  # set by krr
        image: fluent/fluent-bit:3.0
      - name: exporter
        resources:
`;
  const plan = planManifestChanges(
    [{ path: 'agent.yaml', text }],
    request([
      'DaemonSet',
      'ops',
      'agent',
      [simple('agent', '20m', '48Mi'), change('exporter', { requests: { cpu: '5m' } })],
    ]),
  );
  assert.equal(
    editOf(plan, 'agent.yaml').after,
    `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
  namespace: ops
spec:
  template:
    spec:
      containers:
      - name: agent
        resources:  # set by krr
          requests:
            cpu: 20m
            memory: 48Mi
          limits:
            memory: 48Mi
        image: fluent/fluent-bit:3.0
      - name: exporter
        resources:
          requests:
            cpu: 5m
`,
  );
});

test('a removed field takes its line and comment; a map left empty stays as `limits: {}`', () => {
  const text = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    spec:
      containers:
        - name: app
          resources:
            requests:
              cpu: 250m
            limits:
              cpu: 500m # burst
              memory: 256Mi
        - name: sidecar
          resources:
            requests:
              cpu: 5m
            limits:
              cpu: 1 # remove me
`;
  const plan = planManifestChanges(
    [{ path: 'web.yaml', text }],
    request([
      'Deployment',
      'shop',
      'web',
      [simple('app', '250m', '256Mi'), change('sidecar', { limits: { cpu: null } })],
    ]),
  );
  assert.deepEqual(
    plan.containers.map((c) => c.changes),
    [
      [
        { which: 'requests', resource: 'memory', to: '256Mi' },
        { which: 'limits', resource: 'cpu', from: '500m' },
      ],
      [{ which: 'limits', resource: 'cpu', from: '1' }],
    ],
  );
  assert.equal(
    editOf(plan, 'web.yaml').after,
    `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    spec:
      containers:
        - name: app
          resources:
            requests:
              cpu: 250m
              memory: 256Mi
            limits:
              memory: 256Mi
        - name: sidecar
          resources:
            requests:
              cpu: 5m
            limits: {}
`,
  );
});

test('flow-style resources are edited in flow syntax', () => {
  const text = `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: data}
spec:
  template:
    spec:
      containers:
        - name: a
          resources: {requests: {cpu: 1}}
        - {name: b, resources: {limits: {cpu: 1, memory: 1Gi}, requests: {memory: 1Gi}}}
`;
  const plan = planManifestChanges(
    [{ path: 'db.yaml', text }],
    request(['StatefulSet', 'data', 'db', [simple('a', '250m', '128Mi'), simple('b', '500m', '1Gi')]]),
  );
  assert.equal(
    editOf(plan, 'db.yaml').after,
    `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: data}
spec:
  template:
    spec:
      containers:
        - name: a
          resources: {requests: {cpu: 250m, memory: 128Mi}, limits: {memory: 128Mi}}
        - {name: b, resources: {limits: {memory: 1Gi}, requests: {cpu: 500m, memory: 1Gi}}}
`,
  );
});

test('CRLF line ends, a byte order mark and a missing final newline are kept', () => {
  const lines = [
    '\uFEFFapiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: web',
    '  namespace: shop',
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    '      - name: app',
    '        resources:',
    '          requests:',
    '            cpu: "500m"  # keep',
    '          limits:',
    "            cpu: '1'",
  ];
  const plan = planManifestChanges(
    [{ path: 'web.yaml', text: lines.join('\r\n') }],
    request(['Deployment', 'shop', 'web', [simple('app', '250m', '1Gi')]]),
  );
  assert.equal(
    editOf(plan, 'web.yaml').after,
    [
      ...lines.slice(0, 12),
      '            cpu: "250m"  # keep',
      '            memory: "1Gi"',
      '          limits:',
      "            memory: '1Gi'",
    ].join('\r\n'),
  );
});

test('init containers are never read or changed', () => {
  const text = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    spec:
      initContainers:
        - name: migrate
          resources:
            requests:
              cpu: 100m
      containers:
        - name: app
          image: shop/web
`;
  const plan = planManifestChanges(
    [{ path: 'web.yaml', text }],
    request(['Deployment', 'shop', 'web', [change('migrate', { requests: { cpu: '50m' } })]]),
  );
  assert.deepEqual(plan.edits, []);
  assert.equal(plan.containers[0]!.status, 'not-found');
  assert.equal(
    plan.containers[0]!.reason,
    'Deployment shop/web has no container migrate in the files (it has app)',
  );
});

test('YAML anchors, aliases and merge keys on a container or its resources are left to a person', () => {
  const text = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    spec:
      containers:
        - name: a
          resources: &small
            requests:
              cpu: 100m
        - name: b
          resources: *small
        - <<: {image: shop/c}
          name: c
        - name: d
          env: &env [{name: A, value: "1"}]
          resources:
            requests:
              cpu: 100m
`;
  const plan = planManifestChanges(
    [{ path: 'web.yaml', text }],
    request([
      'Deployment',
      'shop',
      'web',
      ['a', 'b', 'c', 'd'].map((name) => change(name, { requests: { cpu: '50m' } })),
    ]),
  );
  assert.deepEqual(
    plan.containers.map((c) => [c.container, c.status, c.reason]),
    [
      ['a', 'unsupported', 'container a resources has a YAML anchor (&small) that other places may use'],
      ['b', 'unsupported', 'container b resources is a YAML alias (*small)'],
      ['c', 'unsupported', 'container c uses a YAML merge key (<<)'],
      ['d', 'edited', undefined],
    ],
  );
  // Only d's value changes: an anchor elsewhere in a container (its env) does not matter.
  assert.deepEqual(editOf(plan, 'web.yaml').changes, [
    { offset: text.lastIndexOf('100m'), length: 4, text: '50m' },
  ]);
});

test('values equal by amount are not rewritten, and planning again over the result changes nothing', () => {
  const text = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    spec:
      containers:
        - name: app
          resources:
            requests:
              cpu: 0.25
              memory: 1073741824
            limits:
              cpu: "1"
`;
  const files = [{ path: 'web.yaml', text }];
  const same = planManifestChanges(
    files,
    request(['Deployment', 'shop', 'web', [simple('app', '250m', '1Gi')]]),
  );
  assert.deepEqual(statuses(same), ['Deployment shop/web app: edited']);
  assert.deepEqual(same.containers[0]!.changes, [
    { which: 'limits', resource: 'cpu', from: '1' },
    { which: 'limits', resource: 'memory', to: '1Gi' },
  ]);
  const once = request(['Deployment', 'shop', 'web', [simple('app', '300m', '1Gi')]]);
  const first = planManifestChanges(files, once);
  assert.equal(
    editOf(first, 'web.yaml').after,
    text
      .replace('cpu: 0.25', 'cpu: 300m')
      .replace('limits:\n              cpu: "1"', 'limits:\n              memory: "1Gi"'),
  );
  const second = planManifestChanges(applied(files, first), once);
  assert.deepEqual(second.edits, []);
  assert.deepEqual(statuses(second), ['Deployment shop/web app: unchanged']);
});

test('workloads inside `kind: List` are found and edited in place', () => {
  const text = `apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: ConfigMap
    metadata: {name: settings, namespace: shop}
  - apiVersion: apps/v1
    kind: Deployment
    metadata: {name: web, namespace: shop}
    spec:
      template:
        spec:
          containers:
            - name: app
              resources:
                requests:
                  cpu: 1
`;
  const plan = planManifestChanges(
    [{ path: 'list.yaml', text }],
    request(['Deployment', 'shop', 'web', [change('app', { requests: { cpu: '400m' } })]]),
  );
  assert.equal(editOf(plan, 'list.yaml').after, text.replace('cpu: 1', 'cpu: 400m'));
});

test('removing the last lines of a file without a final newline keeps it without one', () => {
  const text =
    'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  template:\n    spec:\n' +
    '      containers:\n        - name: app\n          resources:\n            limits:\n              memory: 1Gi\n              cpu: 1';
  const both = planManifestChanges(
    [{ path: 'web.yaml', text }],
    request(['Deployment', 'shop', 'web', [change('app', { limits: { cpu: null, memory: null } })]]),
  );
  assert.equal(editOf(both, 'web.yaml').after, text.replace(/limits:\n.*\n.*$/, 'limits: {}'));
  const one = planManifestChanges(
    [{ path: 'web.yaml', text }],
    request(['Deployment', 'shop', 'web', [change('app', { limits: { cpu: null } })]]),
  );
  assert.equal(editOf(one, 'web.yaml').after, text.replace('\n              cpu: 1', ''));
});
