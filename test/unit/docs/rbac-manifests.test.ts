import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

// The shape of deploy/rbac/*.yaml: valid RBAC objects, bindings that point at the roles beside them, and
// verbs that stay least-privilege. test/integration/deploy/rbac.test.ts proves against the API
// simulator that these rules are enough for a scan and for an apply, and that the read-only ones refuse
// writes.

const RBAC_DIR = fileURLToPath(new URL('../../../deploy/rbac/', import.meta.url));
const API_VERSION = 'rbac.authorization.k8s.io/v1';

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}
interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  rules?: Rule[];
  roleRef?: { apiGroup: string; kind: string; name: string };
  subjects?: Array<{ kind: string; name: string; namespace?: string; apiGroup?: string }>;
}

function load(file: string): Manifest[] {
  const documents = parseAllDocuments(readFileSync(join(RBAC_DIR, file), 'utf8'));
  return documents.map((document) => {
    assert.deepEqual(document.errors, [], `${file}: YAML errors`);
    return document.toJS() as Manifest;
  });
}

function role(manifests: Manifest[], name: string): Manifest {
  const found = manifests.find((m) => m.kind === 'ClusterRole' && m.metadata.name === name);
  assert.ok(found, `ClusterRole ${name} missing`);
  return found;
}

/** Every (apiGroup, resource, verb) a role grants. */
function grants(manifest: Manifest): Set<string> {
  const all = new Set<string>();
  for (const rule of manifest.rules ?? [])
    for (const group of rule.apiGroups)
      for (const resource of rule.resources)
        for (const verb of rule.verbs) all.add(`${group}|${resource}|${verb}`);
  return all;
}

const WORKLOADS = [
  'apps|deployments',
  'apps|statefulsets',
  'apps|daemonsets',
  'batch|jobs',
  'batch|cronjobs',
  'argoproj.io|rollouts',
];

test('deploy/rbac holds exactly read-only.yaml and apply.yaml', () => {
  assert.deepEqual(readdirSync(RBAC_DIR).sort(), ['apply.yaml', 'read-only.yaml']);
});

for (const file of ['read-only.yaml', 'apply.yaml']) {
  test(`${file}: RBAC v1 objects, well-formed rules and bindings to the role beside them`, () => {
    const manifests = load(file);
    const roles = manifests.filter((m) => m.kind === 'ClusterRole');
    assert.equal(roles.length, 1, 'one ClusterRole per file');
    for (const m of manifests) {
      assert.equal(m.apiVersion, API_VERSION, `${m.kind} ${m.metadata.name}`);
      assert.ok(['ClusterRole', 'ClusterRoleBinding', 'RoleBinding'].includes(m.kind), m.kind);
      assert.match(m.metadata.name, /^krr-mcp-/);
    }
    for (const rule of roles[0]!.rules ?? []) {
      assert.ok(rule.apiGroups.length > 0 && rule.resources.length > 0 && rule.verbs.length > 0);
      for (const list of [rule.apiGroups, rule.resources, rule.verbs])
        assert.ok(!list.includes('*'), `no wildcards: ${JSON.stringify(rule)}`);
    }
    const bindings = manifests.filter((m) => m.kind.endsWith('Binding'));
    assert.ok(bindings.length > 0, 'an example binding');
    for (const binding of bindings) {
      assert.deepEqual(binding.roleRef, {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: roles[0]!.metadata.name,
      });
      assert.ok((binding.subjects ?? []).length > 0, 'at least one subject');
      for (const subject of binding.subjects ?? []) {
        assert.ok(['ServiceAccount', 'User', 'Group'].includes(subject.kind));
        if (subject.kind === 'ServiceAccount')
          assert.ok(subject.namespace, 'a ServiceAccount has a namespace');
        else assert.equal(subject.apiGroup, 'rbac.authorization.k8s.io');
      }
    }
  });
}

test('read-only: reads only, plus the service proxy Prometheus queries go through', () => {
  const manifests = load('read-only.yaml');
  const granted = grants(role(manifests, 'krr-mcp-read-only'));
  for (const grant of granted) {
    const [, resource, verb] = grant.split('|');
    if (resource === 'services/proxy') assert.ok(['get', 'create'].includes(verb!), grant);
    else assert.ok(['get', 'list'].includes(verb!), `read-only grants ${grant}`);
  }
  for (const workload of WORKLOADS) assert.ok(granted.has(`${workload}|list`), `${workload} list`);
  for (const needed of [
    'autoscaling|horizontalpodautoscalers|list',
    '|pods|list',
    '|namespaces|list',
    '|services|list',
    '|services/proxy|create',
  ])
    assert.ok(granted.has(needed), needed);
  // No secrets, no watches: the scan uses neither.
  assert.ok(![...granted].some((g) => g.includes('|secrets|') || g.endsWith('|watch')));
  assert.equal(manifests.find((m) => m.kind === 'ClusterRoleBinding')?.metadata.name, 'krr-mcp-read-only');
});

test('apply: get and patch on the six workload kinds, nothing else, bound per namespace', () => {
  const manifests = load('apply.yaml');
  const granted = grants(role(manifests, 'krr-mcp-apply'));
  const expected = WORKLOADS.flatMap((w) => [`${w}|get`, `${w}|patch`]);
  assert.deepEqual([...granted].sort(), expected.sort());
  const bindings = manifests.filter((m) => m.kind.endsWith('Binding'));
  for (const binding of bindings) {
    assert.equal(binding.kind, 'RoleBinding', 'changes are granted per namespace, not cluster-wide');
    assert.ok(binding.metadata.namespace);
  }
});
