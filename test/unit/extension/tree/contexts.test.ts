import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import { double, TreeItemCollapsibleState } from '../../../support/vscode-double/vscode.js';
import { RecommendationsProvider } from '../../../../src/extension/tree/recommendations-provider.js';
import type { ContextRecommendations } from '../../../../src/extension/tree/recommendation-source.js';
import { aRecommendation, CONTEXT, FakeSource } from './builders.js';
import { ids, labelOf } from './tree-walk.js';

// One root per kubeconfig context: the editor's first and open, the others scanned when expanded, a running
// first scan's rows shown as they arrive, and a failed scan that waits for a click instead of looping.

beforeEach(() => double.reset());

const never = (context: string): ContextRecommendations => ({
  context,
  current: false,
  state: 'empty',
  attempted: false,
  snapshot: undefined,
});

function fleet(): FakeSource {
  const source = new FakeSource([aRecommendation({ namespace: 'shop' })]);
  source.others = [
    never('dev'),
    {
      context: 'staging',
      current: false,
      state: 'error',
      attempted: true,
      snapshot: undefined,
      problem: 'Unauthorized (401) from https://staging:6443',
    },
  ];
  return source;
}

const descriptionOf = (provider: RecommendationsProvider, node: Parameters<typeof provider.getTreeItem>[0]) =>
  String(provider.getTreeItem(node).description);

test('every context is a root, the editor’s first and open, the others closed with what they are', () => {
  const provider = new RecommendationsProvider(fleet());
  const roots = provider.getChildren();
  assert.deepEqual(ids(roots), [CONTEXT, 'dev', 'staging']);
  const [prod, dev, staging] = roots.map((r) => provider.getTreeItem(r));
  assert.equal(prod!.collapsibleState, TreeItemCollapsibleState.Expanded);
  assert.equal(prod!.description, 'current · 1 workload · 1 WARNING');
  assert.equal(dev!.collapsibleState, TreeItemCollapsibleState.Collapsed);
  assert.equal(dev!.description, 'not scanned: expand to scan');
  assert.equal(staging!.description, 'scan failed');
  for (const root of [prod, dev, staging]) assert.equal(root!.contextValue, 'krrMcp.context');
});

test('with one context the root reads as before (no "current")', () => {
  const provider = new RecommendationsProvider(new FakeSource([aRecommendation()]));
  const [root] = provider.getChildren();
  assert.equal(descriptionOf(provider, root!), '1 workload · 1 WARNING');
});

test('no results in any context: no roots, so the welcome content shows', () => {
  const source = new FakeSource();
  source.others = [never('dev')];
  assert.deepEqual(new RecommendationsProvider(source).getChildren(), []);
});

test('expanding a context never scanned scans it, once', () => {
  const source = fleet();
  const provider = new RecommendationsProvider(source);
  const dev = provider.getChildren().find((r) => r.id === 'dev')!;
  const children = provider.getChildren(dev);
  assert.deepEqual(source.scanned, ['dev']);
  assert.deepEqual(
    children.map((c) => labelOf(provider, c)),
    ['Scanning…'],
  );
  // VS Code keeps the row open across refreshes; once the scan started, the row no longer starts one.
  source.others = [{ ...never('dev'), state: 'scanning', attempted: true }, source.others[1]!];
  const again = provider.getChildren().find((r) => r.id === 'dev')!;
  assert.equal(descriptionOf(provider, again), 'scanning…');
  provider.getChildren(again);
  assert.deepEqual(source.scanned, ['dev']);
});

test('a failed context shows why and a "Scan again" row, and does not scan by itself', () => {
  const source = fleet();
  const provider = new RecommendationsProvider(source);
  const staging = provider.getChildren().find((r) => r.id === 'staging')!;
  const [problem, retry] = provider.getChildren(staging);
  assert.equal(labelOf(provider, problem!), 'Unauthorized (401) from https://staging:6443');
  assert.equal(labelOf(provider, retry!), 'Scan again');
  assert.deepEqual(provider.getTreeItem(retry!).command?.arguments, ['staging']);
  assert.equal(provider.getTreeItem(retry!).command?.command, 'krrMcp.scanContext');
  assert.deepEqual(source.scanned, []);
});

test('a first scan’s rows show while it runs, with how far it is, and a last row saying more is coming', () => {
  const source = fleet();
  source.others = [
    {
      context: 'dev',
      current: false,
      state: 'scanning',
      attempted: true,
      snapshot: {
        context: 'dev',
        server: 'https://dev:6443',
        scannedAt: new Date(),
        items: [aRecommendation({ context: 'dev', namespace: 'alpha', name: 'api' })],
        progress: { phase: 'loading', done: 3, total: 10 },
      },
    },
  ];
  const provider = new RecommendationsProvider(source);
  const dev = provider.getChildren().find((r) => r.id === 'dev')!;
  assert.equal(descriptionOf(provider, dev), 'scanning: loading 3/10 · 1 workload · 1 WARNING');
  const children = provider.getChildren(dev);
  assert.deepEqual(
    children.map((c) => labelOf(provider, c)),
    ['alpha', 'scanning: loading 3/10'],
  );
  assert.deepEqual(ids(provider.getChildren(children[0])), ['dev/alpha/Deployment/api']);
});

test('the context of a row is its root, also for contexts named like paths', () => {
  const source = fleet();
  const arn = 'arn:aws:eks:eu-west-1:123:cluster/prod';
  source.others = [
    {
      context: arn,
      current: false,
      state: 'ready',
      attempted: true,
      snapshot: {
        context: arn,
        server: 'https://eks:443',
        scannedAt: new Date(),
        items: [aRecommendation({ context: arn })],
      },
    },
  ];
  const provider = new RecommendationsProvider(source);
  const root = provider.getChildren().find((r) => r.id === arn)!;
  const [namespace] = provider.getChildren(root);
  const [workload] = provider.getChildren(namespace);
  assert.equal(workload!.context, arn);
});
