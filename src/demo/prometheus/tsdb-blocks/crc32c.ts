// CRC-32C (Castagnoli), the checksum Prometheus puts after every chunk and every index section. Node 20 has no
// CRC-32C of its own (zlib's crc32 is the IEEE polynomial), and the chunks of a large fixture are gigabytes, so
// this is the table-driven "slice-by-8" form: eight table lookups per eight bytes instead of one per byte.

/** The reflected Castagnoli polynomial. */
const POLYNOMIAL = 0x82f63b78;

const TABLES = buildTables();

function buildTables(): Uint32Array {
  const tables = new Uint32Array(8 * 256);
  for (let n = 0; n < 256; n++) {
    let crc = n;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ POLYNOMIAL : crc >>> 1;
    tables[n] = crc;
  }
  for (let n = 0; n < 256; n++) {
    let crc = tables[n]!;
    for (let table = 1; table < 8; table++) {
      crc = tables[crc & 0xff]! ^ (crc >>> 8);
      tables[table * 256 + n] = crc;
    }
  }
  return tables;
}

/**
 * The CRC-32C of `bytes[start, end)`, continuing from `previous` (the CRC of what came before, 0 to start), so
 * that a section written in pieces can be checksummed as it goes.
 */
export function crc32c(bytes: Uint8Array, start = 0, end = bytes.length, previous = 0): number {
  const t = TABLES;
  let crc = ~previous;
  let i = start;
  for (; i + 8 <= end; i += 8) {
    const low = crc ^ (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24));
    crc =
      t[7 * 256 + (low & 0xff)]! ^
      t[6 * 256 + ((low >>> 8) & 0xff)]! ^
      t[5 * 256 + ((low >>> 16) & 0xff)]! ^
      t[4 * 256 + (low >>> 24)]! ^
      t[3 * 256 + bytes[i + 4]!]! ^
      t[2 * 256 + bytes[i + 5]!]! ^
      t[256 + bytes[i + 6]!]! ^
      t[bytes[i + 7]!]!;
  }
  for (; i < end; i++) crc = t[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return ~crc >>> 0;
}
