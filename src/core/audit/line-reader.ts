import type { FileHandle } from 'node:fs/promises';

/** One line of a file, without its newline. `terminated` is false only for a last line that has no "\n". */
export interface FileLine {
  text: string;
  /** Byte offset of the line's first byte. */
  offset: number;
  /** Bytes in the line, newline excluded. */
  bytes: number;
  terminated: boolean;
}

const CHUNK = 64 * 1024;
const NEWLINE = 0x0a;

function line(buffer: Buffer, offset: number, terminated: boolean): FileLine {
  return { text: buffer.toString('utf8'), offset, bytes: buffer.length, terminated };
}

export async function readRange(handle: FileHandle, start: number, end: number): Promise<Buffer> {
  const buffer = Buffer.alloc(end - start);
  let filled = 0;
  while (filled < buffer.length) {
    const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, start + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return buffer.subarray(0, filled);
}

/** Lines from the first to the last, read in chunks so that a large log is never held whole. */
export async function* readLinesForward(handle: FileHandle, size: number): AsyncGenerator<FileLine> {
  let carry = Buffer.alloc(0);
  let carryOffset = 0;
  for (let position = 0; position < size;) {
    const chunk = await readRange(handle, position, Math.min(size, position + CHUNK));
    if (chunk.length === 0) break;
    position += chunk.length;
    const buffer = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    let start = 0;
    for (let nl = buffer.indexOf(NEWLINE); nl !== -1; nl = buffer.indexOf(NEWLINE, start)) {
      yield line(buffer.subarray(start, nl), carryOffset + start, true);
      start = nl + 1;
    }
    carryOffset += start;
    carry = Buffer.from(buffer.subarray(start));
  }
  if (carry.length > 0) yield line(carry, carryOffset, false);
}

/**
 * Lines of the first `limit` bytes, from the last to the first, so "newest first" queries and tail
 * recovery read only the end of the file. Bytes ending in "\n" have no empty line after them; bytes
 * that do not end in an unterminated line.
 */
export async function* readLinesBackward(handle: FileHandle, limit: number): AsyncGenerator<FileLine> {
  if (limit === 0) return;
  const lastByte = await readRange(handle, limit - 1, limit);
  const endsWithNewline = lastByte[0] === NEWLINE;
  let terminated = endsWithNewline;
  let position = endsWithNewline ? limit - 1 : limit;
  let carry = Buffer.alloc(0); // the end of a line whose start lies in an earlier chunk
  for (;;) {
    const start = Math.max(0, position - CHUNK);
    const chunk = await readRange(handle, start, position);
    const buffer = carry.length > 0 ? Buffer.concat([chunk, carry]) : chunk;
    let end = buffer.length;
    while (end > 0) {
      const nl = buffer.lastIndexOf(NEWLINE, end - 1);
      if (nl === -1) break;
      yield line(buffer.subarray(nl + 1, end), start + nl + 1, terminated);
      terminated = true;
      end = nl;
    }
    carry = Buffer.from(buffer.subarray(0, end));
    if (start === 0) {
      yield line(carry, 0, terminated);
      return;
    }
    position = start;
  }
}
