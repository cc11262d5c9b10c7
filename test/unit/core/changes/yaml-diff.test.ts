import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diffObjects } from '../../../../src/core/changes/object-diff.js';
import { diffLines, unifiedDiff } from '../../../../src/core/changes/yaml-diff.js';

test('equal texts give no diff', () => {
  assert.equal(unifiedDiff('a\nb\n', 'a\nb\n'), '');
});

test('a change in the middle gets a hunk with three lines of context', () => {
  const old = ['1', '2', '3', '4', '5', '6', '7', '8', '9'].join('\n');
  const next = ['1', '2', '3', '4', 'five', '6', '7', '8', '9'].join('\n');
  assert.equal(
    unifiedDiff(old, next, { oldLabel: 'a', newLabel: 'b' }),
    ['--- a', '+++ b', '@@ -2,7 +2,7 @@', ' 2', ' 3', ' 4', '-5', '+five', ' 6', ' 7', ' 8', ''].join('\n'),
  );
});

test('distant changes get separate hunks; insertions and deletions count lines right', () => {
  const old = Array.from({ length: 20 }, (_, i) => `l${i + 1}`);
  const next = [...old];
  next.splice(1, 1); // delete l2
  next.splice(16, 0, 'new'); // insert before l18
  const diff = unifiedDiff(old.join('\n'), next.join('\n'));
  const headers = diff.split('\n').filter((l) => l.startsWith('@@'));
  assert.deepEqual(headers, ['@@ -1,5 +1,4 @@', '@@ -15,6 +14,7 @@']);
});

test('empty sides follow the GNU convention', () => {
  assert.equal(unifiedDiff('', 'a\n'), '--- live\n+++ dry-run\n@@ -0,0 +1,1 @@\n+a\n');
  assert.equal(unifiedDiff('a\n', ''), '--- live\n+++ dry-run\n@@ -1,1 +0,0 @@\n-a\n');
});

test('the LCS keeps common lines', () => {
  const ops = diffLines(['a', 'b', 'c', 'd'], ['a', 'c', 'b', 'd']);
  assert.equal(ops.filter((o) => o.type === ' ').length, 3);
});

test('object diffs leave out managedFields, resourceVersion, generation and status', () => {
  const live = {
    metadata: {
      name: 'web',
      resourceVersion: '5',
      generation: 1,
      managedFields: [{ manager: 'x' }],
      creationTimestamp: 't',
    },
    spec: { cpu: '500m' },
    status: { replicas: 2 },
  };
  const after = {
    metadata: {
      name: 'web',
      resourceVersion: '5',
      generation: 2,
      managedFields: [{ manager: 'y' }],
      creationTimestamp: 't',
    },
    spec: { cpu: '300m' },
    status: { replicas: 2 },
  };
  const diff = diffObjects(live, after, 'Deployment shop/web');
  assert.deepEqual(
    diff.split('\n').filter((l) => /^[-+][^-+]/.test(l)),
    ['-  cpu: 500m', '+  cpu: 300m'],
  );
  assert.ok(diff.includes('creationTimestamp'));
  assert.ok(!/managedFields|resourceVersion|generation|status/.test(diff));
});
