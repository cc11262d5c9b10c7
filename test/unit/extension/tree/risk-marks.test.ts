import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import { double, type MarkdownString } from '../../../support/vscode-double/vscode.js';
import type { TreeNode } from '../../../../src/extension/tree/nodes/tree-node.js';
import { RecommendationsProvider } from '../../../../src/extension/tree/recommendations-provider.js';
import { aRecommendation, FakeSource } from './builders.js';
import { walk } from './tree-walk.js';

// A container already in trouble (OOM kills, throttling, restarts, HPA at max) is marked in its description
// and its workload's, and its tooltip says why; the reasons come from Prometheus and stay text.

beforeEach(() => double.reset());

const signals = (at_risk: boolean, reasons: string[]) => ({
  at_risk,
  reasons,
  oom_killed: false,
  throttled_max: 0.6,
  restarts: 0,
  hpa_at_max: false,
});

function tree(...items: ReturnType<typeof aRecommendation>[]) {
  const provider = new RecommendationsProvider(new FakeSource(items));
  const nodes = walk(provider);
  const node = (id: string) => nodes.find((n: TreeNode) => n.id === id)!;
  return {
    description: (id: string) => provider.getTreeItem(node(id)).description,
    tooltip: (id: string) =>
      (
        provider.resolveTreeItem(provider.getTreeItem(node(id)), node(id))
          .tooltip as unknown as MarkdownString
      ).value,
  };
}

test('an at-risk container and its workload are marked; a calm one is not', () => {
  const t = tree(
    aRecommendation({
      container: 'app',
      risk_signals: signals(true, ['CPU throttled in up to 60% of its CFS periods']),
    }),
    aRecommendation({ container: 'sidecar', risk_signals: signals(false, []) }),
    aRecommendation({ name: 'web', container: 'app' }),
  );
  assert.equal(t.description('prod/shop/Deployment/api/app'), '⚠ at risk · cpu 500m→250m · mem 1Gi→600Mi');
  assert.equal(t.description('prod/shop/Deployment/api/sidecar'), 'cpu 500m→250m · mem 1Gi→600Mi');
  assert.match(String(t.description('prod/shop/Deployment/api')), /^⚠ at risk · Deployment · 2 containers/);
  assert.doesNotMatch(String(t.description('prod/shop/Deployment/web')), /at risk/);
});

test('tooltips list the reasons, per container on the workload, as text', () => {
  const t = tree(
    aRecommendation({
      container: 'app',
      risk_signals: signals(true, [
        'restarted 4 times in the last 14 days',
        'OOM-killed once [x](command:evil)',
      ]),
    }),
  );
  const container = t.tooltip('prod/shop/Deployment/api/app');
  assert.match(container, /\*\*⚠ at risk already:\*\*/);
  assert.match(container, /- restarted 4 times in the last 14 days/);
  assert.doesNotMatch(container, /\[x\]\(command:evil\)/, 'Markdown in a reason is escaped');
  const workload = t.tooltip('prod/shop/Deployment/api');
  assert.match(workload, /app: WARNING · ⚠ at risk/);
  assert.match(workload, /- app: restarted 4 times/);
});
