import type { FileHandle } from 'node:fs/promises';
import { readRange } from './line-reader.js';
import { readLineSuffix } from './line-suffix.js';

/** Below this many bytes, bisecting further costs more than reading the lines. */
const WINDOW = 64 * 1024;
const NEWLINE = 0x0a;

/** The first whole line that starts after `from` and ends before `limit`. */
async function lineAfter(
  handle: FileHandle,
  from: number,
  limit: number,
): Promise<{ start: number; end: number; text: string } | undefined> {
  const buffer = await readRange(handle, from, Math.min(limit, from + WINDOW));
  const first = buffer.indexOf(NEWLINE);
  if (first === -1) return undefined;
  const next = buffer.indexOf(NEWLINE, first + 1);
  if (next === -1) return undefined;
  return {
    start: from + first + 1,
    end: from + next + 1,
    text: buffer.subarray(first + 1, next).toString('utf8'),
  };
}

/**
 * A line-start offset such that every record at or after it has a seq of at least `beforeSeq`, so a
 * cursor page can start reading backwards there instead of at the end of the file. Bisection relies on
 * seq growing down the file, which holds for any log the writer produced; in a reordered (tampered) log
 * a page may miss records, never show wrong ones, since each line's seq is still checked.
 */
export async function offsetBeforeSeq(handle: FileHandle, size: number, beforeSeq: number): Promise<number> {
  let low = 0;
  let high = size;
  while (high - low > WINDOW) {
    const line = await lineAfter(handle, Math.floor((low + high) / 2), high);
    const seq = line && readLineSuffix(line.text)?.seq;
    if (line === undefined || seq === undefined) break;
    if (seq < beforeSeq) low = line.end;
    else high = line.start;
  }
  return high;
}
