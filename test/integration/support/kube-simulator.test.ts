// The Kubernetes API simulator, exercised through the real @kubernetes/client-node (and kubectl when the
// machine has it), so that what the product's tests rely on is checked against a real client.

import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as k8s from '@kubernetes/client-node';
import type { FixtureCluster } from '../../../src/demo/cluster-model.js';
import {
  fixtureObjects,
  objectUid,
  startKubeSimulator,
  type KubeSimulator,
} from '../../../src/demo/kube-simulator/index.js';

const TOKEN = 'test-token';
const flat = [{ fromSecond: 0, value: 0.1 }];
const usage = { cpuCores: flat, memoryBytes: [{ fromSecond: 0, value: 1e8 }] };

const cluster: FixtureCluster = {
  name: 'sim',
  namespaces: ['shop', 'monitoring'],
  workloads: [
    {
      kind: 'Deployment',
      namespace: 'shop',
      name: 'web',
      labels: { app: 'web', tier: 'front', '<b>x</b>': 'y' },
      annotations: { note: '<script>alert(1)</script>' },
      replicas: 2,
      containers: [
        { name: 'app', requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '256Mi' } },
        { name: 'sidecar', requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '64Mi' } },
      ],
      replicaSets: ['web-5d4f8', 'web-7c9b6'],
      pods: [
        {
          name: 'web-7c9b6-aaaaa',
          startSecond: 0,
          node: 'node-1',
          owner: { kind: 'ReplicaSet', name: 'web-7c9b6' },
          usage: { app: usage },
        },
        {
          name: 'web-7c9b6-bbbbb',
          startSecond: 0,
          node: 'node-2',
          owner: { kind: 'ReplicaSet', name: 'web-7c9b6' },
          usage: { app: usage },
        },
        {
          name: 'web-5d4f8-ccccc',
          startSecond: 0,
          endSecond: 100,
          node: 'node-1',
          owner: { kind: 'ReplicaSet', name: 'web-5d4f8' },
          usage: { app: usage },
        },
      ],
    },
    {
      kind: 'StatefulSet',
      namespace: 'shop',
      name: 'db',
      labels: { app: 'db', tier: 'back' },
      replicas: 1,
      containers: [{ name: 'postgres', requests: { cpu: '500m', memory: '1Gi' } }],
      pods: [
        {
          name: 'db-0',
          startSecond: 0,
          node: 'node-2',
          owner: { kind: 'StatefulSet', name: 'db' },
          usage: {},
        },
      ],
    },
    {
      kind: 'CronJob',
      namespace: 'shop',
      name: 'nightly',
      labels: { app: 'nightly' },
      containers: [{ name: 'job', requests: { cpu: '200m' } }],
      jobs: ['nightly-100', 'nightly-200'],
      pods: [
        {
          name: 'nightly-200-xyz',
          startSecond: 0,
          node: 'node-1',
          owner: { kind: 'Job', name: 'nightly-200' },
          usage: {},
        },
      ],
    },
    {
      kind: 'Rollout',
      namespace: 'shop',
      name: 'canary',
      labels: { app: 'canary' },
      replicas: 1,
      containers: [{ name: 'app', requests: { cpu: '50m' } }],
      replicaSets: ['canary-abc12'],
      pods: [],
    },
  ],
  hpas: [
    {
      apiVersion: 'autoscaling/v2',
      namespace: 'shop',
      name: 'web',
      target: { kind: 'Deployment', name: 'web' },
      minReplicas: 2,
      maxReplicas: 5,
      currentReplicas: 2,
      desiredReplicas: 3,
      cpuUtilization: 70,
      externalMetric: 'queue_depth',
    },
  ],
  services: [{ namespace: 'monitoring', name: 'prometheus', labels: { app: 'prometheus' }, port: 9090 }],
  rolloutsCrd: true,
  endTime: 1_700_000_000,
  historySeconds: 3600,
  scrapeIntervalSeconds: 30,
};

const strategic = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch);
const merge = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);
const jsonPatch = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.JsonPatch);

/** Generated model classes compare unequal to object literals; compare their JSON instead. */
function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown;
}

/** The Status an ApiException carries. */
async function rejection(
  promise: Promise<unknown>,
): Promise<{ code: number; status: Record<string, unknown> }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof k8s.ApiException) {
      const body = typeof error.body === 'string' ? JSON.parse(error.body) : error.body;
      return { code: error.code, status: body as Record<string, unknown> };
    }
    throw error;
  }
  throw new Error('expected the call to fail');
}

let sim: KubeSimulator;
let bare: KubeSimulator;
let dir: string;
let kubeconfig: string;
let kc: k8s.KubeConfig;
let upstream: Server;
const upstreamSeen: Array<{
  method: string;
  url: string;
  body: string;
  contentType?: string;
  auth?: string;
}> = [];

