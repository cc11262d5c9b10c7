// The small files of a block directory: meta.json (what Prometheus reads first: the block's time range and
// counts), an empty tombstones file, and the ULID that names the directory.

import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface BlockStats {
  numSamples: number;
  numSeries: number;
  numChunks: number;
}

export interface BlockMeta {
  ulid: string;
  /** The first sample's time (ms). */
  minTime: number;
  /** One ms after the last sample's: blocks are half-open intervals [minTime, maxTime). */
  maxTime: number;
  stats: BlockStats;
}

const CROCKFORD_BASE32 = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const TOMBSTONES_MAGIC = Uint8Array.of(0x01, 0x30, 0xba, 0x30);
const TOMBSTONES_FORMAT_V1 = 1;

/**
 * A new ULID: 48 bits of milliseconds and 80 random bits, as 26 Crockford base-32 digits (the first holds the top
 * 3 of the 128 bits). Prometheus only loads directories whose name parses as one.
 */
export function newUlid(now = Date.now()): string {
  const bytes = Buffer.alloc(16);
  bytes.writeUIntBE(now, 0, 6);
  randomBytes(10).copy(bytes, 6);
  let text = '';
  for (let bit = -2; bit < 128; bit += 5) {
    let digit = 0;
    for (let i = bit; i < bit + 5; i++) {
      digit = (digit << 1) | (i < 0 ? 0 : (bytes[i >>> 3]! >>> (7 - (i & 7))) & 1);
    }
    text += CROCKFORD_BASE32[digit];
  }
  return text;
}

/** meta.json as Prometheus 2.42 writes it for a block it created (compaction level 1, its own only source). */
export function writeBlockMeta(blockDir: string, meta: BlockMeta): void {
  const json = {
    ulid: meta.ulid,
    minTime: meta.minTime,
    maxTime: meta.maxTime,
    stats: meta.stats,
    compaction: { level: 1, sources: [meta.ulid] },
    version: 1,
  };
  writeFileSync(join(blockDir, 'meta.json'), JSON.stringify(json, null, '\t'));
}

/** No deletions: the magic, format version 1, and the CRC-32C of the (empty) list of tombstones, 0. */
export function writeEmptyTombstones(blockDir: string): void {
  const file = Buffer.alloc(9);
  file.set(TOMBSTONES_MAGIC, 0);
  file[4] = TOMBSTONES_FORMAT_V1;
  writeFileSync(join(blockDir, 'tombstones'), file);
}
