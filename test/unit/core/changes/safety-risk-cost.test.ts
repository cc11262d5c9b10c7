import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_PRICES, HOURS_PER_MONTH, monthlyCostDelta } from '../../../../src/core/changes/cost.js';
import { assessWorkloadRisk, levelOf, type WorkloadRiskInput } from '../../../../src/core/changes/risk.js';
import {
  DEFAULT_SAFETY_RULES,
  parseSafetyRules,
  SafetyRulesError,
} from '../../../../src/core/changes/safety-rules.js';
import { changedFields } from '../../../../src/core/changes/container-resources.js';
import { gitOpsOwner } from '../../../../src/core/changes/gitops.js';

test('safety rules default, and are read from the environment', () => {
  assert.deepEqual(parseSafetyRules({}), DEFAULT_SAFETY_RULES);
  assert.deepEqual(DEFAULT_SAFETY_RULES, {
    maxChangePercent: 500,
    criticalWorkloadPatterns: ['postgres', 'mysql', 'redis', 'controller', 'operator'],
    productionNamespacePatterns: ['prod', 'production', 'live'],
    blockLiveChangesToManagedWorkloads: false,
    requireUsageEvidence: false,
  });
  assert.equal(parseSafetyRules({ REQUIRE_USAGE_EVIDENCE: '1' }).requireUsageEvidence, true);
  assert.equal(
    parseSafetyRules({ BLOCK_MANAGED_LIVE_CHANGES: 'true' }).blockLiveChangesToManagedWorkloads,
    true,
  );
  assert.throws(
    () => parseSafetyRules({ BLOCK_MANAGED_LIVE_CHANGES: 'maybe' }),
    /BLOCK_MANAGED_LIVE_CHANGES/,
  );
  assert.deepEqual(
    parseSafetyRules({
      MAX_RESOURCE_CHANGE_PERCENT: '200',
      CRITICAL_WORKLOAD_PATTERNS: 'kafka, ^etcd-',
      PRODUCTION_NAMESPACE_PATTERNS: '',
    }),
    {
      maxChangePercent: 200,
      criticalWorkloadPatterns: ['kafka', '^etcd-'],
      productionNamespacePatterns: ['prod', 'production', 'live'],
      blockLiveChangesToManagedWorkloads: false,
      requireUsageEvidence: false,
    },
  );
});

test('invalid safety settings fail fast with a clear message', () => {
  for (const bad of ['abc', '-5', '0', '1e3']) {
    assert.throws(
      () => parseSafetyRules({ MAX_RESOURCE_CHANGE_PERCENT: bad }),
      (e: Error) =>
        e instanceof SafetyRulesError &&
        e.message.includes('MAX_RESOURCE_CHANGE_PERCENT') &&
        e.message.includes(bad),
    );
  }
  assert.throws(
    () => parseSafetyRules({ CRITICAL_WORKLOAD_PATTERNS: 'ok,(unclosed' }),
    /CRITICAL_WORKLOAD_PATTERNS .*"\(unclosed"/,
  );
  assert.throws(
    () => parseSafetyRules({ PRODUCTION_NAMESPACE_PATTERNS: ' , ' }),
    /PRODUCTION_NAMESPACE_PATTERNS lists no pattern/,
  );
});

function input(over: Partial<WorkloadRiskInput> & { from?: string; to?: string } = {}): WorkloadRiskInput {
  const current = { requests: { cpu: over.from ?? '500m' }, limits: {} };
  const desired = { requests: { cpu: over.to ?? '400m' }, limits: {} };
  return {
    target: { kind: 'Deployment', namespace: 'shop', name: 'web' },
    pods: 2,
    restartRequired: true,
    hpa: null,
    containers: [{ container: 'app', current, desired, changes: changedFields(current, desired) }],
    ...over,
  };
}

