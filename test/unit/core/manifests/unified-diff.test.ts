import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  applyChanges,
  unifiedDiff,
  type ManifestEdit,
  type TextChange,
} from '../../../../src/core/manifests/index.js';
import { normalizeChanges, OverlappingChangesError } from '../../../../src/core/manifests/text-changes.js';

function edit(before: string, changes: TextChange[]): ManifestEdit {
  return { path: 'f.yaml', before, after: applyChanges(before, changes), changes, created: false };
}

/** The change that replaces the first `from` with `to`. */
function replace(text: string, from: string, to: string): TextChange {
  const offset = text.indexOf(from);
  assert.ok(offset >= 0);
  return { offset, length: from.length, text: to };
}

test('a one-line change: three lines of context, counts of 1 left out like diff -u', () => {
  const before = 'a\nb\nc\nd\ne\n';
  assert.equal(
    unifiedDiff(edit(before, [replace(before, 'c', 'C')]), 'f.yaml'),
    '--- a/f.yaml\n+++ b/f.yaml\n@@ -1,5 +1,5 @@\n a\n b\n-c\n+C\n d\n e\n',
  );
  assert.equal(
    unifiedDiff(edit('x\n', [replace('x\n', 'x', 'y')]), 'f.yaml'),
    '--- a/f.yaml\n+++ b/f.yaml\n@@ -1 +1 @@\n-x\n+y\n',
  );
});

test('CRLF line ends stay in the content lines', () => {
  const before = 'a\r\nb\r\nc\r\n';
  assert.equal(
    unifiedDiff(edit(before, [replace(before, 'b', 'B')]), 'f.yaml'),
    '--- a/f.yaml\n+++ b/f.yaml\n@@ -1,3 +1,3 @@\n a\r\n-b\r\n+B\r\n c\r\n',
  );
});

test('a last line without newline is marked, also when lines are added after it', () => {
  const before = 'a\nb';
  assert.equal(
    unifiedDiff(edit(before, [replace(before, 'b', 'c')]), 'f.yaml'),
    '--- a/f.yaml\n+++ b/f.yaml\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n',
  );
  assert.equal(
    unifiedDiff(edit(before, [{ offset: 3, length: 0, text: '\nc' }]), 'f.yaml'),
    '--- a/f.yaml\n+++ b/f.yaml\n@@ -1,2 +1,3 @@\n a\n-b\n\\ No newline at end of file\n+b\n+c\n\\ No newline at end of file\n',
  );
});

test('distant changes get their own hunks, with the line numbers of each side', () => {
  const before = Array.from({ length: 20 }, (_, i) => `l${i + 1}\n`).join('');
  const changes = [replace(before, 'l2\n', ''), replace(before, 'l18\n', 'l18\nnew\n')];
  const diff = unifiedDiff(edit(before, changes), 'f.yaml');
  assert.deepEqual(
    diff.split('\n').filter((line) => line.startsWith('@@')),
    ['@@ -1,5 +1,4 @@', '@@ -16,5 +15,6 @@'],
  );
});

test('a small change in a large file is a small diff (only the changed lines are compared)', () => {
  const before = Array.from({ length: 60_000 }, (_, i) => `  key${i}: value${i}\n`).join('');
  const changes = [replace(before, 'value1\n', 'one\n'), replace(before, 'value59998\n', 'last\n')];
  assert.equal(
    unifiedDiff(edit(before, changes), 'big.yaml'),
    [
      '--- a/big.yaml',
      '+++ b/big.yaml',
      '@@ -1,5 +1,5 @@',
      '   key0: value0',
      '-  key1: value1',
      '+  key1: one',
      '   key2: value2',
      '   key3: value3',
      '   key4: value4',
      '@@ -59996,5 +59996,5 @@',
      '   key59995: value59995',
      '   key59996: value59996',
      '   key59997: value59997',
      '-  key59998: value59998',
      '+  key59998: last',
      '   key59999: value59999',
      '',
    ].join('\n'),
  );
});

test('a created file is diffed against /dev/null; equal texts give no diff', () => {
  const created: ManifestEdit = {
    path: 'n.yaml',
    before: '',
    after: 'a: 1\nb: 2\n',
    changes: [{ offset: 0, length: 0, text: 'a: 1\nb: 2\n' }],
    created: true,
  };
  assert.equal(
    unifiedDiff(created, 'n.yaml'),
    '--- /dev/null\n+++ b/n.yaml\n@@ -0,0 +1,2 @@\n+a: 1\n+b: 2\n',
  );
  assert.equal(unifiedDiff(edit('a\n', []), 'f.yaml'), '');
});

test('changes are sorted, insertions at one offset joined in order, overlaps refused', () => {
  assert.deepEqual(
    normalizeChanges([
      { offset: 5, length: 1, text: 'x' },
      { offset: 2, length: 0, text: 'a' },
      { offset: 2, length: 0, text: 'b' },
      { offset: 2, length: 2, text: 'c' },
    ]),
    [
      { offset: 2, length: 2, text: 'abc' },
      { offset: 5, length: 1, text: 'x' },
    ],
  );
  assert.equal(
    applyChanges('0123456', [
      { offset: 5, length: 1, text: 'x' },
      { offset: 2, length: 0, text: 'a' },
    ]),
    '01a234x6',
  );
  assert.throws(
    () =>
      normalizeChanges([
        { offset: 1, length: 3, text: '' },
        { offset: 2, length: 1, text: 'y' },
      ]),
    OverlappingChangesError,
  );
});
