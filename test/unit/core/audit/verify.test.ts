import assert from 'node:assert/strict';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { GENESIS_HASH, sealRecord, serializeRecord } from '../../../../src/core/audit/chain.js';
import type { AuditRecord } from '../../../../src/core/audit/record.js';
import { verifyAuditLog, type AuditProblemKind } from '../../../../src/core/audit/verify.js';
import { readLines, tempDirs, writeLines, writeLog } from './fixtures.js';

const tempDir = tempDirs();

/** A fresh log of six records, and its lines for the test to tamper with. */
async function sixRecords(): Promise<{ path: string; lines: string[] }> {
  const path = join(tempDir(), 'audit.jsonl');
  await writeLog(path, 6);
  return { path, lines: readLines(path) };
}

async function problemsOf(path: string): Promise<Array<[number, AuditProblemKind]>> {
  return (await verifyAuditLog(path)).problems.map((p) => [p.line, p.kind]);
}

function rehash(line: string, change: (r: AuditRecord) => void): string {
  const record = JSON.parse(line) as AuditRecord;
  change(record);
  const { hash: _old, ...unsealed } = record;
  return serializeRecord(sealRecord(unsealed)).trimEnd();
}

test('an untouched log verifies, with its newest record as head', async () => {
  const { path, lines } = await sixRecords();
  const result = await verifyAuditLog(path);
  const last = JSON.parse(lines[5]!) as AuditRecord;
  assert.deepEqual(result, {
    ok: true,
    records: 6,
    problems: [],
    head: { seq: 6, hash: last.hash, time: last.time },
  });
});

test('an empty log verifies with no records', async () => {
  const path = join(tempDir(), 'audit.jsonl');
  writeFileSync(path, '');
  assert.deepEqual(await verifyAuditLog(path), { ok: true, records: 0, problems: [] });
});

test('an edited record is found by its hash', async () => {
  const { path, lines } = await sixRecords();
  lines[2] = lines[2]!.replace('"i":2', '"i":99');
  writeLines(path, lines);
  const result = await verifyAuditLog(path);
  assert.equal(result.ok, false);
  assert.deepEqual(await problemsOf(path), [[3, 'edited']]);
  assert.match(result.problems[0]!.message, /seq 3 was changed/);
});

test('an edited and re-hashed record is found by the next record’s prevHash', async () => {
  const { path, lines } = await sixRecords();
  lines[2] = rehash(lines[2]!, (r) => (r.status = 'error'));
  writeLines(path, lines);
  assert.deepEqual(await problemsOf(path), [[4, 'edited']]);
});

test('a deleted record breaks the chain and leaves a seq gap', async () => {
  const { path, lines } = await sixRecords();
  writeLines(path, [...lines.slice(0, 2), ...lines.slice(4)]);
  const result = await verifyAuditLog(path);
  assert.deepEqual(await problemsOf(path), [[3, 'deleted']]);
  assert.match(result.problems[0]!.message, /2 records \(seq 3–4\) missing/);
});

test('deleting the first records is detected too', async () => {
  const { path, lines } = await sixRecords();
  writeLines(path, lines.slice(1));
  assert.deepEqual(await problemsOf(path), [[1, 'deleted']]);
});

test('reordered records are reported as reordered', async () => {
  const { path, lines } = await sixRecords();
  writeLines(path, [lines[0]!, lines[2]!, lines[1]!, ...lines.slice(3)]);
  const result = await verifyAuditLog(path);
  assert.equal(result.ok, false);
  assert.ok(result.problems.length > 0);
  assert.ok(
    result.problems.every((p) => p.kind === 'reordered'),
    JSON.stringify(result.problems),
  );
});

test('records cut from the end cannot be detected by the chain alone (documented limitation)', async () => {
  const { path, lines } = await sixRecords();
  writeLines(path, lines.slice(0, 4));
  const result = await verifyAuditLog(path);
  assert.equal(result.ok, true);
  assert.equal(result.head?.seq, 4, 'the head hash is what a person compares to notice it');
});

test('a seq that jumps while the hashes still chain is a seq-gap', async () => {
  const path = join(tempDir(), 'audit.jsonl');
  const time = '2026-01-01T00:00:00.000Z';
  const base = { time, operation: 'scan' as const, status: 'ok' as const, details: {} };
  const first = sealRecord({ ...base, seq: 1, prevHash: GENESIS_HASH });
  const second = sealRecord({ ...base, seq: 5, prevHash: first.hash });
  writeFileSync(path, serializeRecord(first) + serializeRecord(second));
  assert.deepEqual(await problemsOf(path), [[2, 'seq-gap']]);
});

test('a line in the middle that is not a record is malformed; the chain around it is not blamed twice', async () => {
  const { path, lines } = await sixRecords();
  lines[2] = 'garbage';
  lines[3] = JSON.stringify({ hello: 'world' });
  writeLines(path, lines);
  assert.deepEqual(await problemsOf(path), [
    [3, 'malformed'],
    [4, 'malformed'],
  ]);
});

test('a torn last line is reported as torn, which is not tampering', async () => {
  const { path } = await sixRecords();
  appendFileSync(path, '{"details":{"i":6},"hash":"ab');
  const result = await verifyAuditLog(path);
  assert.equal(result.ok, true);
  assert.equal(result.records, 6);
  assert.deepEqual(await problemsOf(path), [[7, 'torn']]);
  assert.match(result.problems[0]!.message, /no newline/);
});

test('a missing file is an error, not an empty log', async () => {
  await assert.rejects(verifyAuditLog(join(tempDir(), 'nope.jsonl')), { code: 'ENOENT' });
});
