// A small line differ (longest common subsequence) producing unified diffs, so that the approval panel
// shows exactly what the API server's dry-run would change without pulling in a diff package.

export type DiffOp = { type: ' ' | '-' | '+'; line: string };

/** Largest table filled; beyond it the middle is shown as a whole replacement (still correct, less tight). */
const MAX_CELLS = 4_000_000;

export function diffLines(oldLines: readonly string[], newLines: readonly string[]): DiffOp[] {
  let start = 0;
  while (start < oldLines.length && start < newLines.length && oldLines[start] === newLines[start]) start++;
  let endOld = oldLines.length;
  let endNew = newLines.length;
  while (endOld > start && endNew > start && oldLines[endOld - 1] === newLines[endNew - 1]) {
    endOld--;
    endNew--;
  }
  const a = oldLines.slice(start, endOld);
  const b = newLines.slice(start, endNew);
  const ops: DiffOp[] = oldLines.slice(0, start).map((line) => ({ type: ' ', line }));
  if (a.length * b.length > MAX_CELLS) {
    ops.push(...a.map((line) => ({ type: '-' as const, line })));
    ops.push(...b.map((line) => ({ type: '+' as const, line })));
  } else {
    ops.push(...lcsOps(a, b));
  }
  ops.push(...oldLines.slice(endOld).map((line) => ({ type: ' ' as const, line })));
  return ops;
}

function lcsOps(a: readonly string[], b: readonly string[]): DiffOp[] {
  const n = a.length;
  const m = b.length;
  // lengths[i][j] = LCS length of a[i..] and b[j..], in one flat array.
  const lengths = new Uint32Array((n + 1) * (m + 1));
  const at = (i: number, j: number) => i * (m + 1) + j;
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lengths[at(i, j)] =
        a[i] === b[j]
          ? lengths[at(i + 1, j + 1)]! + 1
          : Math.max(lengths[at(i + 1, j)]!, lengths[at(i, j + 1)]!);
    }
  }
  const ops: DiffOp[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      ops.push({ type: ' ', line: a[i]! });
      i++;
      j++;
    } else if (lengths[at(i + 1, j)]! >= lengths[at(i, j + 1)]!) {
      ops.push({ type: '-', line: a[i]! });
      i++;
    } else {
      ops.push({ type: '+', line: b[j]! });
      j++;
    }
  }
  while (i < n) ops.push({ type: '-', line: a[i++]! });
  while (j < m) ops.push({ type: '+', line: b[j++]! });
  return ops;
}

export interface UnifiedDiffOptions {
  oldLabel?: string;
  newLabel?: string;
  /** Unchanged lines shown around each change. */
  context?: number;
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** How hunks are printed: their header from the two sides' start and count, and each line. */
export interface HunkFormat {
  header(oldStart: number, oldCount: number, newStart: number, newCount: number): string;
  line(op: DiffOp): string;
}

/**
 * The hunks of a diff as lines (each `@@` header, then its lines), changes whose context windows touch
 * joined into one hunk; empty when nothing changed.
 */
export function unifiedHunks(ops: readonly DiffOp[], context: number, format: HunkFormat): string[] {
  const changed = ops.map((op, k) => (op.type !== ' ' ? k : -1)).filter((k) => k >= 0);
  const ranges: Array<[number, number]> = [];
  for (const k of changed) {
    const from = Math.max(0, k - context);
    const to = Math.min(ops.length - 1, k + context);
    const last = ranges.at(-1);
    if (last && from <= last[1] + 1) last[1] = Math.max(last[1], to);
    else ranges.push([from, to]);
  }
  // Line numbers (1-based) in the old and new text before each op.
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
  const out: string[] = [];
  for (const [from, to] of ranges) {
    const slice = ops.slice(from, to + 1);
    const oldCount = slice.filter((op) => op.type !== '+').length;
    const newCount = slice.filter((op) => op.type !== '-').length;
    // GNU diff convention: an empty side names the line before it.
    const oldStart = oldCount === 0 ? oldBefore[from]! : oldBefore[from]! + 1;
    const newStart = newCount === 0 ? newBefore[from]! : newBefore[from]! + 1;
    out.push(format.header(oldStart, oldCount, newStart, newCount));
    for (const op of slice) out.push(format.line(op));
  }
  return out;
}

/** A unified diff ("---", "+++", "@@ -a,b +c,d @@" hunks); empty string when the texts are equal. */
export function unifiedDiff(oldText: string, newText: string, options: UnifiedDiffOptions = {}): string {
  const ops = diffLines(splitLines(oldText), splitLines(newText));
  const hunks = unifiedHunks(ops, options.context ?? 3, {
    header: (oldStart, oldCount, newStart, newCount) =>
      `@@ -${oldStart},${oldCount} +${newStart},${newCount} @@`,
    line: (op) => `${op.type}${op.line}`,
  });
  if (hunks.length === 0) return '';
  return `${[`--- ${options.oldLabel ?? 'live'}`, `+++ ${options.newLabel ?? 'dry-run'}`, ...hunks].join('\n')}\n`;
}
