import { createHash } from 'node:crypto';
import { canonicalJson } from '../canonical-json.js';
import type { JsonValue } from './canonical-json.js';
import type { AuditRecord, UnsealedAuditRecord } from './record.js';

/** The prevHash of the first record: nothing came before it. */
export const GENESIS_HASH = '0'.repeat(64);

/** sha256 of the canonical JSON of the record without its own `hash` field. */
export function recordHash(record: UnsealedAuditRecord | AuditRecord): string {
  const { hash: _ignored, ...unsealed } = record as AuditRecord;
  return createHash('sha256')
    .update(canonicalJson(unsealed as unknown as JsonValue))
    .digest('hex');
}

export function sealRecord(record: UnsealedAuditRecord): AuditRecord {
  return { ...record, hash: recordHash(record) };
}

/**
 * The stored line is canonical JSON too: the keys come out sorted, which puts `seq`, `status` and
 * `time` last on every line, and lets history queries read them without parsing the whole record.
 */
export function serializeRecord(record: AuditRecord): string {
  return `${canonicalJson(record as unknown as JsonValue)}\n`;
}
