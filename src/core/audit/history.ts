import { open } from 'node:fs/promises';
import { AuditLog } from './audit-log.js';
import { AuditLogError } from './errors.js';
import { readLinesBackward } from './line-reader.js';
import { AuditRecordSchema, type AuditRecord } from './record.js';

export const HISTORY_DEFAULT_LIMIT = 50;
export const HISTORY_MAX_LIMIT = 500;

export interface HistoryFilter {
  operation?: string[];
  status?: string[];
  namespace?: string;
  /** Inclusive. */
  since?: Date;
  /** Exclusive. */
  until?: Date;
  /** Records per page: default 50, more than 500 is read as 500. */
  limit?: number;
  /** `nextCursor` of the previous page: continue with older records. */
  cursor?: string;
}

export interface HistoryPage {
  /** Newest first. */
  records: AuditRecord[];
  /** Present when older matching records exist. */
  nextCursor?: string;
}

/**
 * Keys are sorted on every stored line, so each one ends with the top-level seq, status and time.
 * Reading them from the end of the line lets paging and status/time filters skip a record without
 * parsing it. Lines that do not have this shape (hand-edited) fall back to a full parse.
 */
const LINE_SUFFIX = /"seq":(\d+),"status":"([a-z_]+)","time":"([^"\\]+)"\}$/;
/** Enough for the suffix; the regex never scans the (possibly long) details. */
const SUFFIX_CHARS = 128;

interface Criteria {
  operations?: Set<string>;
  statuses?: Set<string>;
  namespace?: string;
  since?: number;
  until?: number;
  beforeSeq?: number;
}

function criteriaFrom(filter: HistoryFilter): { criteria: Criteria; limit: number } {
  const limit = filter.limit ?? HISTORY_DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1)
    throw new AuditLogError(`invalid history limit ${limit}: a whole number from 1 to ${HISTORY_MAX_LIMIT}`);
  if (filter.cursor !== undefined && !/^\d+$/.test(filter.cursor))
    throw new AuditLogError(
      `invalid history cursor "${filter.cursor}": pass the nextCursor of a previous page`,
    );
  const time = (date: Date | undefined, name: string) => {
    if (date === undefined) return undefined;
    if (Number.isNaN(date.getTime())) throw new AuditLogError(`invalid history ${name} date`);
    return date.getTime();
  };
  return {
    limit: Math.min(limit, HISTORY_MAX_LIMIT),
    criteria: {
      ...(filter.operation?.length ? { operations: new Set(filter.operation) } : {}),
      ...(filter.status?.length ? { statuses: new Set(filter.status) } : {}),
      ...(filter.namespace !== undefined ? { namespace: filter.namespace } : {}),
      ...(filter.since ? { since: time(filter.since, 'since') } : {}),
      ...(filter.until ? { until: time(filter.until, 'until') } : {}),
      ...(filter.cursor !== undefined ? { beforeSeq: Number(filter.cursor) } : {}),
    },
  };
}

function inWindow(c: Criteria, seq: number, status: string, time: string): boolean {
  if (c.beforeSeq !== undefined && seq >= c.beforeSeq) return false;
  if (c.statuses && !c.statuses.has(status)) return false;
  if (c.since === undefined && c.until === undefined) return true;
  const t = Date.parse(time);
  return !(c.since !== undefined && t < c.since) && !(c.until !== undefined && t >= c.until);
}

/** Substring tests that every matching line must pass; cheap, and they rule out most lines unparsed. */
function mayMatch(c: Criteria, text: string): boolean {
  if (c.namespace !== undefined && !text.includes(`"namespace":${JSON.stringify(c.namespace)}`)) return false;
  if (c.operations && ![...c.operations].some((op) => text.includes(`"operation":${JSON.stringify(op)}`)))
    return false;
  return true;
}

function parseRecord(text: string): AuditRecord | undefined {
  try {
    const parsed = AuditRecordSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function matches(c: Criteria, r: AuditRecord): boolean {
  return (
    inWindow(c, r.seq, r.status, r.time) &&
    (!c.operations || c.operations.has(r.operation)) &&
    (c.namespace === undefined || r.namespace === c.namespace)
  );
}

/**
 * One page of the audit history, newest first, read from the end of the file so that the first pages
 * of a long log cost only the lines they show. Torn and unreadable lines are skipped (`audit verify`
 * reports them). The cursor is a seq: the next page holds records with a lower seq.
 */
export async function queryHistory(
  source: string | AuditLog,
  filter: HistoryFilter = {},
): Promise<HistoryPage> {
  const { criteria, limit } = criteriaFrom(filter);
  if (source instanceof AuditLog) await source.idle();
  const path = source instanceof AuditLog ? source.path : source;
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { records: [] };
    throw error;
  }
  const records: AuditRecord[] = [];
  try {
    const size = (await handle.stat()).size;
    for await (const line of readLinesBackward(handle, size)) {
      if (!line.terminated) continue;
      const suffix = LINE_SUFFIX.exec(line.text.slice(-SUFFIX_CHARS));
      if (suffix && !inWindow(criteria, Number(suffix[1]), suffix[2]!, suffix[3]!)) continue;
      if (!mayMatch(criteria, line.text)) continue;
      const record = parseRecord(line.text);
      if (!record || !matches(criteria, record)) continue;
      // One match past the page tells whether another page exists.
      if (records.length === limit) return { records, nextCursor: String(records.at(-1)!.seq) };
      records.push(record);
    }
  } finally {
    await handle.close();
  }
  return { records };
}