function client<T extends k8s.ApiType>(api: new (config: k8s.Configuration) => T, config = kc): T {
  return config.makeApiClient(api);
}

function loadConfig(path: string): k8s.KubeConfig {
  const config = new k8s.KubeConfig();
  config.loadFromFile(path);
  return config;
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kube-sim-'));
  upstream = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      upstreamSeen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        body,
        ...(req.headers['content-type'] ? { contentType: req.headers['content-type'] } : {}),
        ...(req.headers.authorization ? { auth: req.headers.authorization } : {}),
      });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [] } }));
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  sim = await startKubeSimulator({
    objects: fixtureObjects(cluster),
    token: TOKEN,
    rolloutsCrd: true,
    serviceProxies: { 'monitoring/prometheus:9090': upstreamUrl },
  });
  bare = await startKubeSimulator({
    objects: fixtureObjects({ ...cluster, rolloutsCrd: false }),
    rolloutsCrd: false,
  });
  kubeconfig = sim.writeKubeconfig(join(dir, 'kubeconfig.yaml'), { contextName: 'sim', namespace: 'shop' });
  kc = loadConfig(kubeconfig);
});

after(async () => {
  await sim?.stop();
  await bare?.stop();
  await new Promise<void>((resolve) => (upstream ? upstream.close(() => resolve()) : resolve()));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('discovery', () => {
  test('version, core and group documents', async () => {
    const version = await client(k8s.VersionApi).getCode();
    assert.equal(version.major, '1');
    const core = await client(k8s.CoreApi).getAPIVersions();
    assert.deepEqual(core.versions, ['v1']);
    const groups = await client(k8s.ApisApi).getAPIVersions();
    const autoscaling = groups.groups.find((g) => g.name === 'autoscaling');
    assert.equal(autoscaling?.preferredVersion?.version, 'v2');
    assert.deepEqual(
      autoscaling?.versions.map((v) => v.version),
      ['v2', 'v1'],
    );
    assert.ok(groups.groups.some((g) => g.name === 'argoproj.io'));
  });

  test('APIResourceLists name every served resource', async () => {
    const apps = await client(k8s.AppsV1Api).getAPIResources();
    const deployments = apps.resources.find((r) => r.name === 'deployments');
    assert.equal(deployments?.kind, 'Deployment');
    assert.equal(deployments?.singularName, 'deployment');
    assert.equal(deployments?.namespaced, true);
    assert.deepEqual(deployments?.shortNames, ['deploy']);
    assert.ok(deployments?.verbs.includes('patch'));
    const core = await client(k8s.CoreV1Api).getAPIResources();
    assert.equal(core.resources.find((r) => r.name === 'namespaces')?.namespaced, false);
    assert.ok(core.resources.some((r) => r.name === 'services/proxy'));
  });

  test('KubernetesObjectApi resolves kinds through discovery', async () => {
    const objects = k8s.KubernetesObjectApi.makeApiClient(kc);
    const read = await objects.read({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'shop' },
    });
    assert.equal(read.metadata?.name, 'web');
  });

  test('a cluster without the Argo Rollouts CRD does not serve the group', async () => {
    const bareConfig = loadConfig(bare.writeKubeconfig(join(dir, 'bare.yaml')));
    const groups = await client(k8s.ApisApi, bareConfig).getAPIVersions();
    assert.ok(!groups.groups.some((g) => g.name === 'argoproj.io'));
    const custom = client(k8s.CustomObjectsApi, bareConfig);
    const failure = await rejection(
      custom.listNamespacedCustomObject({
        group: 'argoproj.io',
        version: 'v1alpha1',
        namespace: 'shop',
        plural: 'rollouts',
      }),
    );
    assert.equal(failure.code, 404);
    assert.equal(failure.status.reason, 'NotFound');
  });
});

describe('reads', () => {
  test('get returns a full object with server-set metadata', async () => {
    const web = await client(k8s.AppsV1Api).readNamespacedDeployment({ name: 'web', namespace: 'shop' });
    assert.equal(web.metadata?.uid, objectUid('Deployment', 'shop', 'web'));
    assert.match(web.metadata?.resourceVersion ?? '', /^\d+$/);
    assert.equal(web.metadata?.generation, 1);
    assert.ok((web.metadata?.managedFields?.length ?? 0) > 0);
    assert.equal(web.metadata?.annotations?.note, '<script>alert(1)</script>');
    assert.equal(web.metadata?.labels?.['<b>x</b>'], 'y');
    assert.deepEqual(web.spec?.selector.matchLabels, { app: 'web' });
    assert.deepEqual(
      web.spec?.template.spec?.containers.map((c) => c.name),
      ['app', 'sidecar'],
    );
  });

  test('a missing object is a NotFound Status', async () => {
    const failure = await rejection(
      client(k8s.AppsV1Api).readNamespacedDeployment({ name: 'nope', namespace: 'shop' }),
    );
    assert.equal(failure.code, 404);
    assert.deepEqual(failure.status, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'deployments.apps "nope" not found',
      reason: 'NotFound',
      details: { name: 'nope', group: 'apps', kind: 'deployments' },
      code: 404,
    });
  });

  test('label selectors', async () => {
    const core = client(k8s.CoreV1Api);
    const names = async (labelSelector: string) =>
      (await core.listNamespacedPod({ namespace: 'shop', labelSelector })).items
        .map((p) => p.metadata?.name)
        .sort();
    assert.deepEqual(await names('app=web'), ['web-7c9b6-aaaaa', 'web-7c9b6-bbbbb']);
    assert.deepEqual(await names('app==db'), ['db-0']);
    assert.deepEqual(await names('app in (db, nightly)'), ['db-0', 'nightly-200-xyz']);
    assert.deepEqual(await names('app notin (web),!job-name'), ['db-0']);
    assert.deepEqual(await names('app!=web,job-name'), ['nightly-200-xyz']);
    assert.deepEqual(await names('app=web,pod-template-hash=7c9b6'), ['web-7c9b6-aaaaa', 'web-7c9b6-bbbbb']);
    const failure = await rejection(
      core.listNamespacedPod({ namespace: 'shop', labelSelector: 'app in web' }),
    );
    assert.equal(failure.code, 400);
  });

  test('only running pods exist, with owners and node names', async () => {
    const pods = await client(k8s.CoreV1Api).listPodForAllNamespaces({
      fieldSelector: 'status.phase=Running',
    });
    assert.equal(pods.items.length, 4);
    assert.equal(pods.kind, 'PodList');
    const pod = pods.items.find((p) => p.metadata?.name === 'web-7c9b6-aaaaa');
    assert.equal(pod?.spec?.nodeName, 'node-1');
    assert.deepEqual(
      pod?.metadata?.ownerReferences?.map((o) => `${o.kind}/${o.name}`),
      ['ReplicaSet/web-7c9b6'],
    );
    const byName = await client(k8s.CoreV1Api).listNamespacedPod({
      namespace: 'shop',
      fieldSelector: 'metadata.name=db-0',
    });
    assert.deepEqual(
      byName.items.map((p) => p.metadata?.name),
      ['db-0'],
    );
  });

  test('limit and continue page through a list', async () => {
    const core = client(k8s.CoreV1Api);
    const all = await core.listPodForAllNamespaces({});
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await core.listPodForAllNamespaces({ limit: 2, ...(token ? { _continue: token } : {}) });
      assert.match(page.metadata?.resourceVersion ?? '', /^\d+$/);
      seen.push(...page.items.map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`));
      token = page.metadata?._continue;
      pages += 1;
    } while (token);
    assert.equal(pages, 2);
    assert.deepEqual(
      seen,
      all.items.map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`),
    );
  });

  test('owned ReplicaSets and Jobs', async () => {
    const rs = await client(k8s.AppsV1Api).listNamespacedReplicaSet({
      namespace: 'shop',
      labelSelector: 'app=web',
    });
    assert.deepEqual(
      rs.items.map((r) => r.metadata?.name),
      ['web-5d4f8', 'web-7c9b6'],
    );
    const jobs = await client(k8s.BatchV1Api).listNamespacedJob({ namespace: 'shop' });
    const owner = jobs.items.find((j) => j.metadata?.name === 'nightly-200')?.metadata?.ownerReferences?.[0];
    assert.equal(owner?.kind, 'CronJob');
    assert.equal(owner?.controller, true);
    assert.equal(owner?.uid, objectUid('CronJob', 'shop', 'nightly'));
    const cron = await client(k8s.BatchV1Api).readNamespacedCronJob({ name: 'nightly', namespace: 'shop' });
    assert.equal(cron.spec?.jobTemplate.spec?.template.spec?.containers[0]?.resources?.requests?.cpu, '200m');
  });

  test('HPAs in autoscaling/v2 and their autoscaling/v1 view', async () => {
    const v2 = await client(k8s.AutoscalingV2Api).readNamespacedHorizontalPodAutoscaler({
      name: 'web',
      namespace: 'shop',
    });
    assert.equal(v2.spec?.metrics?.length, 2);
    assert.equal(v2.spec?.metrics?.[1]?.type, 'External');
    assert.equal(v2.status?.desiredReplicas, 3);
    const v1 = await client(k8s.AutoscalingV1Api).readNamespacedHorizontalPodAutoscaler({
      name: 'web',
      namespace: 'shop',
    });
    assert.equal(v1.apiVersion, 'autoscaling/v1');
    assert.equal(v1.spec?.targetCPUUtilizationPercentage, 70);
    assert.equal(v1.spec?.maxReplicas, 5);
    const list = await client(k8s.AutoscalingV1Api).listHorizontalPodAutoscalerForAllNamespaces({});
    assert.equal(list.items[0]?.spec?.targetCPUUtilizationPercentage, 70);
  });

  test('Rollouts through the custom objects API', async () => {
    const rollout = (await client(k8s.CustomObjectsApi).getNamespacedCustomObject({
      group: 'argoproj.io',
      version: 'v1alpha1',
      namespace: 'shop',
      plural: 'rollouts',
      name: 'canary',
    })) as { kind: string; spec: { template: { spec: { containers: Array<{ name: string }> } } } };
    assert.equal(rollout.kind, 'Rollout');
    assert.equal(rollout.spec.template.spec.containers[0]?.name, 'app');
  });
});

