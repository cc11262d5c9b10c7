// Sequential writes through one large buffer: segment files and indexes are written in millions of small pieces
// (a series, a postings list), and a system call for each would cost more than encoding them. Synchronous, so
// that the encoding loops stay free of awaits; the callers give the event loop its turns between series.

import { closeSync, openSync, writeSync } from 'node:fs';

const BUFFER_BYTES = 1 << 22;

export class BufferedFile {
  /** Bytes written so far, buffered or not: the offset the next write lands at. */
  position = 0;
  private readonly fd: number;
  private readonly buffer = new Uint8Array(BUFFER_BYTES);
  private used = 0;
  private closed = false;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'wx');
  }

  write(bytes: Uint8Array, start = 0, end = bytes.length): void {
    const length = end - start;
    if (this.used + length > BUFFER_BYTES) this.flush();
    if (length > BUFFER_BYTES) writeFully(this.fd, bytes, start, end);
    else {
      this.buffer.set(bytes.subarray(start, end), this.used);
      this.used += length;
    }
    this.position += length;
  }

  /** Zero bytes up to the next multiple of `alignment`. */
  pad(alignment: number): void {
    const padding = (alignment - (this.position % alignment)) % alignment;
    if (padding > 0) this.write(new Uint8Array(padding));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.flush();
    } finally {
      closeSync(this.fd);
    }
  }

  private flush(): void {
    writeFully(this.fd, this.buffer, 0, this.used);
    this.used = 0;
  }
}

function writeFully(fd: number, bytes: Uint8Array, start: number, end: number): void {
  for (let at = start; at < end;) at += writeSync(fd, bytes, at, end - at);
}
