// A block's `index` file in format v2, laid out as Prometheus 2.42's tsdb/index/index.go writes it (see
// tsdb/docs/format/index.md): magic 0xBAAAD700 and version 2; the symbol table; the series, each 16-byte aligned
// (its reference is its offset / 16) with its label pairs as symbol ranks and its chunks' time ranges and
// references delta-encoded; a label index per label name; the postings lists, the all-series list ("" "")
// first; the label offset table; the postings offset table; the table of contents. Every section ends with the
// CRC-32C of its content, which Prometheus checks when it reads the section.
//
// A generator: it yields between slices of the work, so that its caller can give the event loop a turn.

import { BufferedFile } from './buffered-file.js';
import type { BlockSeriesTable } from './block-series-table.js';
import { crc32c } from './crc32c.js';
import { EncodingBuffer } from './encoding-buffer.js';
import { buildPostings, type PostingsLists } from './postings-lists.js';
import { rankLabelPairs, rankSymbols, sortSeries } from './series-order.js';

const INDEX_MAGIC = 0xbaaad700;
const INDEX_FORMAT_V2 = 2;
const SERIES_ALIGNMENT = 16;
const POSTINGS_ALIGNMENT = 4;
const TWO_POW_32 = 0x1_0000_0000;
/** Series or postings lists written between two yields. */
const SLICE = 2048;
/** The length in front of a section or series (reused: every write with it is synchronous). */
const frame = new EncodingBuffer(16);

interface TableOfContents {
  symbols: number;
  series: number;
  labelIndices: number;
  labelOffsetTable: number;
  postings: number;
  postingsOffsetTable: number;
}

export function* writeIndex(path: string, table: BlockSeriesTable): Generator<void> {
  const { sorted: symbols, rankOf } = yield* rankSymbols(table.symbols);
  const labelStarts = table.labelStarts.view();
  const ranked = rankLabelPairs(table.labelPairs.view(), rankOf);
  yield;
  const order = yield* sortSeries(ranked, labelStarts, (series) => describeSeries(table, series));
  const file = new BufferedFile(path);
  try {
    const buffer = new EncodingBuffer();
    const toc: TableOfContents = {
      symbols: 0,
      series: 0,
      labelIndices: 0,
      labelOffsetTable: 0,
      postings: 0,
      postingsOffsetTable: 0,
    };
    buffer.putBE32(INDEX_MAGIC);
    buffer.putByte(INDEX_FORMAT_V2);
    file.write(buffer.view());

    toc.symbols = file.position;
    buffer.reset();
    buffer.putBE32(symbols.length);
    for (const symbol of symbols) {
      buffer.putUvarint(symbol.length);
      buffer.putBytes(symbol);
    }
    writeSection(file, buffer);
    yield;

    toc.series = file.position;
    const seriesRefs = new Uint32Array(order.length);
    for (let position = 0; position < order.length; position++) {
      file.pad(SERIES_ALIGNMENT);
      seriesRefs[position] = file.position / SERIES_ALIGNMENT;
      encodeSeries(buffer, table, ranked, order[position]!);
      writeUvarintFramed(file, buffer);
      if (position % SLICE === SLICE - 1) yield;
    }
    if (file.position / SERIES_ALIGNMENT >= TWO_POW_32)
      throw new RangeError('the series section exceeds 64 GiB');

    const postings = yield* buildPostings(ranked, labelStarts, order, seriesRefs, symbols.length);
    toc.labelIndices = file.position;
    const labelIndexOffsets = writeLabelIndices(file, buffer, postings);

    toc.postings = file.position;
    file.pad(POSTINGS_ALIGNMENT);
    const postingsOffsets: number[] = [];
    postingsOffsets.push(writePostingsList(file, buffer, seriesRefs, 0, seriesRefs.length));
    for (let pair = 0; pair < postings.names.length; pair++) {
      const { starts, refs } = postings;
      postingsOffsets.push(writePostingsList(file, buffer, refs, starts[pair]!, starts[pair + 1]!));
      if (pair % SLICE === SLICE - 1) yield;
    }

    toc.labelOffsetTable = file.position;
    buffer.reset();
    buffer.putBE32(labelIndexOffsets.length);
    for (const { name, offset } of labelIndexOffsets) {
      buffer.putUvarint(1);
      buffer.putUvarint(symbols[name]!.length);
      buffer.putBytes(symbols[name]!);
      buffer.putUvarint(offset);
    }
    writeSection(file, buffer);

    toc.postingsOffsetTable = file.position;
    buffer.reset();
    buffer.putBE32(postingsOffsets.length);
    postingsOffsets.forEach((offset, i) => {
      buffer.putUvarint(2);
      if (i === 0) {
        // The all-series list's key is the empty name and value.
        buffer.putUvarint(0);
        buffer.putUvarint(0);
      } else {
        const name = symbols[postings.names[i - 1]!]!;
        const value = symbols[postings.values[i - 1]!]!;
        buffer.putUvarint(name.length);
        buffer.putBytes(name);
        buffer.putUvarint(value.length);
        buffer.putBytes(value);
      }
      buffer.putUvarint(offset);
    });
    writeSection(file, buffer);

    buffer.reset();
    for (const offset of [
      toc.symbols,
      toc.series,
      toc.labelIndices,
      toc.labelOffsetTable,
      toc.postings,
      toc.postingsOffsetTable,
    ]) {
      buffer.putBE64(offset);
    }
    buffer.putBE32(crc32c(buffer.bytes, 0, buffer.length));
    file.write(buffer.view());
  } finally {
    file.close();
  }
}