describe('writes', () => {
  const apps = () => client(k8s.AppsV1Api);
  const containers = async (name = 'web') =>
    (await apps().readNamespacedDeployment({ name, namespace: 'shop' })).spec?.template.spec?.containers ??
    [];

  test('strategic merge patches one named container and leaves the others', async () => {
    const before = await apps().readNamespacedDeployment({ name: 'web', namespace: 'shop' });
    const patched = await apps().patchNamespacedDeployment(
      {
        name: 'web',
        namespace: 'shop',
        fieldManager: 'krr-mcp',
        body: {
          spec: {
            template: { spec: { containers: [{ name: 'app', resources: { requests: { cpu: '250m' } } }] } },
          },
        },
      },
      strategic,
    );
    const app = patched.spec?.template.spec?.containers.find((c) => c.name === 'app');
    const sidecar = patched.spec?.template.spec?.containers.find((c) => c.name === 'sidecar');
    assert.deepEqual(plain(app?.resources), {
      limits: { cpu: '1', memory: '256Mi' },
      requests: { cpu: '250m', memory: '128Mi' },
    });
    assert.deepEqual(plain(sidecar?.resources), {
      limits: { memory: '64Mi' },
      requests: { cpu: '10m', memory: '32Mi' },
    });
    assert.equal(patched.metadata?.generation, (before.metadata?.generation ?? 0) + 1);
    assert.ok(Number(patched.metadata?.resourceVersion) > Number(before.metadata?.resourceVersion));
    assert.ok(patched.metadata?.managedFields?.some((m) => m.manager === 'krr-mcp'));
    const last = sim.requests.at(-1);
    assert.equal(last?.headers['content-type'], 'application/strategic-merge-patch+json');
    assert.equal(last?.query.fieldManager, 'krr-mcp');
  });

  test('quantities come back in canonical form', async () => {
    const patched = await apps().patchNamespacedDeployment(
      {
        name: 'web',
        namespace: 'shop',
        body: {
          spec: {
            template: {
              spec: {
                containers: [{ name: 'app', resources: { requests: { cpu: '0.3', memory: '131072Ki' } } }],
              },
            },
          },
        },
      },
      strategic,
    );
    const app = patched.spec?.template.spec?.containers.find((c) => c.name === 'app');
    assert.deepEqual(plain(app?.resources?.requests), { cpu: '300m', memory: '128Mi' });
  });

  test('null removes a limit', async () => {
    await apps().patchNamespacedDeployment(
      {
        name: 'web',
        namespace: 'shop',
        body: {
          spec: {
            template: { spec: { containers: [{ name: 'app', resources: { limits: { cpu: null } } }] } },
          },
        },
      },
      strategic,
    );
    const app = (await containers()).find((c) => c.name === 'app');
    assert.deepEqual(plain(app?.resources?.limits), { memory: '256Mi' });
  });

  test('$patch: delete removes a list item by merge key', async () => {
    const result = await apps().patchNamespacedDeployment(
      {
        name: 'web',
        namespace: 'shop',
        dryRun: 'All',
        body: { spec: { template: { spec: { containers: [{ name: 'sidecar', $patch: 'delete' }] } } } },
      },
      strategic,
    );
    assert.deepEqual(
      result.spec?.template.spec?.containers.map((c) => c.name),
      ['app'],
    );
  });

  test('$patch: replace swaps a whole map, and a misspelt container is a new one without an image', async () => {
    const replaced = await apps().patchNamespacedDeployment(
      {
        name: 'web',
        namespace: 'shop',
        dryRun: 'All',
        body: {
          spec: {
            template: {
              spec: {
                containers: [{ name: 'app', resources: { $patch: 'replace', requests: { cpu: '50m' } } }],
              },
            },
          },
        },
      },
      strategic,
    );
    assert.deepEqual(plain(replaced.spec?.template.spec?.containers[0]?.resources), {
      requests: { cpu: '50m' },
    });
    const typo = await rejection(
      apps().patchNamespacedDeployment(
        {
          name: 'web',
          namespace: 'shop',
          body: {
            spec: {
              template: { spec: { containers: [{ name: 'apq', resources: { requests: { cpu: '50m' } } }] } },
            },
          },
        },
        strategic,
      ),
    );
    assert.equal(typo.code, 422);
    assert.equal(
      typo.status.message,
      'Deployment.apps "web" is invalid: spec.template.spec.containers[2].image: Required value',
    );
  });

  test('dryRun=All returns the result without storing it', async () => {
    const before = sim.store.get('Deployment', 'shop', 'web');
    const result = await apps().patchNamespacedDeployment(
      {
        name: 'web',
        namespace: 'shop',
        dryRun: 'All',
        body: {
          spec: {
            template: {
              spec: { containers: [{ name: 'app', resources: { requests: { memory: '200Mi' } } }] },
            },
          },
        },
      },
      strategic,
    );
    assert.equal(result.spec?.template.spec?.containers[0]?.resources?.requests?.memory, '200Mi');
    assert.equal(result.metadata?.resourceVersion, before?.metadata.resourceVersion);
    assert.deepEqual(sim.store.get('Deployment', 'shop', 'web'), before);
    assert.equal(sim.requests.at(-1)?.query.dryRun, 'All');
  });

  test('merge patch (RFC 7386) replaces lists wholesale', async () => {
    const result = await apps().patchNamespacedDeployment(
      {
        name: 'web',
        namespace: 'shop',
        dryRun: 'All',
        body: {
          metadata: { labels: { tier: null, extra: 'yes' } },
          spec: { template: { spec: { containers: [{ name: 'only', image: 'x:1' }] } } },
        },
      },
      merge,
    );
    assert.equal(result.metadata?.labels?.tier, undefined);
    assert.equal(result.metadata?.labels?.extra, 'yes');
    assert.deepEqual(
      result.spec?.template.spec?.containers.map((c) => c.name),
      ['only'],
    );
  });

  test('JSON patch (RFC 6902) with test, add to the end, and a failing test', async () => {
    const current = await apps().readNamespacedDeployment({ name: 'web', namespace: 'shop' });
    const result = await apps().patchNamespacedDeployment(
      {
        name: 'web',
        namespace: 'shop',
        body: [
          { op: 'test', path: '/metadata/resourceVersion', value: current.metadata?.resourceVersion },
          { op: 'test', path: '/spec/template/spec/containers/1/name', value: 'sidecar' },
          { op: 'replace', path: '/spec/template/spec/containers/1/resources/requests/cpu', value: '20m' },
          { op: 'add', path: '/spec/template/spec/containers/1/env', value: [] },
          { op: 'add', path: '/spec/template/spec/containers/1/env/-', value: { name: 'A', value: '1' } },
          { op: 'remove', path: '/spec/template/spec/containers/1/resources/limits' },
        ],
      },
      jsonPatch,
    );
    const sidecar = result.spec?.template.spec?.containers[1];
    assert.equal(sidecar?.resources?.requests?.cpu, '20m');
    assert.equal(sidecar?.resources?.limits, undefined);
    assert.deepEqual(plain(sidecar?.env), [{ name: 'A', value: '1' }]);
    const failure = await rejection(
      apps().patchNamespacedDeployment(
        { name: 'web', namespace: 'shop', body: [{ op: 'test', path: '/spec/replicas', value: 99 }] },
        jsonPatch,
      ),
    );
    assert.equal(failure.code, 422);
  });

  test('a stale resourceVersion is a Conflict', async () => {
    const failure = await rejection(
      apps().patchNamespacedDeployment(
        {
          name: 'web',
          namespace: 'shop',
          body: { metadata: { resourceVersion: '1' }, spec: { replicas: 3 } },
        },
        strategic,
      ),
    );
    assert.equal(failure.code, 409);
    assert.equal(failure.status.reason, 'Conflict');
    assert.equal(
      failure.status.message,
      'Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again',
    );
  });

  test('replace (PUT) honours the resourceVersion precondition', async () => {
    const sts = await client(k8s.AppsV1Api).readNamespacedStatefulSet({ name: 'db', namespace: 'shop' });
    sts.spec!.replicas = 2;
    const replaced = await client(k8s.AppsV1Api).replaceNamespacedStatefulSet({
      name: 'db',
      namespace: 'shop',
      body: sts,
    });
    assert.equal(replaced.spec?.replicas, 2);
    const failure = await rejection(
      client(k8s.AppsV1Api).replaceNamespacedStatefulSet({ name: 'db', namespace: 'shop', body: sts }),
    );
    assert.equal(failure.code, 409);
  });

  test('an unparsable quantity is rejected', async () => {
    const failure = await rejection(
      apps().patchNamespacedDeployment(
        {
          name: 'web',
          namespace: 'shop',
          body: {
            spec: {
              template: { spec: { containers: [{ name: 'app', resources: { requests: { cpu: 'abc' } } }] } },
            },
          },
        },
        strategic,
      ),
    );
    assert.equal(failure.code, 422);
    assert.equal(failure.status.reason, 'Invalid');
    assert.match(String(failure.status.message), /quantities must match the regular expression/);
  });

  test('a negative quantity and a request above its limit are Invalid with field causes', async () => {
    const negative = await rejection(
      apps().patchNamespacedDeployment(
        {
          name: 'web',
          namespace: 'shop',
          body: {
            spec: {
              template: {
                spec: { containers: [{ name: 'app', resources: { requests: { memory: '-1' } } }] },
              },
            },
          },
        },
        strategic,
      ),
    );
    assert.equal(negative.code, 422);
    assert.equal(
      negative.status.message,
      'Deployment.apps "web" is invalid: spec.template.spec.containers[0].resources.requests[memory]: Invalid value: "-1": must be greater than or equal to 0',
    );
    const overLimit = await rejection(
      apps().patchNamespacedDeployment(
        {
          name: 'web',
          namespace: 'shop',
          body: {
            spec: {
              template: {
                spec: { containers: [{ name: 'app', resources: { requests: { memory: '512Mi' } } }] },
              },
            },
          },
        },
        strategic,
      ),
    );
    assert.equal(overLimit.code, 422);
    assert.equal(
      overLimit.status.message,
      'Deployment.apps "web" is invalid: spec.template.spec.containers[0].resources.requests: Invalid value: "512Mi": must be less than or equal to memory limit of 256Mi',
    );
    assert.deepEqual((overLimit.status.details as { causes: unknown[] }).causes, [
      {
        reason: 'FieldValueInvalid',
        message: 'Invalid value: "512Mi": must be less than or equal to memory limit of 256Mi',
        field: 'spec.template.spec.containers[0].resources.requests',
      },
    ]);
  });

  test('an unparsable quantity in a full object (PUT) is a BadRequest, as decoding fails', async () => {
    const web = await apps().readNamespacedDeployment({ name: 'web', namespace: 'shop' });
    const container = web.spec?.template.spec?.containers[0];
    assert.ok(container?.resources?.requests);
    container.resources.requests.cpu = 'abc';
    const failure = await rejection(
      apps().replaceNamespacedDeployment({ name: 'web', namespace: 'shop', body: web }),
    );
    assert.equal(failure.code, 400);
    assert.match(String(failure.status.message), /cannot be handled as a Deployment: quantities must match/);
  });

  test('the selector is immutable', async () => {
    const failure = await rejection(
      apps().patchNamespacedDeployment(
        { name: 'web', namespace: 'shop', body: { spec: { selector: { matchLabels: { app: 'other' } } } } },
        merge,
      ),
    );
    assert.equal(failure.code, 422);
    assert.match(String(failure.status.message), /spec\.selector: Invalid value: .*field is immutable/);
  });

  test('unsupported patch types are 415, and CRDs refuse strategic merge', async () => {
    const apply = await rejection(
      apps().patchNamespacedDeployment(
        {
          name: 'web',
          namespace: 'shop',
          fieldManager: 'x',
          body: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' } },
        },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.ServerSideApply),
      ),
    );
    assert.equal(apply.code, 415);
    const rollout = await rejection(
      client(k8s.CustomObjectsApi).patchNamespacedCustomObject(
        {
          group: 'argoproj.io',
          version: 'v1alpha1',
          namespace: 'shop',
          plural: 'rollouts',
          name: 'canary',
          body: { spec: { replicas: 2 } },
        },
        strategic,
      ),
    );
    assert.equal(rollout.code, 415);
    const merged = (await client(k8s.CustomObjectsApi).patchNamespacedCustomObject(
      {
        group: 'argoproj.io',
        version: 'v1alpha1',
        namespace: 'shop',
        plural: 'rollouts',
        name: 'canary',
        body: { spec: { replicas: 2 } },
      },
      merge,
    )) as { spec: { replicas: number } };
    assert.equal(merged.spec.replicas, 2);
  });

  test('an HPA patched through autoscaling/v1 keeps its other metrics', async () => {
    const v1 = await client(k8s.AutoscalingV1Api).patchNamespacedHorizontalPodAutoscaler(
      { name: 'web', namespace: 'shop', body: { spec: { targetCPUUtilizationPercentage: 60 } } },
      merge,
    );
    assert.equal(v1.spec?.targetCPUUtilizationPercentage, 60);
    const v2 = await client(k8s.AutoscalingV2Api).readNamespacedHorizontalPodAutoscaler({
      name: 'web',
      namespace: 'shop',
    });
    assert.equal(v2.spec?.metrics?.[0]?.resource?.target.averageUtilization, 60);
    assert.equal(v2.spec?.metrics?.[1]?.external?.metric.name, 'queue_depth');
  });
});

