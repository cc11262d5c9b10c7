// The Gorilla/XOR chunk encoding of Prometheus' tsdb/chunkenc/xor.go, bit for bit: a big-endian sample count, the
// first timestamp as a varint and value as 64 raw bits, the second timestamp as a uvarint delta, then per sample
// a delta-of-delta in buckets of 1, 14, 17, 20 or 64 bits and the value XORed with the previous one, written with
// the previous leading/trailing-zero window when it fits and a new window otherwise.
//
// Called for every sample of a fixture (a billion for the largest), so it allocates nothing: the bits go into a
// preallocated, zeroed byte array, and the 64-bit values are handled as two 32-bit halves (no BigInt).

/** Prometheus' head cuts chunks of about 120 samples; compaction and queries are tuned for that size. */
export const MAX_SAMPLES_PER_CHUNK = 120;
/** XOR in tsdb/chunkenc/chunk.go's Encoding enum. */
export const XOR_ENCODING = 1;

const TWO_POW_32 = 0x1_0000_0000;
/** Two header bytes, then at most 10 + 8 bytes for the first sample and 145 bits for any other. */
const chunkCapacity = (samples: number) => 20 + 19 * samples;

const floatBits = new Float64Array(1);
const floatWords = new Uint32Array(floatBits.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const LOW_WORD = LITTLE_ENDIAN ? 0 : 1;
const HIGH_WORD = 1 - LOW_WORD;

export class XorChunkEncoder {
  /** The chunk so far; `length` bytes of it are the chunk. */
  readonly bytes: Uint8Array;
  numSamples = 0;
  private bitPosition = 16;
  /**
   * Prometheus' bstream always holds one byte more after a whole-byte write that ends on a byte boundary (its
   * writeByte appends the next byte in advance), and that empty byte is part of the chunk it stores. Mirroring
   * it keeps our chunks byte-identical to Prometheus' own.
   */
  private endsWithByteWrite = false;
  private time = 0;
  private timeDelta = 0;
  private valueHigh = 0;
  private valueLow = 0;
  /** The current XOR window; 0xff: none yet (a new chunk). */
  private leading = 0xff;
  private trailing = 0;

  constructor(readonly maxSamples = MAX_SAMPLES_PER_CHUNK) {
    this.bytes = new Uint8Array(chunkCapacity(maxSamples));
  }

  /** The chunk's length in bytes, as Prometheus' bstream.bytes() would have it. */
  get length(): number {
    const whole = (this.bitPosition + 7) >>> 3;
    return (this.bitPosition & 7) === 0 && this.endsWithByteWrite ? whole + 1 : whole;
  }

  /** Starts a new, empty chunk. */
  reset(): void {
    this.bytes.fill(0, 0, this.length);
    this.numSamples = 0;
    this.bitPosition = 16;
    this.endsWithByteWrite = false;
    this.leading = 0xff;
    this.trailing = 0;
  }

  /** Timestamps in ms, strictly increasing. */
  append(time: number, value: number): void {
    if (this.numSamples >= this.maxSamples)
      throw new RangeError(`a chunk holds at most ${this.maxSamples} samples`);
    floatBits[0] = value;
    const high = floatWords[HIGH_WORD]!;
    const low = floatWords[LOW_WORD]!;
    if (this.numSamples === 0) {
      this.writeVarint(time);
      this.bits(high, 32);
      this.bits(low, 32);
      this.endsWithByteWrite = true;
    } else {
      const timeDelta = time - this.time;
      if (!(timeDelta > 0)) throw new RangeError(`timestamps must increase: ${time} after ${this.time}`);
      if (this.numSamples === 1) this.writeUvarint(timeDelta);
      else this.writeDeltaOfDelta(timeDelta - this.timeDelta);
      this.writeValueXor(high ^ this.valueHigh, low ^ this.valueLow);
      this.timeDelta = timeDelta;
    }
    this.time = time;
    this.valueHigh = high;
    this.valueLow = low;
    this.numSamples++;
    this.bytes[0] = this.numSamples >>> 8;
    this.bytes[1] = this.numSamples & 0xff;
  }

  private writeDeltaOfDelta(dod: number): void {
    if (dod === 0) return this.bit(0);
    if (dod >= -8191 && dod <= 8192) return this.op(0b10, 2, dod & 0x3fff, 14);
    if (dod >= -65535 && dod <= 65536) return this.op(0b110, 3, dod & 0x1ffff, 17);
    if (dod >= -524287 && dod <= 524288) return this.op(0b1110, 4, dod & 0xfffff, 20);
    this.bits(0b1111, 4);
    // Two's complement in two words: for -1, high = -1 (0xffffffff) and low = 2^32 - 1.
    const high = Math.floor(dod / TWO_POW_32);
    this.bits(high >>> 0, 32);
    this.bits(dod - high * TWO_POW_32, 32);
    this.endsWithByteWrite = true;
  }

  private op(control: number, controlBits: number, payload: number, payloadBits: number): void {
    this.bits(control, controlBits);
    this.bits(payload, payloadBits);
    this.endsWithByteWrite = payloadBits % 8 === 0;
  }

  private writeValueXor(high: number, low: number): void {
    if (high === 0 && low === 0) return this.bit(0);
    this.bits(1, 1);
    let leading = high !== 0 ? Math.clz32(high) : 32 + Math.clz32(low);
    const trailing = low !== 0 ? trailingZeros(low) : 32 + trailingZeros(high);
    // Five bits hold the leading count, so longer runs are written as 31 (one more significant bit).
    if (leading >= 32) leading = 31;
    if (this.leading !== 0xff && leading >= this.leading && trailing >= this.trailing) {
      this.bits(0, 1);
      this.significantBits(high, low, this.leading, this.trailing);
      return;
    }
    this.leading = leading;
    this.trailing = trailing;
    this.bits(1, 1);
    this.bits(leading, 5);
    // 64 significant bits do not fit in six bits: written as 0, as Prometheus does (0 never occurs otherwise).
    this.bits((64 - leading - trailing) & 0x3f, 6);
    this.significantBits(high, low, leading, trailing);
  }

  /** The bits of high:low between the leading and trailing zeros, most significant first. */
  private significantBits(high: number, low: number, leading: number, trailing: number): void {
    const count = 64 - leading - trailing;
    let shiftedHigh = high;
    let shiftedLow = low;
    if (trailing >= 32) {
      shiftedLow = high >>> (trailing - 32);
      shiftedHigh = 0;
    } else if (trailing > 0) {
      shiftedLow = (low >>> trailing) | (high << (32 - trailing));
      shiftedHigh = high >>> trailing;
    }
    if (count > 32) {
      this.bits(shiftedHigh, count - 32);
      this.bits(shiftedLow, 32);
    } else {
      this.bits(shiftedLow, count);
    }
    this.endsWithByteWrite = count % 8 === 0;
  }

  private writeVarint(value: number): void {
    this.writeUvarint(value >= 0 ? 2 * value : -2 * value - 1);
  }

  private writeUvarint(value: number): void {
    let rest = value;
    while (rest >= 0x80) {
      this.bits((rest % 0x80) | 0x80, 8);
      rest = Math.floor(rest / 0x80);
    }
    this.bits(rest, 8);
    this.endsWithByteWrite = true;
  }

  private bit(bit: 0 | 1): void {
    if (bit) this.bytes[this.bitPosition >>> 3]! |= 0x80 >>> (this.bitPosition & 7);
    this.bitPosition++;
    this.endsWithByteWrite = false;
  }

  /**
   * The low `count` (1–32) bits of `value`, most significant first, ORed into the zeroed bytes: left-aligned in a
   * 32-bit word, shifted to the bit position, they touch at most five bytes.
   */
  private bits(value: number, count: number): void {
    const position = this.bitPosition;
    const offset = position & 7;
    const index = position >>> 3;
    const word = value << (32 - count);
    const shifted = word >>> offset;
    const bytes = this.bytes;
    const end = offset + count;
    bytes[index]! |= shifted >>> 24;
    if (end > 8) {
      bytes[index + 1]! |= shifted >>> 16;
      if (end > 16) {
        bytes[index + 2]! |= shifted >>> 8;
        if (end > 24) {
          bytes[index + 3]! |= shifted;
          if (end > 32) bytes[index + 4]! |= word << (8 - offset);
        }
      }
    }
    this.bitPosition = position + count;
  }
}

function trailingZeros(word: number): number {
  return 31 - Math.clz32(word & -word);
}
