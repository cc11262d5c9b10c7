// A block's chunks/ directory, as tsdb/chunks/chunks.go writes it: numbered segment files (000001, 000002 …) of
// at most 512 MiB, each starting with the magic 0x85BD40DD, format version 1 and three bytes of padding, then
// chunk records (uvarint data length, encoding byte, data, CRC-32C of encoding and data, big-endian). The index
// refers to a chunk as segment index (0 for 000001) << 32 | the record's offset in its segment.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { BufferedFile } from './buffered-file.js';
import { crc32c } from './crc32c.js';
import type { EncodingBuffer } from './encoding-buffer.js';
import { XOR_ENCODING, type XorChunkEncoder } from './xor-chunk.js';

export const SEGMENT_MAX_BYTES = 512 * 1024 * 1024;
const SEGMENT_HEADER = Uint8Array.of(0x85, 0xbd, 0x40, 0xdd, 1, 0, 0, 0);

/** Appends one chunk record to `out` (a series' records are staged there, then written as one run). */
export function appendChunkRecord(out: EncodingBuffer, chunk: XorChunkEncoder): void {
  out.putUvarint(chunk.length);
  const encodingAt = out.length;
  out.putByte(XOR_ENCODING);
  out.putBytes(chunk.bytes, 0, chunk.length);
  out.putBE32(crc32c(out.bytes, encodingAt, out.length));
}

export class ChunkSegmentWriter {
  /** Index of the segment being written (0: 000001); -1 before the first. */
  segment = -1;
  private file: BufferedFile | undefined;
  private readonly dir: string;

  constructor(
    blockDir: string,
    private readonly maxSegmentBytes = SEGMENT_MAX_BYTES,
  ) {
    this.dir = join(blockDir, 'chunks');
    mkdirSync(this.dir, { recursive: true });
  }

  /**
   * Writes a run of whole chunk records (one series') and returns the run's offset in the current segment.
   * Like Prometheus, a series that does not fit in what is left of a segment starts the next one, so that a
   * series' chunks share one segment; only a series larger than a whole segment would overflow it.
   */
  writeRun(records: Uint8Array, length: number): number {
    const file = this.file;
    if (!file || (file.position + length > this.maxSegmentBytes && file.position > SEGMENT_HEADER.length)) {
      this.cut();
    }
    const current = this.file!;
    const offset = current.position;
    if (offset + length >= 2 ** 32) throw new RangeError('a chunk segment cannot reach 4 GiB');
    current.write(records, 0, length);
    return offset;
  }

  close(): void {
    this.file?.close();
    this.file = undefined;
  }

  private cut(): void {
    this.file?.close();
    this.segment++;
    this.file = new BufferedFile(join(this.dir, String(this.segment + 1).padStart(6, '0')));
    this.file.write(SEGMENT_HEADER);
  }
}