describe('fixtureObjects', () => {
  test('converts the model with stable uids, running pods only, and storage versions', () => {
    const objects = fixtureObjects(cluster);
    const again = fixtureObjects(cluster);
    assert.deepEqual(objects, again);
    const kinds = (kind: string) => objects.filter((o) => o.kind === kind).map((o) => o.metadata.name);
    assert.deepEqual(kinds('Namespace'), ['shop', 'monitoring']);
    assert.deepEqual(kinds('Pod').sort(), ['db-0', 'nightly-200-xyz', 'web-7c9b6-aaaaa', 'web-7c9b6-bbbbb']);
    assert.deepEqual(kinds('ReplicaSet'), ['web-5d4f8', 'web-7c9b6', 'canary-abc12']);
    assert.deepEqual(kinds('Job'), ['nightly-100', 'nightly-200']);
    assert.deepEqual(kinds('Rollout'), ['canary']);
    assert.equal(objects.find((o) => o.kind === 'HorizontalPodAutoscaler')?.apiVersion, 'autoscaling/v2');
    const pod = objects.find((o) => o.metadata.name === 'db-0');
    assert.equal(pod?.metadata.uid, objectUid('Pod', 'shop', 'db-0'));
    assert.deepEqual(
      fixtureObjects({ ...cluster, rolloutsCrd: false }).filter((o) => o.kind === 'Rollout'),
      [],
    );
  });
});

