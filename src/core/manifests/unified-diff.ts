// The unified diff of one file edit, as `git diff` prints it, so that a person can review (or `git apply`)
// exactly what will be written. Only the lines around the edit's text changes are compared, so a small
// change in a large file stays a small, exact diff.

import { diffLines, unifiedHunks, type DiffOp } from '../changes/yaml-diff.js';
import type { ManifestEdit, TextChange } from './model.js';
import { normalizeChanges } from './text-changes.js';
import { lineIndexOf, lineStartsOf } from './yaml-source.js';

const CONTEXT = 3;

/** Lines with their line ends ("a\r\n"), so that a missing last newline is a difference of its own. */
function linesOf(text: string): string[] {
  if (text === '') return [];
  const lines = text.split(/(?<=\n)/);
  return lines;
}

function editOps(before: string, changes: readonly TextChange[]): DiffOp[] {
  const oldLines = linesOf(before);
  const starts = lineStartsOf(before);
  const endOf = (line: number) => starts[line + 1] ?? before.length;
  // Line blocks touched by the changes (a change ending at a line start also touches that line: harmless).
  const blocks: Array<{ first: number; last: number; changes: TextChange[] }> = [];
  for (const change of normalizeChanges(changes)) {
    const first = lineIndexOf(starts, change.offset);
    const last = Math.max(first, lineIndexOf(starts, change.offset + change.length));
    const previous = blocks.at(-1);
    if (previous && first <= previous.last + 1) {
      previous.last = Math.max(previous.last, last);
      previous.changes.push(change);
    } else blocks.push({ first, last, changes: [change] });
  }
  const ops: DiffOp[] = [];
  let line = 0;
  for (const block of blocks) {
    for (; line < block.first && line < oldLines.length; line++)
      ops.push({ type: ' ', line: oldLines[line]! });
    const from = starts[block.first] ?? before.length;
    const to = endOf(Math.min(block.last, Math.max(0, oldLines.length - 1)));
    let segment = '';
    let at = from;
    for (const change of block.changes) {
      segment += before.slice(at, change.offset) + change.text;
      at = change.offset + change.length;
    }
    segment += before.slice(at, Math.max(at, to));
    ops.push(...diffLines(linesOf(before.slice(from, to)), linesOf(segment)));
    line = Math.max(line, block.last + 1);
  }
  for (; line < oldLines.length; line++) ops.push({ type: ' ', line: oldLines[line]! });
  return ops;
}

function range(start: number, count: number): string {
  return count === 1 ? `${start}` : `${start},${count}`;
}

function printLine(op: DiffOp): string {
  const body = op.line.endsWith('\n') ? op.line.slice(0, -1) : `${op.line}\n\\ No newline at end of file`;
  return `${op.type}${body}`;
}

/** The diff of one edit, `--- a/<path>` / `+++ b/<path>` (or `/dev/null` for a created file), as diff -u prints it. */
export function unifiedDiff(edit: ManifestEdit, displayPath: string): string {
  const ops = edit.created
    ? linesOf(edit.after).map((line): DiffOp => ({ type: '+', line }))
    : editOps(edit.before, edit.changes);
  const hunks = unifiedHunks(ops, CONTEXT, {
    header: (oldStart, oldCount, newStart, newCount) =>
      `@@ -${range(oldStart, oldCount)} +${range(newStart, newCount)} @@`,
    line: printLine,
  });
  if (hunks.length === 0) return '';
  const head = [edit.created ? '--- /dev/null' : `--- a/${displayPath}`, `+++ b/${displayPath}`];
  return `${[...head, ...hunks].join('\n')}\n`;
}