test('risk levels and reasons', () => {
  assert.deepEqual(assessWorkloadRisk(input(), DEFAULT_SAFETY_RULES), {
    level: 'LOW',
    reasons: [],
    blocks: [],
  });
  const single = assessWorkloadRisk(input({ pods: 1 }), DEFAULT_SAFETY_RULES);
  assert.equal(single.level, 'MEDIUM');
  assert.equal(single.reasons[0]?.text, 'single replica: the only pod restarts: brief downtime');
  assert.equal(
    assessWorkloadRisk(input({ pods: 1, restartRequired: false }), DEFAULT_SAFETY_RULES).level,
    'LOW',
  );
  assert.equal(assessWorkloadRisk(input({ to: '200m' }), DEFAULT_SAFETY_RULES).level, 'MEDIUM');
  assert.equal(assessWorkloadRisk(input({ to: '250m' }), DEFAULT_SAFETY_RULES).level, 'LOW'); // exactly 50%
  const critical = assessWorkloadRisk(
    input({ target: { kind: 'StatefulSet', namespace: 'db', name: 'mysql-0' } }),
    DEFAULT_SAFETY_RULES,
  );
  assert.equal(critical.level, 'HIGH');
  const both = assessWorkloadRisk(
    input({ target: { kind: 'Deployment', namespace: 'live-eu', name: 'cert-controller' } }),
    DEFAULT_SAFETY_RULES,
  );
  assert.equal(both.level, 'CRITICAL');
  assert.deepEqual(
    both.reasons.map((r) => r.level),
    ['HIGH', 'HIGH', 'CRITICAL'],
  );
  assert.equal(
    levelOf([
      { level: 'HIGH', text: 'a' },
      { level: 'HIGH', text: 'b' },
    ]),
    'CRITICAL',
  );
  assert.equal(
    levelOf([
      { level: 'HIGH', text: 'a' },
      { level: 'MEDIUM', text: 'b' },
    ]),
    'HIGH',
  );
});

test('hard blocks: change beyond the limit, below observed usage, limit below request', () => {
  assert.match(
    assessWorkloadRisk(input({ to: '3100m' }), DEFAULT_SAFETY_RULES).blocks[0]!,
    /520% change, above the 500% limit/,
  );
  assert.deepEqual(assessWorkloadRisk(input({ to: '3' }), DEFAULT_SAFETY_RULES).blocks, []); // exactly 500%
  const current = { requests: { memory: '512Mi', cpu: '500m' }, limits: { memory: '512Mi', cpu: '1' } };
  const desired = { requests: { memory: '200Mi', cpu: '500m' }, limits: { memory: '200Mi', cpu: '100m' } };
  const blocks = assessWorkloadRisk(
    {
      ...input(),
      containers: [
        {
          container: 'app',
          current,
          desired,
          changes: changedFields(current, desired),
          observed: { memoryPeakBytes: 300 * 1024 ** 2, cpuP95Cores: 0.25 },
        },
      ],
    },
    DEFAULT_SAFETY_RULES,
  ).blocks;
  assert.equal(blocks.filter((b) => b.includes('below the observed peak of 300Mi')).length, 2);
  assert.ok(blocks.some((b) => b.includes('CPU limit 100m is below the observed p95 usage of 250m')));
  assert.ok(blocks.some((b) => b.includes('cpu limit 100m is below the cpu request 500m')));

  // A rollback restoring the same values: told, with the reason, but never blocked (it is the way back).
  const restoring = assessWorkloadRisk(
    {
      ...input(),
      containers: [
        {
          container: 'app',
          restoring: true,
          current,
          desired: { ...desired, limits: { memory: '200Mi', cpu: '600m' } },
          changes: changedFields(current, { ...desired, limits: { memory: '200Mi', cpu: '600m' } }),
          observed: { memoryPeakBytes: 300 * 1024 ** 2, cpuP95Cores: 0.25 },
        },
      ],
    },
    DEFAULT_SAFETY_RULES,
  );
  assert.deepEqual(restoring.blocks, []);
  assert.ok(
    restoring.reasons.some(
      (r) =>
        r.level === 'HIGH' &&
        r.text.includes('memory limit 200Mi is below the observed peak of 300Mi') &&
        r.text.includes('as it was before the change this rolls back'),
    ),
  );
});