describe('auth and faults', () => {
  test('a wrong token is Unauthorized', async () => {
    const wrong = loadConfig(sim.writeKubeconfig(join(dir, 'wrong.yaml'), { token: 'nope' }));
    // client-node does not pass the 401 body on, so the Status is checked on the wire as well.
    await assert.rejects(client(k8s.CoreV1Api, wrong).listNamespace({}), (error: unknown) => {
      assert.ok(error instanceof k8s.ApiException);
      assert.equal(error.code, 401);
      return true;
    });
    const response = await fetch(`${sim.url}/api/v1/namespaces`, {
      headers: { authorization: 'Bearer nope' },
    });
    assert.equal(response.status, 401);
    assert.deepEqual(await response.json(), {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Unauthorized',
      reason: 'Unauthorized',
      code: 401,
    });
    assert.equal((await fetch(`${sim.url}/version`)).status, 401);
  });

  test('RBAC denials are Forbidden with the real message', async () => {
    sim.setRbac([
      { verbs: ['get', 'list'], apiGroups: ['*'], resources: ['*'] },
      { verbs: ['patch'], apiGroups: ['apps'], resources: ['deployments'], namespaces: ['monitoring'] },
    ]);
    try {
      await client(k8s.AppsV1Api).readNamespacedDeployment({ name: 'web', namespace: 'shop' });
      const patch = await rejection(
        client(k8s.AppsV1Api).patchNamespacedDeployment(
          { name: 'web', namespace: 'shop', body: { spec: { replicas: 1 } } },
          strategic,
        ),
      );
      assert.equal(patch.code, 403);
      assert.equal(
        patch.status.message,
        'deployments.apps "web" is forbidden: User "system:serviceaccount:default:tester" cannot patch resource "deployments" in API group "apps" in the namespace "shop"',
      );
      sim.setRbac([
        { verbs: ['list'], apiGroups: ['apps'], resources: ['deployments'], namespaces: ['shop'] },
      ]);
      const clusterList = await rejection(client(k8s.AppsV1Api).listDeploymentForAllNamespaces({}));
      assert.equal(
        clusterList.status.message,
        'deployments.apps is forbidden: User "system:serviceaccount:default:tester" cannot list resource "deployments" in API group "apps" at the cluster scope',
      );
      await client(k8s.AppsV1Api).listNamespacedDeployment({ namespace: 'shop' });
    } finally {
      sim.setRbac(undefined);
    }
  });

  test('an injected 500 on the third PATCH', async () => {
    sim.faults.add({ method: 'PATCH', path: /\/deployments\/web$/, status: 500, after: 2, times: 1 });
    const patch = (n: number) =>
      client(k8s.AppsV1Api).patchNamespacedDeployment(
        { name: 'web', namespace: 'shop', body: { metadata: { annotations: { touched: String(n) } } } },
        strategic,
      );
    await patch(1);
    await patch(2);
    const failure = await rejection(patch(3));
    assert.equal(failure.code, 500);
    assert.equal(failure.status.reason, 'InternalError');
    await patch(4);
    sim.faults.clear();
  });

  test('a hanging request meets the client timeout', async () => {
    sim.faults.add({ path: /\/namespaces\/shop\/pods$/, hang: true, times: 1 });
    const timeout: k8s.ConfigurationOptions = {
      middleware: [
        {
          pre: (ctx: k8s.RequestContext) => {
            ctx.setSignal(AbortSignal.timeout(300));
            return new k8s.Observable(Promise.resolve(ctx));
          },
          post: (response: k8s.ResponseContext) => new k8s.Observable(Promise.resolve(response)),
        },
      ],
      middlewareMergeStrategy: 'append',
    } as unknown as k8s.ConfigurationOptions;
    const started = Date.now();
    await assert.rejects(client(k8s.CoreV1Api).listNamespacedPod({ namespace: 'shop' }, timeout), /abort/i);
    assert.ok(Date.now() - started < 5000);
    sim.faults.clear();
  });
});

