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
 * Line terminators that JSON.stringify leaves raw: NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR. Some
 * readers (editors, `str.splitlines`, log shippers) break lines at them, which would show one record
 * as two. In JSON text they can only occur inside strings, where `\uXXXX` means the same character.
 */
const RAW_LINE_TERMINATOR = /[\u0085\u2028\u2029]/;
const EVERY_RAW_LINE_TERMINATOR = new RegExp(RAW_LINE_TERMINATOR.source, 'g');

export function escapeLineTerminators(json: string): string {
  return json.replace(
    EVERY_RAW_LINE_TERMINATOR,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** True when `text` holds a character that a stored line spells as an escape (see escapeLineTerminators). */
export function hasLineTerminator(text: string): boolean {
  return RAW_LINE_TERMINATOR.test(text);
}

/**
 * The stored line is canonical JSON too: the keys come out sorted, which puts `seq`, `status` and
 * `time` last on every line, and lets history queries read them without parsing the whole record.
 * Only the line is escaped, not the hashed text: the hash is over the parsed value, so lines written
 * before the escaping (raw U+2028) and after it verify alike.
 */
export function serializeRecord(record: AuditRecord): string {
  return `${escapeLineTerminators(canonicalJson(record as unknown as JsonValue))}\n`;
}