test('monthly cost delta arithmetic and the documented default prices', () => {
  assert.deepEqual(DEFAULT_PRICES, { cpuCoreHour: 0.031611, memoryGiBHour: 0.004237 });
  assert.equal(HOURS_PER_MONTH, 730);
  const delta = monthlyCostDelta(
    [
      { cpuCores: 0.5, memoryBytes: 2 * 1024 ** 3 },
      { cpuCores: -0.25, memoryBytes: 0 },
    ],
    3,
    DEFAULT_PRICES,
  );
  assert.ok(Math.abs(delta - (0.25 * 0.031611 + 2 * 0.004237) * 730 * 3) < 1e-12);
  assert.equal(Object.is(monthlyCostDelta([{ cpuCores: -1, memoryBytes: 0 }], 0, DEFAULT_PRICES), 0), true);
});

test('Argo CD, Flux and Helm are recognised from what they put on the objects they apply', () => {
  assert.deepEqual(gitOpsOwner({ 'argocd.argoproj.io/instance': 'shop-prod' }, {}), {
    tool: 'Argo CD',
    name: 'shop-prod',
  });
  assert.deepEqual(
    gitOpsOwner({}, { 'argocd.argoproj.io/tracking-id': 'shop-prod:apps/Deployment:prod/web' }),
    { tool: 'Argo CD', name: 'shop-prod' },
  );
  assert.deepEqual(
    gitOpsOwner(
      { 'kustomize.toolkit.fluxcd.io/name': 'apps', 'kustomize.toolkit.fluxcd.io/namespace': 'flux-system' },
      {},
    ),
    { tool: 'Flux', name: 'flux-system/apps' },
  );
  // Flux's helm-controller also leaves Helm's marks: Flux is who reverts.
  assert.deepEqual(
    gitOpsOwner(
      { 'helm.toolkit.fluxcd.io/name': 'web', 'app.kubernetes.io/managed-by': 'Helm' },
      { 'meta.helm.sh/release-name': 'web' },
    ),
    { tool: 'Flux', name: 'web' },
  );
  assert.deepEqual(
    gitOpsOwner({ 'app.kubernetes.io/managed-by': 'Helm' }, { 'meta.helm.sh/release-name': 'shop' }),
    {
      tool: 'Helm',
      name: 'shop',
    },
  );
  assert.equal(gitOpsOwner({ app: 'web', 'app.kubernetes.io/managed-by': 'kustomize' }, {}), undefined);
  assert.equal(gitOpsOwner(null, undefined), undefined);
});

test('a managed workload: a risk reason that says the live change will be reverted, a block when the rule asks', () => {
  const argo = input({ managedBy: { tool: 'Argo CD', name: 'shop-prod' } });
  const allowed = assessWorkloadRisk(argo, DEFAULT_SAFETY_RULES);
  assert.ok(
    allowed.reasons.some(
      (r) =>
        r.level === 'HIGH' &&
        r.text ===
          'managed by Argo CD (application shop-prod): a live change will be reverted at the next sync; change the manifests instead',
    ),
    JSON.stringify(allowed.reasons),
  );
  assert.deepEqual(allowed.blocks, []);
  const helm = assessWorkloadRisk(input({ managedBy: { tool: 'Helm', name: 'shop' } }), DEFAULT_SAFETY_RULES);
  assert.ok(
    helm.reasons.some((r) => r.level === 'MEDIUM' && r.text.includes("change the chart's values instead")),
  );
  const blocked = assessWorkloadRisk(argo, {
    ...DEFAULT_SAFETY_RULES,
    blockLiveChangesToManagedWorkloads: true,
  });
  assert.equal(blocked.blocks.length, 1);
  assert.match(
    blocked.blocks[0]!,
    /managed by Argo CD .* blocked by the safety rules: BLOCK_MANAGED_LIVE_CHANGES/,
  );
  // An unmanaged workload is untouched by the rule.
  assert.deepEqual(
    assessWorkloadRisk(input(), { ...DEFAULT_SAFETY_RULES, blockLiveChangesToManagedWorkloads: true }).blocks,
    [],
  );
});
