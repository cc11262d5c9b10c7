import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { loadKubeTarget, type KubeTarget } from '../../../src/core/kube/kubeconfig.js';
import { kubeconfigYaml } from '../../../src/demo/kube-simulator/kubeconfig.js';
import { prometheusConnection } from '../../../src/extension/prometheus-connection.js';
import { ExtensionSettingsSchema, type ExtensionSettings } from '../../../src/extension/settings.js';

// Which Prometheus a context's readings come from in the editor: the URL setting for the editor's context;
// for another context its own cluster's, unless the person named the label that tells clusters apart in a
// shared one. An API server that lists no Service stands in for a cluster without Prometheus.

let api: Server;
let dir: string;
let other: KubeTarget;
const listed: string[] = [];

before(async () => {
  api = createServer((req, res) => {
    listed.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ kind: 'ServiceList', apiVersion: 'v1', metadata: {}, items: [] }));
  });
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  dir = mkdtempSync(join(tmpdir(), 'krr-mcp-connection-'));
  const file = join(dir, 'config');
  const url = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
  writeFileSync(file, kubeconfigYaml(url, 'token', { contextName: 'arn:aws:eks:eu-west-1:1:cluster/shop' }));
  other = loadKubeTarget({ kubeconfig: file, env: {} });
});

after(async () => {
  await new Promise((resolve) => api.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

const settings = (values: Partial<ExtensionSettings>) =>
  ExtensionSettingsSchema.parse({ prometheusUrl: 'http://thanos.example:9090', ...values });
const connect = (values: Partial<ExtensionSettings>, editorContext: boolean) =>
  prometheusConnection(settings(values), other, undefined, () => {}, { editorContext });

test("the URL is the editor's context's, unscoped", async () => {
  const connection = await connect({}, true);
  assert.ok(!('missing' in connection));
  assert.equal(connection.url, 'http://thanos.example:9090');
  assert.equal(connection.cluster, undefined);
});

test("another context never reads the editor's URL without a cluster label: its own cluster's, or none", async () => {
  listed.length = 0;
  const connection = await connect({}, false);
  assert.ok('missing' in connection);
  assert.match(connection.missing, /krrMcp\.prometheusUrl is the Prometheus of the editor's context/);
  assert.match(connection.missing, /krrMcp\.prometheusClusterLabelName/);
  assert.ok(
    listed.some((u) => u.startsWith('/api/v1/services')),
    'looked in its own cluster',
  );
});

test('with the label named, the URL serves every context, each scoped to its own value', async () => {
  listed.length = 0;
  const mapped = await connect(
    {
      prometheusClusterLabelName: 'cluster',
      prometheusClusterLabelValues: { 'arn:aws:eks:eu-west-1:1:cluster/shop': 'shop-prod' },
    },
    false,
  );
  assert.ok(!('missing' in mapped));
  assert.equal(mapped.url, 'http://thanos.example:9090');
  assert.deepEqual(mapped.cluster, { name: 'cluster', value: 'shop-prod' });
  assert.deepEqual(listed, [], 'no discovery');
  const byName = await connect({ prometheusClusterLabelName: 'cluster' }, true);
  assert.ok(!('missing' in byName));
  assert.deepEqual(byName.cluster, { name: 'cluster', value: 'arn:aws:eks:eu-west-1:1:cluster/shop' });
});
