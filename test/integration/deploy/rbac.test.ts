import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { parseChangeRequest, type ChangeRequest } from '../../../src/core/changes/change-request.js';
import { DEFAULT_PRICES } from '../../../src/core/changes/cost.js';
import { applyPlan } from '../../../src/core/changes/executor.js';
import { buildChangePlan } from '../../../src/core/changes/plan-builder.js';
import { buildRollbackRequest, readLiveVersions } from '../../../src/core/changes/rollback.js';
import { DEFAULT_SAFETY_RULES } from '../../../src/core/changes/safety-rules.js';
import { SnapshotStore } from '../../../src/core/changes/snapshot-store.js';
import { loadKubeTarget, type KubeTarget } from '../../../src/core/kube/kubeconfig.js';
import { PrometheusClient } from '../../../src/core/prometheus/client.js';
import { discoverPrometheus } from '../../../src/core/prometheus/service-discovery.js';
import type { ResourceScan, ScanResult } from '../../../src/core/recommend/model.js';
import type { RbacRule, RecordedRequest } from '../../../src/demo/kube-simulator/index.js';
import { runCli } from '../../support/cli/run-cli.js';
import { startEngineEnvironment, type EngineEnvironment } from '../../support/engine-environment.js';

// deploy/rbac/*.yaml against the Kubernetes API simulator's RBAC, with the real Prometheus behind the
// simulator's service proxy: the read-only role is enough for `krr-mcp scan` (same result as without
// RBAC) and every permission it grants is used; it refuses dry-runs and patches; with the apply role
// bound in a namespace the change pipeline previews, applies and rolls back there, and nowhere else.

const RBAC_DIR = fileURLToPath(new URL('../../../deploy/rbac/', import.meta.url));

interface Manifest {
  kind: string;
  rules?: Array<{ apiGroups: string[]; resources: string[]; verbs: string[] }>;
}

/**
 * The simulator's rules for a file's ClusterRole. A ClusterRoleBinding applies everywhere; for a
 * RoleBinding the operator picks the namespaces (the manifest's own is a placeholder).
 */
function rulesOf(file: string, namespaces?: string[]): RbacRule[] {
  const manifests = parseAllDocuments(readFileSync(join(RBAC_DIR, file), 'utf8')).map(
    (d) => d.toJS() as Manifest,
  );
  const role = manifests.find((m) => m.kind === 'ClusterRole');
  assert.ok(role?.rules, `${file}: no ClusterRole`);
  const roleBinding = manifests.some((m) => m.kind === 'RoleBinding');
  assert.equal(
    roleBinding,
    namespaces !== undefined,
    `${file}: bound per namespace iff namespaces are given`,
  );
  return role.rules.map((r) => ({
    verbs: r.verbs,
    apiGroups: r.apiGroups,
    resources: r.resources,
    ...(namespaces ? { namespaces } : {}),
  }));
}

/** `group|resource[/subresource]|verb`, as RBAC sees a request (the simulator's own mapping). */
function accessOf(request: RecordedRequest): string | undefined {
  const segments = request.path.split('/').filter(Boolean).map(decodeURIComponent);
  let group: string;
  let rest: string[];
  if (segments[0] === 'api') [group, rest] = ['', segments.slice(2)];
  else if (segments[0] === 'apis' && segments.length > 3) [group, rest] = [segments[1]!, segments.slice(3)];
  else return undefined; // discovery (/api, /apis, /version…): no RBAC
  if (rest.length === 0) return undefined;
  const [resource, name, subresource] =
    rest[0] === 'namespaces' && rest.length >= 3 ? [rest[2], rest[3], rest[4]] : [rest[0], rest[1], rest[2]];
  const verb =
    subresource === 'proxy'
      ? request.method === 'POST'
        ? 'create'
        : 'get'
      : ({ GET: name ? 'get' : 'list', POST: 'create', PATCH: 'patch', PUT: 'update', DELETE: 'delete' }[
          request.method
        ] ?? request.method.toLowerCase());
  return `${group}|${resource}${subresource ? `/${subresource}` : ''}|${verb}`;
}

function grantsOf(rules: RbacRule[]): string[] {
  return rules.flatMap((r) =>
    r.apiGroups.flatMap((g) => r.resources.flatMap((res) => r.verbs.map((v) => `${g}|${res}|${v}`))),
  );
}

const key = (s: ResourceScan) =>
  `${s.object.namespace}/${s.object.kind}/${s.object.name}/${s.object.container}`;

let env: EngineEnvironment;
let kube: KubeTarget;
let readOnly: RbacRule[];
let apply: RbacRule[];
let unrestricted: ScanResult;
/** Requests made while only the read-only role was in force. */
const readOnlyRequests: RecordedRequest[] = [];

before(async () => {
  env = await startEngineEnvironment();
  kube = loadKubeTarget({ kubeconfig: env.kubeconfig, env: {} });
  readOnly = rulesOf('read-only.yaml');
  apply = rulesOf('apply.yaml', ['shop']);
});
after(async () => {
  await env?.stop();
});

