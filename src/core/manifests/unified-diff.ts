// The unified diff of one file edit, as `git diff` prints it, so that a person can review (or `git apply`)
// exactly what will be written. Only the lines around the edit's text changes are compared, so a small
// change in a large file stays a small, exact diff.

import { diffLines, type DiffOp } from '../changes/yaml-diff.js';
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

/** The diff of one edit, `--- a/<path>` / `+++ b/<path>` (or `/dev/null` for a created file). */
export function unifiedDiff(edit: ManifestEdit, displayPath: string): string {
  const ops = edit.created
    ? linesOf(edit.after).map((line): DiffOp => ({ type: '+', line }))
    : editOps(edit.before, edit.changes);
  const changed = ops.map((op, k) => (op.type === ' ' ? -1 : k)).filter((k) => k >= 0);
  if (changed.length === 0) return '';

  const hunks: Array<[number, number]> = [];
  for (const k of changed) {
    const from = Math.max(0, k - CONTEXT);
    const to = Math.min(ops.length - 1, k + CONTEXT);
    const last = hunks.at(-1);
    if (last && from <= last[1] + 1) last[1] = Math.max(last[1], to);
    else hunks.push([from, to]);
  }
  const oldBefore: number[] = [];
  const newBefore: number[] = [];
  let o = 0;
  let n = 0;
  for (const op of ops) {
    oldBefore.push(o);
    newBefore.push(n);
    if (op.type !== '+') o++;
    if (op.type !== '-') n++;
  }

  const out = [edit.created ? '--- /dev/null' : `--- a/${displayPath}`, `+++ b/${displayPath}`];
  for (const [from, to] of hunks) {
    const slice = ops.slice(from, to + 1);
    const oldCount = slice.filter((op) => op.type !== '+').length;
    const newCount = slice.filter((op) => op.type !== '-').length;
    // An empty side names the line before it (diff's convention).
    const oldStart = oldCount === 0 ? oldBefore[from]! : oldBefore[from]! + 1;
    const newStart = newCount === 0 ? newBefore[from]! : newBefore[from]! + 1;
    out.push(`@@ -${range(oldStart, oldCount)} +${range(newStart, newCount)} @@`);
    for (const op of slice) out.push(printLine(op));
  }
  return `${out.join('\n')}\n`;
}
