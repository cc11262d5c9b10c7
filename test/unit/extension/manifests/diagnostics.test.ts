import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { severityFor } from '../../../../src/extension/manifests/recommendation-diagnostics.js';
import { manifestDiagnosticsOf } from '../../../../src/extension/settings.js';
import {
  DiagnosticSeverity,
  double,
  type DiagnosticCollectionDouble,
} from '../../../support/vscode-double/vscode.js';
import { row, startFeatures, stopFeatures, uri } from './manifest-workspace.js';

const CACHE = {
  namespace: 'shop',
  kind: 'StatefulSet' as const,
  name: 'cache',
  container: 'redis',
  cpu: 0.05,
  memoryMiB: 100,
};

beforeEach(() => double.reset());
afterEach(() => stopFeatures());

function problems(collection: DiagnosticCollectionDouble) {
  const out: Array<{
    path: string;
    line: number;
    from: number;
    to: number;
    severity: string;
    source?: string;
    message: string;
  }> = [];
  collection.forEach((u, diagnostics) => {
    for (const d of diagnostics)
      out.push({
        path: u.path,
        line: d.range.start.line,
        from: d.range.start.character,
        to: d.range.end.character,
        severity: DiagnosticSeverity[d.severity],
        ...(d.source ? { source: d.source } : {}),
        message: d.message,
      });
  });
  return out.sort((a, b) => a.path.localeCompare(b.path) || a.line - b.line);
}

function setLevel(level: unknown) {
  double.configuration.set('krrMcp.manifestDiagnostics', level);
  double.configurationListeners.fire({
    affectsConfiguration: (s: string) => 'krrMcp.manifestDiagnostics'.startsWith(s),
  });
}

test('WARNING and CRITICAL rows found in the workspace are problems at their resources: line', async () => {
  const { diagnostics } = await startFeatures();
  assert.equal(diagnostics.name, 'krr-mcp');
  assert.deepEqual(problems(diagnostics), [
    {
      path: '/ws/helm/payments/values.yaml',
      line: 8,
      from: 0,
      to: 10,
      severity: 'Information',
      source: 'krr-mcp',
      message:
        'krr WARNING for container payments of Deployment payments/payments-prod: requests.cpu 250m → 200m, ' +
        'requests.memory 300Mi → 400Mi, limits.cpu 500m → removed, limits.memory 300Mi → 400Mi',
    },
    {
      path: '/ws/kustomize/base/deployment.yaml',
      line: 18,
      from: 10,
      to: 20,
      severity: 'Information',
      source: 'krr-mcp',
      message:
        'krr WARNING for container app of Deployment staging/staging-web: requests.cpu 500m → 100m, ' +
        'requests.memory 512Mi → 256Mi, limits.cpu 1 → removed, limits.memory 1Gi → 256Mi',
    },
    {
      path: '/ws/kustomize/overlays/prod/web-resources.yaml',
      line: 10,
      from: 10,
      to: 20,
      severity: 'Warning',
      source: 'krr-mcp',
      message:
        'krr CRITICAL for container app of Deployment prod/web: requests.cpu 500m → 300m, ' +
        'requests.memory 1Gi → 768Mi, limits.cpu 1 → removed, limits.memory 2Gi → 768Mi',
    },
    {
      path: '/ws/plain/shop.yaml',
      line: 29,
      from: 10,
      to: 20,
      severity: 'Information',
      source: 'krr-mcp',
      message:
        'krr WARNING for container app of Deployment shop/web: requests.cpu 500m → 120m, ' +
        'requests.memory 512Mi → 300Mi, limits.cpu 1 → removed, limits.memory 1Gi → 300Mi',
    },
    {
      path: '/ws/plain/shop.yaml',
      line: 38,
      from: 10,
      to: 20,
      severity: 'Warning',
      source: 'krr-mcp',
      message:
        'krr CRITICAL for container proxy of Deployment shop/web: requests.cpu 50m → 20m, ' +
        'requests.memory unset → 64Mi, limits.memory unset → 64Mi',
    },
  ]);
  // The OK row (cache) has a lens but no problem; the row that is not in the workspace has neither.
  assert.ok(!problems(diagnostics).some((p) => p.path.endsWith('cache.yaml')));
});

test('a flow-style resources: line is covered to the end of its content', async () => {
  const { diagnostics } = await startFeatures([row({ ...CACHE, severity: 'WARNING' })]);
  const flow = 'resources: { requests: { cpu: 100m, memory: 128Mi }, limits: { memory: 256Mi } }';
  assert.deepEqual(
    problems(diagnostics).map((p) => [p.path, p.line, p.from, p.to]),
    [['/ws/plain/cache.yaml', 18, 10, 10 + flow.length]],
  );
});

test('krrMcp.manifestDiagnostics sets the severity, WARNING one step milder, and off clears them', async () => {
  const { diagnostics } = await startFeatures();
  const severities = () => problems(diagnostics).map((p) => `${p.line}:${p.severity}`);
  const shop = () => diagnostics.get(uri('plain/shop.yaml'))?.map((d) => DiagnosticSeverity[d.severity]);
  setLevel('error');
  assert.deepEqual(shop(), ['Warning', 'Error']);
  setLevel('information');
  assert.deepEqual(shop(), ['Hint', 'Information']);
  setLevel('hint');
  assert.deepEqual(shop(), ['Hint', 'Hint']);
  setLevel('off');
  assert.deepEqual(severities(), []);
  setLevel('warning');
  assert.deepEqual(shop(), ['Information', 'Warning']);
});

test('an invalid level is logged once and the default is used', async () => {
  const { diagnostics } = await startFeatures();
  setLevel('loud');
  setLevel('loud');
  assert.deepEqual(
    diagnostics.get(uri('plain/shop.yaml'))?.map((d) => DiagnosticSeverity[d.severity]),
    ['Information', 'Warning'],
  );
  assert.equal(
    double.logs.filter((l) => l.level === 'warn' && /krrMcp\.manifestDiagnostics/.test(l.message)).length,
    1,
  );
});

test('the severity table, and the setting read with zod', () => {
  assert.equal(severityFor('error', 'CRITICAL'), DiagnosticSeverity.Error);
  assert.equal(severityFor('error', 'WARNING'), DiagnosticSeverity.Warning);
  assert.equal(severityFor('hint', 'WARNING'), DiagnosticSeverity.Hint);
  const reader = (value: unknown) => ({ get: <T>() => value as T });
  assert.deepEqual(manifestDiagnosticsOf(reader(undefined)), { level: 'warning' });
  assert.deepEqual(manifestDiagnosticsOf(reader('off')), { level: 'off' });
  const bad = manifestDiagnosticsOf(reader(3));
  assert.equal(bad.level, 'warning');
  assert.match(bad.error!, /^krrMcp\.manifestDiagnostics: /);
});

test('disposing removes every problem', async () => {
  const { diagnostics, disposables } = await startFeatures();
  assert.ok(problems(diagnostics).length > 0);
  for (const d of disposables) d.dispose();
  assert.equal(diagnostics.disposed, true);
  assert.deepEqual(problems(diagnostics), []);
});
