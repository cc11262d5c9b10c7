// A growable byte buffer with the integer encodings of Prometheus' tsdb/encoding (Encbuf): big-endian fixed
// widths and Go's varints. Numbers are JavaScript numbers: every value a fixture block holds (timestamps in ms,
// file offsets, chunk references of segment << 32 | offset) stays below 2^53, where they are exact.

const TWO_POW_32 = 0x1_0000_0000;

export class EncodingBuffer {
  bytes: Uint8Array;
  length = 0;

  constructor(initialCapacity = 1 << 16) {
    this.bytes = new Uint8Array(initialCapacity);
  }

  reset(): void {
    this.length = 0;
  }

  /** The encoded bytes (a view: valid until the next write). */
  view(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }

  putByte(value: number): void {
    this.ensure(1);
    this.bytes[this.length++] = value;
  }

  putBE32(value: number): void {
    this.ensure(4);
    const b = this.bytes;
    b[this.length++] = value >>> 24;
    b[this.length++] = value >>> 16;
    b[this.length++] = value >>> 8;
    b[this.length++] = value;
  }

  putBE64(value: number): void {
    checkUnsigned(value);
    this.putBE32(Math.floor(value / TWO_POW_32));
    this.putBE32(value % TWO_POW_32);
  }

  /** Go's binary.PutUvarint: 7 bits a byte, least significant first, high bit set on all but the last. */
  putUvarint(value: number): void {
    checkUnsigned(value);
    this.ensure(10);
    const b = this.bytes;
    let rest = value;
    while (rest >= 0x80_00_00_00) {
      b[this.length++] = (rest % 0x80) | 0x80;
      rest = Math.floor(rest / 0x80);
    }
    while (rest >= 0x80) {
      b[this.length++] = (rest & 0x7f) | 0x80;
      rest >>>= 7;
    }
    b[this.length++] = rest;
  }

  /** Go's binary.PutVarint: zigzag (0, -1, 1, -2 … as 0, 1, 2, 3 …), then a uvarint. */
  putVarint(value: number): void {
    if (!Number.isSafeInteger(value)) throw new RangeError(`not a safe integer: ${value}`);
    this.putUvarint(value >= 0 ? 2 * value : -2 * value - 1);
  }

  /** A string as Prometheus writes symbols and label names: its UTF-8 byte length as a uvarint, then the bytes. */
  putUvarintString(text: string): void {
    const byteLength = Buffer.byteLength(text, 'utf8');
    this.putUvarint(byteLength);
    this.ensure(byteLength);
    Buffer.from(this.bytes.buffer, this.bytes.byteOffset).write(text, this.length, 'utf8');
    this.length += byteLength;
  }

  putBytes(source: Uint8Array, start = 0, end = source.length): void {
    this.ensure(end - start);
    this.bytes.set(source.subarray(start, end), this.length);
    this.length += end - start;
  }

  private ensure(more: number): void {
    if (this.length + more <= this.bytes.length) return;
    let capacity = this.bytes.length * 2;
    while (capacity < this.length + more) capacity *= 2;
    const grown = new Uint8Array(capacity);
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }
}

function checkUnsigned(value: number): void {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new RangeError(`not an unsigned safe integer: ${value}`);
}
