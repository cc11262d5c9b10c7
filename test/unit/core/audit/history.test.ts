import assert from 'node:assert/strict';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { AuditLog } from '../../../../src/core/audit/audit-log.js';
import { GENESIS_HASH, sealRecord, serializeRecord } from '../../../../src/core/audit/chain.js';
import { queryHistory, type HistoryFilter } from '../../../../src/core/audit/history.js';
import type { AuditOperation, AuditRecord, AuditStatus } from '../../../../src/core/audit/record.js';
import { tempDirs } from './fixtures.js';

const tempDir = tempDirs();
const START = Date.parse('2026-03-01T00:00:00.000Z');
const OPERATIONS: AuditOperation[] = ['scan', 'plan', 'patch', 'apply_completed', 'tool_call'];
const STATUSES: AuditStatus[] = ['ok', 'ok', 'error', 'pending'];
const NAMESPACES = ['team-a', 'team-b', 'team-c', undefined];

/** Builds a chained log without the writer (10,000 fsyncs would only slow the test down). */
function generate(path: string, count: number): AuditRecord[] {
  const records: AuditRecord[] = [];
  const lines: string[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= count; seq++) {
    const namespace = NAMESPACES[seq % 4];
    const record = sealRecord({
      seq,
      time: new Date(START + seq * 60_000).toISOString(),
      operation: OPERATIONS[seq % 5]!,
      status: STATUSES[(seq % 7) % 4]!,
      ...(namespace ? { namespace } : {}),
      // Decoys: nested fields named like the filtered ones must not make a record match.
      details: { workload: `deploy-${seq}`, nested: { operation: 'patch', namespace: 'team-a', seq: 1 } },
      prevHash,
    });
    prevHash = record.hash;
    records.push(record);
    lines.push(serializeRecord(record));
  }
  writeFileSync(path, lines.join(''));
  return records;
}

function expected(records: AuditRecord[], filter: HistoryFilter): number[] {
  return records
    .filter(
      (r) =>
        (!filter.operation || filter.operation.includes(r.operation)) &&
        (!filter.status || filter.status.includes(r.status)) &&
        (filter.namespace === undefined || r.namespace === filter.namespace) &&
        (!filter.since || Date.parse(r.time) >= filter.since.getTime()) &&
        (!filter.until || Date.parse(r.time) < filter.until.getTime()),
    )
    .map((r) => r.seq)
    .reverse();
}

async function allPages(path: string, filter: HistoryFilter): Promise<{ seqs: number[]; pages: number }> {
  const seqs: number[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await queryHistory(path, { ...filter, ...(cursor ? { cursor } : {}) });
    pages++;
    assert.ok(page.records.length <= (filter.limit ?? 50));
    seqs.push(...page.records.map((r) => r.seq));
    cursor = page.nextCursor;
  } while (cursor);
  return { seqs, pages };
}

let path: string;
let records: AuditRecord[];
let bigPath: string | undefined;
/** 100,000 records, generated once for the tests that need them. */
function bigLog(): string {
  if (!bigPath) {
    bigPath = join(tempDir(), 'big.jsonl');
    generate(bigPath, 100_000);
  }
  return bigPath;
}
before(() => {
  path = join(tempDir(), 'audit.jsonl');
  records = generate(path, 10_000);
});

test('the first page is the 50 newest records, with a cursor to the next', async () => {
  const page = await queryHistory(path);
  assert.deepEqual(
    page.records.map((r) => r.seq),
    Array.from({ length: 50 }, (_, i) => 10_000 - i),
  );
  assert.deepEqual(page.records[0], records.at(-1));
  assert.equal(page.nextCursor, '9951');
});

test('paging with the cursor visits every record once, newest first, and the last page has no cursor', async () => {
  const { seqs, pages } = await allPages(path, { limit: 500 });
  assert.equal(pages, 20);
  assert.deepEqual(seqs, expected(records, {}));
});

test('filters combine, match top-level fields only, and page correctly', async () => {
  const filters: HistoryFilter[] = [
    { operation: ['patch'], limit: 37 },
    { operation: ['patch', 'plan'], status: ['error'], limit: 100 },
    { namespace: 'team-a', status: ['ok', 'pending'], limit: 500 },
    { namespace: 'team-x' },
    {
      since: new Date(START + 2_000 * 60_000),
      until: new Date(START + 2_500 * 60_000),
      operation: ['scan'],
      limit: 7,
    },
  ];
  for (const filter of filters) {
    const { seqs } = await allPages(path, filter);
    assert.deepEqual(seqs, expected(records, filter), JSON.stringify(filter));
  }
});

test('limits above 500 are read as 500; bad limits and cursors are refused', async () => {
  assert.equal((await queryHistory(path, { limit: 10_000 })).records.length, 500);
  await assert.rejects(queryHistory(path, { limit: 0 }), /limit/);
  await assert.rejects(queryHistory(path, { limit: 2.5 }), /limit/);
  await assert.rejects(queryHistory(path, { cursor: 'abc' }), /cursor/);
  const page = await queryHistory(path, { cursor: '3', limit: 10 });
  assert.deepEqual(
    page.records.map((r) => r.seq),
    [2, 1],
  );
  assert.equal(page.nextCursor, undefined);
});

test('100,000 records: the newest page and a full filtered scan stay fast', async () => {
  const big = bigLog();
  let started = performance.now();
  const first = await queryHistory(big, { limit: 500 });
  const firstMs = performance.now() - started;
  assert.equal(first.records[0]?.seq, 100_000);
  started = performance.now();
  const none = await queryHistory(big, { namespace: 'nobody' });
  const scanMs = performance.now() - started;
  assert.deepEqual(none.records, []);
  // Generous bounds: they catch a full parse per page, not a slow machine.
  assert.ok(firstMs < 1000, `first page took ${firstMs} ms`);
  assert.ok(scanMs < 5000, `full scan took ${scanMs} ms`);
});

test('a missing log has no history; a torn last line is skipped', async () => {
  assert.deepEqual(await queryHistory(join(tempDir(), 'none.jsonl')), { records: [] });
  const torn = join(tempDir(), 'audit.jsonl');
  generate(torn, 3);
  appendFileSync(torn, '{"details":{},"hash":"1');
  assert.deepEqual(
    (await queryHistory(torn)).records.map((r) => r.seq),
    [3, 2, 1],
  );
});

test('querying an open AuditLog sees the appends already called', async () => {
  const logPath = join(tempDir(), 'audit.jsonl');
  const log = await AuditLog.open(logPath);
  try {
    void log.append({ operation: 'scan', status: 'ok', namespace: 'shop' });
    void log.append({ operation: 'plan', status: 'pending', namespace: 'shop' });
    const page = await queryHistory(log, { namespace: 'shop' });
    assert.deepEqual(
      page.records.map((r) => r.operation),
      ['plan', 'scan'],
    );
  } finally {
    await log.close();
  }
});

test('paging through 100,000 records with a cursor costs about the records shown, not the pages before', async () => {
  const big = bigLog();
  const started = performance.now();
  const { seqs, pages } = await allPages(big, { limit: 500 });
  const ms = performance.now() - started;
  assert.equal(pages, 200);
  assert.equal(seqs.length, 100_000);
  assert.ok(seqs.every((seq, i) => seq === 100_000 - i));
  assert.ok(ms < 15_000, `paging took ${ms} ms`);
});
