// Reads XOR chunks back, following Prometheus' xorIterator (tsdb/chunkenc/xor.go) and bstreamReader. Written apart
// from the encoder, with BigInt for the 64-bit values (speed does not matter here), so that a round trip checks
// the encoder against the format, not against itself.

export interface DecodedSample {
  time: number;
  /** The value's 64 bits, so that NaN payloads and -0 are compared exactly. */
  bits: bigint;
}

export function floatBits(value: number): bigint {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  return view.getBigUint64(0);
}

export function bitsToFloat(bits: bigint): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, bits);
  return view.getFloat64(0);
}

class BitReader {
  private position = 0;

  constructor(private readonly bytes: Uint8Array) {}

  bit(): number {
    const byte = this.bytes[this.position >> 3];
    if (byte === undefined) throw new Error('read past the end of the chunk');
    const bit = (byte >> (7 - (this.position & 7))) & 1;
    this.position++;
    return bit;
  }

  bits(count: number): bigint {
    let value = 0n;
    for (let i = 0; i < count; i++) value = (value << 1n) | BigInt(this.bit());
    return value;
  }

  byte(): number {
    return Number(this.bits(8));
  }

  uvarint(): bigint {
    let value = 0n;
    for (let shift = 0n; ; shift += 7n) {
      const byte = this.byte();
      value |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) return value;
      if (shift > 63n) throw new Error('uvarint overflows 64 bits');
    }
  }

  varint(): bigint {
    const zigzag = this.uvarint();
    return zigzag & 1n ? -((zigzag >> 1n) + 1n) : zigzag >> 1n;
  }
}

/** The samples of an XOR chunk's data (what follows the encoding byte). */
export function decodeXorChunk(data: Uint8Array): DecodedSample[] {
  const count = (data[0]! << 8) | data[1]!;
  const reader = new BitReader(data.subarray(2));
  const samples: DecodedSample[] = [];
  let time = 0n;
  let timeDelta = 0n;
  let value = 0n;
  let leading = 0n;
  let trailing = 0n;
  for (let i = 0; i < count; i++) {
    if (i === 0) {
      time = reader.varint();
      value = reader.bits(64);
    } else {
      if (i === 1) timeDelta = reader.uvarint();
      else timeDelta += readDeltaOfDelta(reader);
      time += timeDelta;
      if (reader.bit() === 1) {
        if (reader.bit() === 1) {
          leading = reader.bits(5);
          let significant = reader.bits(6);
          if (significant === 0n) significant = 64n;
          trailing = 64n - leading - significant;
        }
        const significant = 64n - leading - trailing;
        value ^= reader.bits(Number(significant)) << trailing;
      }
    }
    samples.push({ time: Number(time), bits: value });
  }
  return samples;
}

function readDeltaOfDelta(reader: BitReader): bigint {
  let prefix = 0;
  for (let i = 0; i < 4; i++) {
    if (reader.bit() === 0) break;
    prefix++;
  }
  const size = [0, 14, 17, 20, 64][prefix]!;
  if (size === 0) return 0n;
  const raw = reader.bits(size);
  if (size === 64) return BigInt.asIntN(64, raw);
  // Prometheus' bitRange: -(2^(n-1) - 1) … 2^(n-1), so 2^(n-1) itself is positive.
  return raw > 1n << BigInt(size - 1) ? raw - (1n << BigInt(size)) : raw;
}
