import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import { double } from '../../../support/vscode-double/vscode.js';
import { RecommendationsProvider } from '../../../../src/extension/tree/recommendations-provider.js';
import { SHOW_MORE_COMMAND } from '../../../../src/extension/tree/nodes/show-more-node.js';
import { FakeSource, manyWorkloads } from './builders.js';
import { childLabelled, labelOf } from './tree-walk.js';

beforeEach(() => double.reset());

function bigNamespace(count: number) {
  const provider = new RecommendationsProvider(new FakeSource(manyWorkloads(count)));
  provider.options.sort = 'name';
  const namespace = childLabelled(provider, childLabelled(provider, undefined, 'prod'), 'big');
  return { provider, namespace };
}

test('a parent shows 200 children, then a "Show N more…" row', () => {
  const { provider, namespace } = bigNamespace(250);
  const children = provider.getChildren(namespace);
  assert.equal(children.length, 201);
  assert.equal(labelOf(provider, children[199]!), 'w199');
  const more = children[200]!;
  assert.equal(labelOf(provider, more), 'Show 50 more…');
  assert.equal(more.id, 'prod/big#show-more');
  assert.equal(provider.getParent(more), namespace);
  const command = provider.getTreeItem(more).command;
  assert.deepEqual(command && { command: command.command, arguments: command.arguments }, {
    command: SHOW_MORE_COMMAND,
    arguments: ['prod/big'],
  });
});

test('show more grows that parent to the next page and refreshes only that parent', () => {
  const { provider, namespace } = bigNamespace(250);
  provider.getChildren(namespace);
  const fired: unknown[] = [];
  provider.onDidChangeTreeData((e) => fired.push(e));
  provider.showMore('prod/big');
  assert.deepEqual(fired, [namespace], 'the same object VS Code holds');
  const children = provider.getChildren(namespace);
  assert.equal(children.length, 250);
  assert.ok(children.every((c) => !c.id.includes('#')));
});

test('the grown limit survives a new scan', () => {
  const source = new FakeSource(manyWorkloads(450));
  const provider = new RecommendationsProvider(source);
  provider.showMore('prod/big');
  source.publish(manyWorkloads(450));
  const namespace = childLabelled(provider, childLabelled(provider, undefined, 'prod'), 'big');
  const children = provider.getChildren(namespace);
  assert.equal(children.length, 401);
  assert.equal(labelOf(provider, children[400]!), 'Show 50 more…');
});

test('exactly 200 children need no "Show more" row', () => {
  const { provider, namespace } = bigNamespace(200);
  assert.equal(provider.getChildren(namespace).length, 200);
});
