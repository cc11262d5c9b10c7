import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import { double, type MarkdownString } from '../../../support/vscode-double/vscode.js';
import { RecommendationsProvider } from '../../../../src/extension/tree/recommendations-provider.js';
import { aRecommendation, FakeSource } from './builders.js';
import { walk } from './tree-walk.js';

beforeEach(() => double.reset());

function resolvedTooltips(
  ...items: ReturnType<typeof aRecommendation>[]
): Map<string, MarkdownString | undefined> {
  const provider = new RecommendationsProvider(new FakeSource(items));
  return new Map(
    walk(provider).map((node) => {
      const treeItem = provider.resolveTreeItem(provider.getTreeItem(node), node);
      return [node.id, treeItem.tooltip as unknown as MarkdownString | undefined];
    }),
  );
}

test('a container tooltip compares current and recommended values and lists info, warnings, HPA and savings', () => {
  const tooltip = resolvedTooltips(
    aRecommendation({
      info: { cpu: 'Not enough data', memory: null },
      warnings: ['NoPrometheusPods'],
      hpa: true,
      monthly_savings_usd: 12.3,
    }),
  ).get('prod/shop/Deployment/api/app');
  assert.ok(tooltip);
  const text = tooltip.value;
  assert.match(text, /\| \| Current \| Recommended \|/);
  assert.match(text, /\| CPU request \| 500m \| 250m \|/);
  assert.match(text, /\| Memory request \| 1Gi \| 600Mi \|/);
  assert.match(text, /\| CPU limit \| unset \| unset \|/);
  assert.match(text, /CPU: Not enough data/);
  assert.match(text, /NoPrometheusPods/);
  assert.match(text, /HorizontalPodAutoscaler/);
  assert.match(text, /saves \$12\.30\/mo/);
});

test('cluster-provided text stays literal: no HTML, links or command URIs', () => {
  const tooltips = resolvedTooltips(
    aRecommendation({
      name: '<img src=x onerror=alert(1)>',
      container: '[link](command:evil)',
      info: { cpu: '**bold** [x](command:workbench.action.terminal.new)', memory: null },
      warnings: ['<script>alert(1)</script>'],
    }),
  );
  const withTooltips = [...tooltips.values()].filter((t): t is MarkdownString => t !== undefined);
  assert.ok(withTooltips.length >= 3, 'context, workload and container have tooltips');
  for (const tooltip of withTooltips) {
    assert.equal(tooltip.isTrusted, false);
    assert.equal(tooltip.supportHtml, false);
    assert.equal(tooltip.supportThemeIcons, false, 'a name with $(icon) stays text');
    assert.doesNotMatch(tooltip.value, /(?<!\\)<img/);
    assert.doesNotMatch(tooltip.value, /(?<!\\)<script/);
    assert.doesNotMatch(tooltip.value, /(?<!\\)\[link(?<!\\)\]\(command:/);
    assert.doesNotMatch(tooltip.value, /(?<!\\)\]\(command:/);
  }
  const container = [...tooltips.entries()].find(([id]) => id.endsWith('/[link](command:evil)'))?.[1];
  assert.ok(container);
  assert.ok(container.value.includes('\\[link\\]\\(command:evil\\)'));
  assert.ok(container.value.includes('\\<img src=x onerror=alert\\(1\\)\\>'));
});

test('an already resolved tooltip is kept', () => {
  const provider = new RecommendationsProvider(new FakeSource([aRecommendation()]));
  const container = walk(provider).at(-1)!;
  const item = provider.getTreeItem(container);
  item.tooltip = 'kept';
  assert.equal(provider.resolveTreeItem(item, container).tooltip, 'kept');
});
