import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ChangeRequestError } from '../../../../src/core/changes/change-request.js';
import {
  indexManifests,
  ManifestOptionsError,
  planManifestChanges,
  type ManifestFile,
  type ManifestOptions,
} from '../../../../src/core/manifests/index.js';
import { change, request, statuses } from './manifest-fixtures.js';

const deployment = (name: string, cpu: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: shop
spec:
  template:
    spec:
      containers:
        - name: app
          resources:
            requests:
              cpu: ${cpu}
`;

test('a file that is not valid YAML is reported and never edited; the other files still are', () => {
  const files: ManifestFile[] = [
    { path: 'good.yaml', text: deployment('good', '1') },
    { path: 'broken.yaml', text: `${deployment('broken', '1')}        - name: "unclosed\n` },
    { path: 'twice.yaml', text: `${deployment('twice', '1')}metadata: {}\n` },
  ];
  const plan = planManifestChanges(
    files,
    request(
      ['Deployment', 'shop', 'good', [change('app', { requests: { cpu: '2' } })]],
      ['Deployment', 'shop', 'broken', [change('app', { requests: { cpu: '2' } })]],
      ['Deployment', 'shop', 'twice', [change('app', { requests: { cpu: '2' } })]],
    ),
  );
  assert.deepEqual(
    plan.edits.map((e) => e.path),
    ['good.yaml'],
  );
  assert.deepEqual(plan.fileErrors, [
    { path: 'broken.yaml', message: 'Missing closing "quote at line 15, column 1' },
    { path: 'twice.yaml', message: 'Map keys must be unique at line 14, column 1' },
  ]);
  assert.deepEqual(
    plan.containers.map((c) => [c.status, c.reason]),
    [
      ['edited', undefined],
      [
        'not-found',
        'no file defines Deployment shop/broken (2 file(s) could not be read; see the file errors)',
      ],
      [
        'not-found',
        'no file defines Deployment shop/twice (2 file(s) could not be read; see the file errors)',
      ],
    ],
  );
});

test('a document that claims to be a workload but is not one makes its whole file an error', () => {
  const text = `${deployment('web', '1')}---
apiVersion: apps/v1
kind: Deployment
metadata:
  namespace: shop
spec: {}
`;
  const plan = planManifestChanges(
    [{ path: 'web.yaml', text }],
    request(['Deployment', 'shop', 'web', [change('app', { requests: { cpu: '2' } })]]),
  );
  assert.deepEqual(plan.edits, []);
  assert.deepEqual(plan.fileErrors, [
    {
      path: 'web.yaml',
      message:
        'document 2: not a valid Deployment (metadata.name: Invalid input: expected string, received undefined)',
    },
  ]);
  assert.deepEqual(statuses(plan), ['Deployment shop/web app: not-found']);
});

test('garbage kustomizations and charts are file errors; the files next to a broken kustomization are not taken as plain', () => {
  const files: ManifestFile[] = [
    { path: 'app/kustomization.yaml', text: 'resources: web.yaml\n' },
    { path: 'app/web.yaml', text: deployment('web', '1') },
    { path: 'chart/Chart.yaml', text: 'name: [1]\n' },
    { path: 'chart/values.yaml', text: 'resources: {}\n' },
  ];
  const plan = planManifestChanges(
    files,
    request(['Deployment', 'shop', 'web', [change('app', { requests: { cpu: '2' } })]]),
  );
  assert.deepEqual(plan.edits, []);
  assert.deepEqual(plan.fileErrors, [
    {
      path: 'chart/Chart.yaml',
      message: 'not a valid Chart.yaml (name: Invalid input: expected string, received array)',
    },
    {
      path: 'app/kustomization.yaml',
      message: 'not a valid kustomization (resources: Invalid input: expected array, received string)',
    },
  ]);
  assert.equal(plan.containers[0]!.status, 'not-found');
});

test('adversarial files (huge, deeply nested, binary, alias bombs) are reported without a crash', () => {
  const bomb = [
    'a: &a [x, x, x, x, x, x, x, x, x, x]',
    ...Array.from(
      { length: 8 },
      (_, i) =>
        `b${i}: &b${i} [${Array(10)
          .fill(i === 0 ? '*a' : `*b${i - 1}`)
          .join(', ')}]`,
    ),
  ];
  const files: ManifestFile[] = [
    { path: 'huge.yaml', text: 'a: b\n'.repeat(600_000) },
    { path: 'deep-flow.yaml', text: `a: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n` },
    {
      path: 'deep-block.yaml',
      text: Array.from({ length: 1500 }, (_, i) => `${' '.repeat(i)}k:`).join('\n'),
    },
    { path: 'binary.yaml', text: `PK\u0003\u0004\u0000\u0000${'\u00ff'.repeat(64)}` },
    { path: 'bomb.yaml', text: `apiVersion: apps/v1\nkind: Deployment\n${bomb.join('\n')}\n` },
    { path: 'ok.yaml', text: deployment('web', '1') },
  ];
  const index = indexManifests(files);
  assert.deepEqual(
    index.containers.map((c) => `${c.kind} ${c.name} ${c.container}`),
    ['Deployment web app'],
  );
  const errors = new Map(index.fileErrors.map((e) => [e.path, e.message]));
  assert.equal(errors.get('huge.yaml'), 'larger than 2 MiB; not read');
  assert.match(errors.get('deep-flow.yaml') ?? '', /^too deeply nested or too large to read/);
  assert.match(errors.get('deep-block.yaml') ?? '', /^too deeply nested or too large to read/);
  assert.equal(errors.get('binary.yaml'), 'not a text file (it contains NUL characters)');
  assert.match(errors.get('bomb.yaml') ?? '', /^document 1: .*alias/i);
  assert.equal(errors.size, 5);

  const plan = planManifestChanges(
    files,
    request(['Deployment', 'shop', 'web', [change('app', { requests: { cpu: '2' } })]]),
  );
  assert.deepEqual(
    plan.edits.map((e) => e.path),
    ['ok.yaml'],
  );
});

test('an invalid request or invalid options are refused before any file is read', () => {
  assert.throws(
    () =>
      planManifestChanges(
        [],
        request(['Deployment', 'shop', 'web', [change('app', { requests: { cpu: '-1' } })]]),
      ),
    ChangeRequestError,
  );
  assert.throws(
    () =>
      planManifestChanges(
        [],
        request(['Deployment', 'shop', 'web', [change('app', { requests: { cpu: '1' } })]]),
        {
          helm: { release: '' },
        } as ManifestOptions,
      ),
    ManifestOptionsError,
  );
});