describe('service proxy', () => {
  test('GET and POST reach the configured upstream', async () => {
    const core = client(k8s.CoreV1Api);
    const text = await core.connectGetNamespacedServiceProxyWithPath({
      name: 'prometheus:9090',
      namespace: 'monitoring',
      path: 'api/v1/query',
    });
    assert.equal((text as unknown as { status: string }).status, 'success');
    assert.equal(upstreamSeen.at(-1)?.url, '/api/v1/query');
    assert.equal(upstreamSeen.at(-1)?.auth, undefined, 'credentials are not forwarded');
    const response = await fetch(
      `${sim.url}/api/v1/namespaces/monitoring/services/http:prometheus:9090/proxy/api/v1/query?time=1`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'query=up',
      },
    );
    assert.equal(response.status, 200);
    assert.deepEqual(upstreamSeen.at(-1), {
      method: 'POST',
      url: '/api/v1/query?time=1',
      body: 'query=up',
      contentType: 'application/x-www-form-urlencoded',
    });
  });

  test('a Service without an upstream is unavailable, a missing one not found', async () => {
    sim.store.put({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'thanos', namespace: 'monitoring' },
      spec: { ports: [{ port: 9090 }] },
    });
    const headers = { authorization: `Bearer ${TOKEN}` };
    const unavailable = await fetch(
      `${sim.url}/api/v1/namespaces/monitoring/services/thanos:9090/proxy/api/v1/query`,
      { headers },
    );
    assert.equal(unavailable.status, 503);
    const missing = await fetch(`${sim.url}/api/v1/namespaces/monitoring/services/nope:9090/proxy/`, {
      headers,
    });
    assert.equal(missing.status, 404);
  });
});