/** `krr-mcp scan` with Prometheus found in the cluster (no -p): discovery goes through the API server. */
async function scan(...extra: string[]) {
  return runCli([
    'scan',
    '--kubeconfig',
    env.kubeconfig,
    '--at',
    String(env.cluster.endTime),
    '-f',
    'json',
    '-q',
    ...extra,
  ]);
}

/** Runs work under the given rules and returns the requests it made. */
async function withRules<T>(
  rules: RbacRule[] | undefined,
  work: () => Promise<T>,
): Promise<{ value: T; requests: RecordedRequest[] }> {
  const from = env.kube.requests.length;
  env.kube.setRbac(rules);
  try {
    const value = await work();
    const requests = env.kube.requests.slice(from);
    if (rules === readOnly) readOnlyRequests.push(...requests);
    return { value, requests };
  } finally {
    env.kube.setRbac(undefined);
  }
}

describe('read-only role (deploy/rbac/read-only.yaml)', () => {
  before(async () => {
    const run = await scan();
    assert.equal(run.code, 0, run.stderr);
    unrestricted = JSON.parse(run.stdout) as ScanResult;
    assert.ok(unrestricted.scans.length > 5, 'the fixture cluster has workloads');
  });

  test('krr-mcp scan gives the same result as without RBAC, with no request refused', async () => {
    const { value: run, requests } = await withRules(readOnly, () => scan());
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), unrestricted);
    assert.deepEqual(
      requests.filter((r) => r.status === 403).map((r) => `${r.method} ${r.path}`),
      [],
      'a refused request would mean a kind or a warning silently lost',
    );
    // The scan went through discovery, the service proxy, HPAs, Rollouts and the API pod fallback.
    const used = new Set(requests.map(accessOf));
    for (const access of [
      '|services|list',
      '|services/proxy|create',
      'argoproj.io|rollouts|list',
      '|pods|list',
    ])
      assert.ok(used.has(access), access);
  });

  test('-n with a regex (namespace list) gives the same rows as the unrestricted scan', async () => {
    const { value: run } = await withRules(readOnly, () => scan('-n', 'sho.'));
    assert.equal(run.code, 0, run.stderr);
    const rows = (JSON.parse(run.stdout) as ScanResult).scans;
    assert.deepEqual(rows.map(key), unrestricted.scans.filter((s) => s.object.namespace === 'shop').map(key));
  });

  test("the MCP server's Prometheus version check (health_check) through the proxy", async () => {
    const { value: version } = await withRules(readOnly, async () => {
      const found = await discoverPrometheus(kube);
      assert.ok(found, 'Prometheus discovered');
      return (await new PrometheusClient(found.connection).buildInfo()).version;
    });
    assert.match(version ?? '', /^\d+\.\d+/);
  });

  test('a Rollout with workloadRef needs get on its Deployment, and is scanned with it', async () => {
    env.kube.store.put({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: { name: 'coredns-rollout', namespace: 'kube-system', labels: { app: 'coredns-rollout' } },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'coredns' } },
        workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'coredns' },
        strategy: { canary: { steps: [{ setWeight: 50 }] } },
      },
    });
    const args = ['-n', 'kube-system', '-r', 'Rollout'];
    const { value: granted } = await withRules(readOnly, () => scan(...args));
    assert.equal(granted.code, 0, granted.stderr);
    assert.deepEqual((JSON.parse(granted.stdout) as ScanResult).scans.map(key), [
      'kube-system/Rollout/coredns-rollout/coredns',
    ]);
    const withoutGet = readOnly
      .map((r) =>
        r.apiGroups.includes('apps') && r.resources.includes('deployments') && r.verbs.includes('get')
          ? { ...r, verbs: r.verbs.filter((v) => v !== 'get') }
          : r,
      )
      .filter((r) => r.verbs.length > 0);
    const denied = await withRules(withoutGet, () => scan(...args));
    assert.equal(denied.value.code, 1, 'without the Deployment, the Rollout has no pod template');
    assert.match(denied.value.stderr, /No workloads to scan/);
  });

  test('least privilege: every permission the role grants was used by the scans above', () => {
    const used = new Set(readOnlyRequests.map(accessOf));
    const unused = grantsOf(readOnly).filter((grant) => !used.has(grant));
    assert.deepEqual(unused, []);
  });

  test('refuses the dry-run of a change (403) and a patch, and changes nothing', async () => {
    const request = shopChange();
    const { value: plan } = await withRules(readOnly, () => buildChangePlan(kube, request, options));
    const web = plan.workloads.find((w) => w.target.name === 'web')!;
    assert.equal(web.dryRun.ok, false);
    assert.equal((web.dryRun as { status?: number }).status, 403);
    assert.ok(
      plan.blocks.some((b) => b.includes('403') && b.includes('needs RBAC permission to patch this object')),
      plan.blocks.join('\n'),
    );

    const approvable = await buildChangePlan(kube, request, options); // as if built with more rights
    assert.deepEqual(approvable.blocks, []);
    const before = JSON.stringify(env.kube.store.get('Deployment', 'shop', 'web'));
    const { value: result, requests } = await withRules(readOnly, () =>
      applyPlan(kube, approvable, { snapshots: new SnapshotStore(join(env.dir, 'snapshots-ro')) }),
    );
    assert.notEqual(result.status, 'applied');
    assert.ok(requests.some((r) => r.method === 'PATCH' && r.status === 403));
    assert.ok(
      !requests.some((r) => r.method === 'PATCH' && r.status === 200 && r.query.dryRun === undefined),
    );
    assert.equal(JSON.stringify(env.kube.store.get('Deployment', 'shop', 'web')), before);
  });
});

