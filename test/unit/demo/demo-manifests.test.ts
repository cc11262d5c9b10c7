import assert from 'node:assert/strict';
import { test } from 'node:test';
import { indexManifests } from '../../../src/core/manifests/index.js';
import { buildDemoCluster } from '../../../src/demo/demo-cluster.js';
import { demoManifests } from '../../../src/demo/demo-manifests.js';

// The demo workspace's manifests must say what the demo cluster runs: every container, with its live values,
// found where a newcomer expects it (Kustomize, plain YAML, the Helm chart's values).

const cluster = buildDemoCluster(Date.UTC(2026, 11, 1) / 1000);
const files = Object.entries(demoManifests(cluster)).map(([path, text]) => ({ path, text }));
const index = indexManifests(files, {
  workloadMetadata: cluster.workloads.map((w) => ({
    kind: w.kind,
    namespace: w.namespace,
    name: w.name,
    labels: w.labels,
    ...(w.annotations ? { annotations: w.annotations } : {}),
  })),
});

test('the files parse; every container of the demo cluster is defined once, with its live values', () => {
  assert.deepEqual(index.fileErrors, []);
  const expected = cluster.workloads.flatMap((w) =>
    w.containers.map((c) => ({
      key: `${w.kind} ${w.namespace}/${w.name} ${c.name}`,
      resources: { requests: { ...c.requests }, limits: { ...c.limits } },
    })),
  );
  // A chart does not know the namespace it is installed in (helm -n): the release says it, not the files.
  const defined = index.containers.map((c) => ({
    key: `${c.kind} ${c.namespace ?? (c.source === 'helm' ? 'logging' : '?')}/${c.name} ${c.container}`,
    resources: c.resources,
    source: c.source,
  }));
  for (const { key, resources } of expected) {
    const matches = defined.filter((d) => d.key === key);
    assert.equal(matches.length, 1, `${key}: ${matches.length} definitions`);
    assert.deepEqual(matches[0]!.resources, resources, key);
  }
  assert.equal(defined.length, expected.length, 'no definition of something the cluster does not run');
});

test('each shape is there: Kustomize overlays, plain YAML and the Helm chart', () => {
  const sourceOf = (namespace: string | undefined, name: string) =>
    new Set(
      index.containers.filter((c) => c.namespace === namespace && c.name === name).map((c) => c.source),
    );
  assert.deepEqual(sourceOf('prod', 'checkout-api'), new Set(['kustomize']));
  assert.deepEqual(sourceOf('staging', 'storefront'), new Set(['kustomize']));
  assert.deepEqual(sourceOf('prod', 'postgres'), new Set(['plain']));
  assert.deepEqual(sourceOf(undefined, 'fluent-bit'), new Set(['helm']));
});