/** Series `series`' entry: label count, label pairs (ranks), chunk count, chunk metas. */
function encodeSeries(
  buffer: EncodingBuffer,
  table: BlockSeriesTable,
  ranked: Uint32Array,
  series: number,
): void {
  buffer.reset();
  const labelsFrom = table.labelStarts.at(series);
  const labelsTo = table.labelStarts.at(series + 1);
  buffer.putUvarint((labelsTo - labelsFrom) / 2);
  for (let i = labelsFrom; i < labelsTo; i++) buffer.putUvarint(ranked[i]!);
  const chunksFrom = table.chunkStarts.at(series);
  const chunkCount = table.chunkStarts.at(series + 1) - chunksFrom;
  buffer.putUvarint(chunkCount);
  const segmentBase = table.segments.at(series) * TWO_POW_32;
  let previousMaxTime = 0;
  let previousRef = 0;
  for (let chunk = 0; chunk < chunkCount; chunk++) {
    const minTime = table.chunkMinTime(series, chunk);
    const maxTime = table.chunkMaxTime(series, chunk);
    const ref = segmentBase + table.chunkOffsets.at(chunksFrom + chunk);
    if (chunk === 0) {
      buffer.putVarint(minTime);
      buffer.putUvarint(maxTime - minTime);
      buffer.putUvarint(ref);
    } else {
      buffer.putUvarint(minTime - previousMaxTime);
      buffer.putUvarint(maxTime - minTime);
      buffer.putVarint(ref - previousRef);
    }
    previousMaxTime = maxTime;
    previousRef = ref;
  }
}

/** One label index per label name (no longer read by Prometheus, still written by 2.42): its values' ranks. */
function writeLabelIndices(
  file: BufferedFile,
  buffer: EncodingBuffer,
  postings: PostingsLists,
): Array<{ name: number; offset: number }> {
  const offsets: Array<{ name: number; offset: number }> = [];
  const { names, values } = postings;
  for (let first = 0; first < names.length;) {
    let end = first + 1;
    while (end < names.length && names[end] === names[first]) end++;
    file.pad(POSTINGS_ALIGNMENT);
    offsets.push({ name: names[first]!, offset: file.position });
    buffer.reset();
    buffer.putBE32(1);
    buffer.putBE32(end - first);
    for (let i = first; i < end; i++) buffer.putBE32(values[i]!);
    writeSection(file, buffer);
    first = end;
  }
  return offsets;
}

/** A postings list (refs[from … to)), 4-byte aligned; returns its offset. */
function writePostingsList(
  file: BufferedFile,
  buffer: EncodingBuffer,
  refs: Uint32Array,
  from: number,
  to: number,
): number {
  file.pad(POSTINGS_ALIGNMENT);
  const offset = file.position;
  buffer.reset();
  buffer.putBE32(to - from);
  for (let i = from; i < to; i++) buffer.putBE32(refs[i]!);
  writeSection(file, buffer);
  return offset;
}

/** A section with a 4-byte length: length, content, CRC-32C of the content. */
function writeSection(file: BufferedFile, content: EncodingBuffer): void {
  if (content.length >= TWO_POW_32) throw new RangeError('an index section exceeds 4 GiB');
  frame.reset();
  frame.putBE32(content.length);
  file.write(frame.view());
  writeWithChecksum(file, content);
}

/** An entry with a uvarint length (a series): length, content, CRC-32C of the content. */
function writeUvarintFramed(file: BufferedFile, content: EncodingBuffer): void {
  frame.reset();
  frame.putUvarint(content.length);
  file.write(frame.view());
  writeWithChecksum(file, content);
}

function writeWithChecksum(file: BufferedFile, content: EncodingBuffer): void {
  const checksum = crc32c(content.bytes, 0, content.length);
  content.putBE32(checksum);
  file.write(content.view());
}

function describeSeries(table: BlockSeriesTable, series: number): string {
  const pairs: string[] = [];
  for (let i = table.labelStarts.at(series); i < table.labelStarts.at(series + 1); i += 2) {
    pairs.push(
      `${table.symbols[table.labelPairs.at(i)]}=${JSON.stringify(table.symbols[table.labelPairs.at(i + 1)])}`,
    );
  }
  return `{${pairs.join(', ')}}`;
}