const options = { safety: DEFAULT_SAFETY_RULES, prices: DEFAULT_PRICES };

/** Small changes to three kinds in shop: a Deployment, a StatefulSet and a Rollout (a CRD: JSON patch). */
function shopChange(): ChangeRequest {
  const change = (kind: string, name: string, container: string, cpu: string, memory: string) => ({
    kind,
    namespace: 'shop',
    name,
    containers: [{ container, source: 'recommendation', requests: { cpu, memory } }],
  });
  return parseChangeRequest({
    workloads: [
      change('Deployment', 'web', 'app', '450m', '500Mi'),
      change('StatefulSet', 'postgres', 'postgres', '900m', '2Gi'),
      change('Rollout', 'canary', 'app', '150m', '200Mi'),
    ],
  });
}

function requestsOf(kind: string, name: string, container: string, namespace = 'shop') {
  const object = env.kube.store.get(kind, namespace, name) as unknown as {
    spec: {
      template: {
        spec: { containers: Array<{ name: string; resources: { requests?: Record<string, string> } }> };
      };
    };
  };
  return object.spec.template.spec.containers.find((c) => c.name === container)?.resources.requests;
}

describe('apply role (deploy/rbac/apply.yaml) bound in shop, with the read-only role', () => {
  const both = () => [...readOnly, ...apply];

  test('dry-run, apply and rollback succeed for a Deployment, a StatefulSet and a Rollout', async () => {
    const original = {
      web: requestsOf('Deployment', 'web', 'app'),
      postgres: requestsOf('StatefulSet', 'postgres', 'postgres'),
      canary: requestsOf('Rollout', 'canary', 'app'),
    };
    const store = new SnapshotStore(join(env.dir, 'snapshots'));
    const { value: applied, requests } = await withRules(both(), async () => {
      const plan = await buildChangePlan(kube, shopChange(), options);
      assert.deepEqual(plan.blocks, []);
      for (const w of plan.workloads) assert.equal(w.dryRun.ok, true, `${w.target.kind} dry-run`);
      return applyPlan(kube, plan, { snapshots: store });
    });
    assert.equal(applied.status, 'applied', JSON.stringify(applied.objects));
    assert.deepEqual(
      requests.filter((r) => r.status === 403).map((r) => `${r.method} ${r.path}`),
      [],
    );
    assert.equal(requestsOf('Deployment', 'web', 'app')?.cpu, '450m');
    assert.equal(requestsOf('StatefulSet', 'postgres', 'postgres')?.cpu, '900m');
    assert.equal(requestsOf('Rollout', 'canary', 'app')?.cpu, '150m');

    const { value: restored } = await withRules(both(), async () => {
      const snapshot = await store.load(applied.rollbackId);
      const rollback = buildRollbackRequest(snapshot, await readLiveVersions(kube, snapshot));
      assert.deepEqual(rollback.blocks, []);
      const plan = await buildChangePlan(kube, rollback.request!, options);
      assert.deepEqual(plan.blocks, []);
      return applyPlan(kube, plan, { snapshots: store });
    });
    assert.equal(restored.status, 'applied', JSON.stringify(restored.objects));
    assert.deepEqual(requestsOf('Deployment', 'web', 'app'), original.web);
    assert.deepEqual(requestsOf('StatefulSet', 'postgres', 'postgres'), original.postgres);
    assert.deepEqual(requestsOf('Rollout', 'canary', 'app'), original.canary);
  });

  test('outside the bound namespace the dry-run is refused (403)', async () => {
    const { value: plan } = await withRules(both(), () =>
      buildChangePlan(
        kube,
        parseChangeRequest({
          workloads: [
            {
              kind: 'DaemonSet',
              namespace: 'monitoring',
              name: 'log-agent',
              containers: [{ container: 'agent', source: 'recommendation', requests: { cpu: '60m' } }],
            },
          ],
        }),
        options,
      ),
    );
    assert.ok(
      plan.blocks.some((b) => b.includes('403') && b.includes('permission')),
      plan.blocks.join('\n'),
    );
  });
});
