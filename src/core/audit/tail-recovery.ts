import type { FileHandle } from 'node:fs/promises';
import { writeFileDurably } from '../durable-file.js';
import { AuditLogError } from './errors.js';
import { readLinesBackward, readRange, type FileLine } from './line-reader.js';

/** Where the next record chains from. */
export interface ChainHead {
  seq: number;
  hash: string;
}

/** What open() found and moved aside: the bytes of an append a crash interrupted. */
export interface TornTailRecovery {
  tornBytes: number;
  /** Byte offset where the torn line started; the log was truncated to this length. */
  at: number;
  /** The file that now holds the torn bytes, for a person to look at. */
  movedTo: string;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The torn-line rule, shared with verify: a crash leaves a last line without "\n", or one that is not JSON. */
export function isTornLastLine(last: FileLine): boolean {
  return !last.terminated || parseJson(last.text) === undefined;
}

function headOf(line: FileLine, path: string): ChainHead {
  const record = parseJson(line.text) as { seq?: unknown; hash?: unknown } | undefined;
  if (
    typeof record?.seq === 'number' &&
    Number.isInteger(record.seq) &&
    typeof record.hash === 'string' &&
    /^[0-9a-f]{64}$/.test(record.hash)
  ) {
    return { seq: record.seq, hash: record.hash };
  }
  // Not a crash artefact (those only ever affect the very last line): someone changed the file.
  // Appending after it would hide that, so refuse and send a person to `audit verify`.
  throw new AuditLogError(
    `the last record of ${path} (byte ${line.offset}) is not a valid audit record; run \`krr-mcp audit verify --file ${path}\``,
  );
}

function tornFileName(path: string, now: Date): string {
  return `${path}.torn-${now.toISOString().replace(/[:.]/g, '-')}`;
}

/**
 * Finds the record the next append chains from. A torn last line is copied (durably) to
 * `<path>.torn-<time>` and only then truncated away, so a crash during recovery loses nothing and
 * the records before it are never rewritten.
 */
export async function recoverTail(
  handle: FileHandle,
  path: string,
  now: Date,
): Promise<{ head: ChainHead | undefined; recovered: TornTailRecovery | undefined; size: number }> {
  const size = (await handle.stat()).size;
  const lines = readLinesBackward(handle, size);
  try {
    const last = (await lines.next()).value as FileLine | undefined;
    if (!last) return { head: undefined, recovered: undefined, size };
    if (!isTornLastLine(last)) return { head: headOf(last, path), recovered: undefined, size };

    // Decide on the line before first: if that one is bad too, refuse without changing anything.
    const before = (await lines.next()).value as FileLine | undefined;
    const head = before ? headOf(before, path) : undefined;
    const movedTo = tornFileName(path, now);
    await writeFileDurably(movedTo, await readRange(handle, last.offset, size), 0o600);
    await handle.truncate(last.offset);
    await handle.sync();
    return {
      head,
      recovered: { tornBytes: size - last.offset, at: last.offset, movedTo },
      size: last.offset,
    };
  } finally {
    await lines.return(undefined);
  }
}
