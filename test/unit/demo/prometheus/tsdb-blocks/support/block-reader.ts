// Reads a TSDB block back as tsdb/docs/format/index.md and chunks.md describe it, checking every magic number,
// alignment and CRC-32C on the way, so that tests can compare what a block holds with what was written.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32c } from '../../../../../../src/demo/prometheus/tsdb-blocks/crc32c.js';
import { decodeXorChunk, type DecodedSample } from './xor-decoder.js';

const TWO_POW_32 = 0x1_0000_0000;

export class ByteReader {
  constructor(
    readonly bytes: Uint8Array,
    public position = 0,
  ) {}

  byte(): number {
    if (this.position >= this.bytes.length) throw new Error(`read past the end at ${this.position}`);
    return this.bytes[this.position++]!;
  }

  be32(): number {
    return ((this.byte() << 24) | (this.byte() << 16) | (this.byte() << 8) | this.byte()) >>> 0;
  }

  be64(): number {
    return this.be32() * TWO_POW_32 + this.be32();
  }

  uvarint(): number {
    let value = 0;
    for (let scale = 1; ; scale *= 128) {
      const byte = this.byte();
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
    }
  }

  varint(): number {
    const zigzag = this.uvarint();
    return zigzag % 2 === 1 ? -(zigzag + 1) / 2 : zigzag / 2;
  }

  bytesOf(length: number): Uint8Array {
    if (this.position + length > this.bytes.length) throw new Error('read past the end');
    const out = this.bytes.subarray(this.position, this.position + length);
    this.position += length;
    return out;
  }

  uvarintString(): string {
    return Buffer.from(this.bytesOf(this.uvarint())).toString('utf8');
  }
}

export interface ChunkRecord {
  /** segment << 32 | offset, as the index refers to it. */
  ref: number;
  data: Uint8Array;
  samples: DecodedSample[];
}

/** Every chunk record of a block's segments, in file order. */
export function readChunks(blockDir: string): ChunkRecord[] {
  const dir = join(blockDir, 'chunks');
  const files = readdirSync(dir).sort();
  const records: ChunkRecord[] = [];
  files.forEach((file, segment) => {
    if (file !== String(segment + 1).padStart(6, '0')) throw new Error(`unexpected segment name ${file}`);
    const bytes = readFileSync(join(dir, file));
    const reader = new ByteReader(bytes);
    if (reader.be32() !== 0x85bd40dd) throw new Error(`${file}: bad magic`);
    if (reader.byte() !== 1) throw new Error(`${file}: bad version`);
    if (reader.bytesOf(3).some((b) => b !== 0)) throw new Error(`${file}: bad padding`);
    while (reader.position < bytes.length) {
      const ref = segment * TWO_POW_32 + reader.position;
      const length = reader.uvarint();
      const encodingAt = reader.position;
      if (reader.byte() !== 1) throw new Error(`${file}@${ref}: not an XOR chunk`);
      const data = reader.bytesOf(length);
      const checksum = reader.be32();
      if (crc32c(bytes, encodingAt, reader.position - 4) !== checksum)
        throw new Error(`${file}@${ref}: bad CRC`);
      records.push({ ref, data, samples: decodeXorChunk(data) });
    }
  });
  return records;
}

export interface IndexSeries {
  ref: number;
  labels: Array<[string, string]>;
  chunks: Array<{ minTime: number; maxTime: number; ref: number }>;
}

export interface IndexContents {
  toc: number[];
  symbols: string[];
  series: IndexSeries[];
  /** In postings offset table order: the all-series list ("" "") first. */
  postings: Array<{ name: string; value: string; offset: number; refs: number[] }>;
  labelIndices: Array<{ name: string; offset: number; values: string[] }>;
}

