import { MAX_MESSAGE_BYTES } from './protocol.js';

const NEWLINE = 0x0a;

export class MessageTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`message larger than ${limit} bytes`);
    this.name = 'MessageTooLargeError';
  }
}

/**
 * Splits a byte stream into newline-terminated lines and refuses to buffer more than `maxBytes` of one
 * line, so a peer cannot make us hold an unbounded message in memory.
 */
export class LineDecoder {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(private readonly maxBytes = MAX_MESSAGE_BYTES) {}

  /** The complete lines in this chunk (without their newline); throws MessageTooLargeError. */
  push(chunk: Buffer): string[] {
    const lines: string[] = [];
    let start = 0;
    for (let at = chunk.indexOf(NEWLINE); at !== -1; at = chunk.indexOf(NEWLINE, start)) {
      const piece = chunk.subarray(start, at);
      this.ensureFits(piece.length);
      const line = this.pending.length === 0 ? piece : Buffer.concat([...this.pending, piece]);
      this.pending = [];
      this.pendingBytes = 0;
      lines.push(line.toString('utf8'));
      start = at + 1;
    }
    const rest = chunk.subarray(start);
    if (rest.length > 0) {
      this.ensureFits(rest.length);
      this.pending.push(rest);
      this.pendingBytes += rest.length;
    }
    return lines;
  }

  private ensureFits(more: number): void {
    if (this.pendingBytes + more > this.maxBytes) throw new MessageTooLargeError(this.maxBytes);
  }
}

/** One message as a line; throws MessageTooLargeError rather than send what the peer would refuse. */
export function encodeLine(message: unknown, maxBytes = MAX_MESSAGE_BYTES): string {
  const line = JSON.stringify(message);
  if (Buffer.byteLength(line, 'utf8') > maxBytes) throw new MessageTooLargeError(maxBytes);
  return `${line}\n`;
}

/** Parses one line as JSON; undefined when it is not JSON. */
export function parseLine(line: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(line) as unknown };
  } catch {
    return undefined;
  }
}
