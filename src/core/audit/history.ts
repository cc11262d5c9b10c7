import { open } from 'node:fs/promises';
import { AuditLog } from './audit-log.js';
import { hasLineTerminator } from './chain.js';
import { AuditLogError } from './errors.js';
import { readLinesBackward } from './line-reader.js';
import { readLineSuffix } from './line-suffix.js';
import { AuditRecordSchema, type AuditRecord } from './record.js';
import { offsetBeforeSeq } from './seek-by-seq.js';

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

/**
 * Substring tests that every matching line must pass; cheap, and they rule out most lines unparsed.
 * A namespace with a line terminator in it is spelled raw or escaped depending on the writer's
 * version, so only the full parse can judge it.
 */
function mayMatch(c: Criteria, text: string): boolean {
  const namespace = c.namespace;
  if (
    namespace !== undefined &&
    !hasLineTerminator(namespace) &&
    !text.includes(`"namespace":${JSON.stringify(namespace)}`)
  )
    return false;
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
 * One page of the audit history, newest first, read backwards from the end of the file (or, for a
 * cursor, from the offset found by bisection), so a page costs about the lines it passes over. Torn and unreadable lines are skipped (`audit verify`
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
    const end =
      criteria.beforeSeq === undefined ? size : await offsetBeforeSeq(handle, size, criteria.beforeSeq);
    for await (const line of readLinesBackward(handle, end)) {
      if (!line.terminated) continue;
      const suffix = readLineSuffix(line.text);
      if (suffix && !inWindow(criteria, suffix.seq, suffix.status, suffix.time)) continue;
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