export function readIndex(path: string): IndexContents {
  const bytes = readFileSync(path);
  const header = new ByteReader(bytes);
  if (header.be32() !== 0xbaaad700) throw new Error('bad index magic');
  if (header.byte() !== 2) throw new Error('not index format v2');
  const tocAt = bytes.length - 52;
  const toc = new ByteReader(bytes, tocAt);
  const offsets = Array.from({ length: 6 }, () => toc.be64());
  if (crc32c(bytes, tocAt, tocAt + 48) !== toc.be32()) throw new Error('bad TOC CRC');
  const [symbolsAt, seriesAt, , labelOffsetTableAt, , postingsOffsetTableAt] = offsets as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];

  const symbolTable = section(bytes, symbolsAt, 'symbols');
  const symbols = Array.from({ length: symbolTable.be32() }, () => symbolTable.uvarintString());

  const series: IndexSeries[] = [];
  const seriesEnd = offsets[2]!;
  for (let at = seriesAt; ;) {
    while (at < seriesEnd && at % 16 !== 0)
      if (bytes[at++] !== 0) throw new Error(`non-zero padding at ${at - 1}`);
    if (at >= seriesEnd) break;
    const entry = new ByteReader(bytes, at);
    const length = entry.uvarint();
    const dataAt = entry.position;
    const data = new ByteReader(bytes.subarray(dataAt, dataAt + length));
    if (crc32c(bytes, dataAt, dataAt + length) !== new ByteReader(bytes, dataAt + length).be32())
      throw new Error(`bad CRC of the series at ${at}`);
    const labels = Array.from({ length: data.uvarint() }, (): [string, string] => [
      symbols[data.uvarint()]!,
      symbols[data.uvarint()]!,
    ]);
    const chunks: IndexSeries['chunks'] = [];
    const chunkCount = data.uvarint();
    for (let i = 0; i < chunkCount; i++) {
      const previous = chunks[i - 1];
      const minTime = previous ? previous.maxTime + data.uvarint() : data.varint();
      const maxTime = minTime + data.uvarint();
      const ref = previous ? previous.ref + data.varint() : data.uvarint();
      chunks.push({ minTime, maxTime, ref });
    }
    if (data.position !== length)
      throw new Error(`series at ${at}: ${length - data.position} bytes left over`);
    series.push({ ref: at / 16, labels, chunks });
    at = dataAt + length + 4;
  }

  const postingsTable = section(bytes, postingsOffsetTableAt, 'postings offset table');
  const postings = Array.from({ length: postingsTable.be32() }, () => {
    if (postingsTable.uvarint() !== 2) throw new Error('a postings key must have 2 parts');
    const name = postingsTable.uvarintString();
    const value = postingsTable.uvarintString();
    const offset = postingsTable.uvarint();
    const list = section(bytes, offset, `postings ${name}=${value}`);
    const refs = Array.from({ length: list.be32() }, () => list.be32());
    return { name, value, offset, refs };
  });

  const labelTable = section(bytes, labelOffsetTableAt, 'label offset table');
  const labelIndices = Array.from({ length: labelTable.be32() }, () => {
    if (labelTable.uvarint() !== 1) throw new Error('a label index key must have 1 part');
    const name = labelTable.uvarintString();
    const offset = labelTable.uvarint();
    const index = section(bytes, offset, `label index ${name}`);
    if (index.be32() !== 1) throw new Error('a label index must have 1 name');
    const values = Array.from({ length: index.be32() }, () => symbols[index.be32()]!);
    return { name, offset, values };
  });

  return { toc: offsets, symbols, series, postings, labelIndices };
}

/** A section with a 4-byte length at `at`: its content, after checking the CRC-32C that follows it. */
function section(bytes: Uint8Array, at: number, name: string): ByteReader {
  const length = new ByteReader(bytes, at).be32();
  const checksum = new ByteReader(bytes, at + 4 + length).be32();
  if (crc32c(bytes, at + 4, at + 4 + length) !== checksum) throw new Error(`bad CRC of the ${name}`);
  return new ByteReader(bytes.subarray(at + 4, at + 4 + length));
}