describe('outside client-node', () => {
  test('kubectl get --raw', { timeout: 60_000 }, async () => {
    if (!existsSync('/usr/bin/kubectl')) {
      // Not every machine has kubectl; client-node covers the same paths above.
      return;
    }
    // client-go sends no bearer token to an http:// server, so kubectl talks to the simulator without one.
    // The child runs asynchronously: the simulator lives in this process and must keep answering.
    const bareKubeconfig = bare.writeKubeconfig(join(dir, 'kubectl.yaml'));
    const { stdout } = await promisify(execFile)(
      '/usr/bin/kubectl',
      ['--kubeconfig', bareKubeconfig, 'get', '--raw', '/apis/apps/v1'],
      { timeout: 30_000 },
    );
    const list = JSON.parse(stdout) as { groupVersion: string };
    assert.equal(list.groupVersion, 'apps/v1');
    const typed = await promisify(execFile)(
      '/usr/bin/kubectl',
      ['--kubeconfig', bareKubeconfig, 'get', 'deployments', '-n', 'shop', '-o', 'name'],
      { timeout: 30_000 },
    );
    assert.equal(typed.stdout.trim(), 'deployment.apps/web');
  });

  test('main.ts serves a fixture file until SIGTERM', { timeout: 30_000 }, async () => {
    const fixturePath = join(dir, 'cluster.json');
    const outKubeconfig = join(dir, 'main-kubeconfig.yaml');
    writeFileSync(fixturePath, JSON.stringify(cluster));
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'src/demo/kube-simulator/main.ts',
        '--fixture',
        fixturePath,
        '--kubeconfig',
        outKubeconfig,
        '--token',
        't',
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        if (out.includes('\n')) resolve(out.split('\n')[0] ?? '');
      });
      child.once('exit', (code) => reject(new Error(`main.ts exited with ${code}`)));
    });
    const { url } = JSON.parse(line) as { url: string };
    const config = loadConfig(outKubeconfig);
    const deployments = await client(k8s.AppsV1Api, config).listNamespacedDeployment({ namespace: 'shop' });
    assert.deepEqual(
      deployments.items.map((d) => d.metadata?.name),
      ['web'],
    );
    assert.ok(url.startsWith('http://127.0.0.1:'));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  });
});
