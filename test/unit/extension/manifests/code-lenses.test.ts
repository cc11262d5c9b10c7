import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { lensTitle } from '../../../../src/extension/manifests/change-wording.js';
import type { PlannedContainer } from '../../../../src/extension/manifests/planned-recommendations.js';
import { double, Range } from '../../../support/vscode-double/vscode.js';
import { FIXTURE_ROWS, idOf, nextRefresh, startFeatures, stopFeatures, uri } from './manifest-workspace.js';

beforeEach(() => double.reset());
afterEach(() => stopFeatures());

const APPLY_ONE = 'krrMcp.applyRecommendationToManifest';

test('registered for YAML documents', async () => {
  await startFeatures();
  assert.deepEqual(
    double.codeLensProviders.map((p) => p.selector),
    [{ language: 'yaml' }],
  );
});

test('a lens at each resources: the scan changes: requests first, a removed limit, the monthly savings', async () => {
  const { lenses } = await startFeatures();
  const shop = lenses(double.openDocument(uri('plain/shop.yaml')));
  assert.deepEqual(
    shop.map((l) => [l.range.start.line, l.range.start.character, l.range.isEmpty, l.command]),
    [
      [
        29,
        10,
        true,
        {
          title:
            'krr: cpu 500m → 120m · memory 512Mi → 300Mi · remove CPU limit · memory limit 1Gi → 300Mi · saves $18.82/month',
          command: APPLY_ONE,
          arguments: [idOf('shop', 'Deployment', 'web', 'app')],
        },
      ],
      [
        38,
        10,
        true,
        {
          title: 'krr: cpu 50m → 20m · memory unset → 64Mi · memory limit unset → 64Mi · saves $1.38/month',
          command: APPLY_ONE,
          arguments: [idOf('shop', 'Deployment', 'web', 'proxy')],
        },
      ],
    ],
  );
});

test('Kustomize and Helm: the overlay patch, the base a new patch is written for, the chart values', async () => {
  const { lenses } = await startFeatures();
  const titles = (path: string) =>
    lenses(double.openDocument(uri(path))).map((l) => [l.range.start.line, l.command?.title]);
  assert.deepEqual(titles('kustomize/overlays/prod/web-resources.yaml'), [
    [
      10,
      'krr: cpu 500m → 300m · memory 1Gi → 768Mi · remove CPU limit · memory limit 2Gi → 768Mi · saves $10.78/month',
    ],
  ]);
  // The base holds the values, but the change goes to a new patch of the staging overlay: the lens says so.
  assert.deepEqual(titles('kustomize/base/deployment.yaml'), [
    [
      18,
      'krr for app of Deployment staging/staging-web in kustomize/overlays/staging/krr-resources-web.yaml: ' +
        'cpu 500m → 100m · memory 512Mi → 256Mi · remove CPU limit · memory limit 1Gi → 256Mi · saves $20.01/month',
    ],
  ]);
  assert.deepEqual(titles('helm/payments/values.yaml'), [
    [
      8,
      'krr: cpu 250m → 200m · memory 300Mi → 400Mi · remove CPU limit · memory limit 300Mi → 400Mi · saves $1.70/month',
    ],
  ]);
  assert.deepEqual(titles('plain/checkout-rollout.yaml'), [], 'no row for it');
});

test('no lenses before a scan, nor for a document whose text the plan did not read yet', async () => {
  const { lenses, manifests, scans } = await startFeatures(null);
  const shop = double.openDocument(uri('plain/shop.yaml'));
  assert.deepEqual(lenses(shop), []);
  let changes = 0;
  const provider = double.codeLensProviders[0]!.provider as {
    onDidChangeCodeLenses: (l: () => void) => unknown;
  };
  provider.onDidChangeCodeLenses(() => changes++);
  const planned = nextRefresh(manifests);
  scans.publish([FIXTURE_ROWS.shopApp]);
  await planned;
  assert.equal(changes, 1, 'VS Code is told to ask again');
  assert.deepEqual(
    lenses(shop).map((l) => l.range.start.line),
    [29],
  );

  const refreshed = nextRefresh(manifests);
  double.editDocument(shop, new Range(0, 0, 0, 0), '# a new first line\n');
  assert.deepEqual(lenses(shop), [], 'the lines may have moved: wait for the refresh');
  await refreshed;
  assert.deepEqual(
    lenses(shop).map((l) => l.range.start.line),
    [30],
  );
});

test('clicking a lens writes that container; once written, the lens is gone', async () => {
  const { lenses, manifests } = await startFeatures();
  const cache = double.openDocument(uri('plain/cache.yaml'));
  const [lens] = lenses(cache);
  assert.equal(
    lens?.command?.title,
    'krr: cpu 100m → 50m · memory 128Mi → 100Mi · memory limit 256Mi → 100Mi · saves $2.48/month',
  );
  await double.commands.get(lens!.command!.command)!(...lens!.command!.arguments!);
  assert.match(
    cache.getText(),
    /resources: \{ requests: \{ cpu: 50m, memory: 100Mi \}, limits: \{ memory: 100Mi \} \}/,
  );
  assert.equal(cache.isDirty, true, 'not saved');
  await manifests.settled();
  assert.deepEqual(lenses(cache), []);
});

test('rows that share a resources: line each name their container and workload', () => {
  const container = {
    id: 'c/ns/Deployment/web/app',
    item: { monthly_savings_usd: -3.5 },
    outcome: {
      kind: 'Deployment',
      namespace: 'ns',
      name: 'web',
      container: 'app',
      changes: [
        { which: 'limits', resource: 'memory', from: '1Gi', to: '2Gi' },
        { which: 'requests', resource: 'cpu', to: '100m' },
        { which: 'requests', resource: 'memory', from: '1Gi' },
      ],
    },
  } as unknown as PlannedContainer;
  assert.equal(
    lensTitle(container, true),
    'krr for app of Deployment ns/web: cpu unset → 100m · remove memory request · memory limit 1Gi → 2Gi · costs $3.50/month more',
  );
});
