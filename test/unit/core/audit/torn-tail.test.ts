import assert from 'node:assert/strict';
import { appendFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { AuditLog } from '../../../../src/core/audit/audit-log.js';
import { GENESIS_HASH } from '../../../../src/core/audit/chain.js';
import { AuditLogError } from '../../../../src/core/audit/errors.js';
import { verifyAuditLog } from '../../../../src/core/audit/verify.js';
import { readLines, tempDirs, writeLines, writeLog } from './fixtures.js';

const tempDir = tempDirs();

test('a torn last line is moved aside and truncated; earlier records are untouched and the chain continues', async () => {
  const dir = tempDir();
  const path = join(dir, 'audit.jsonl');
  const written = await writeLog(path, 3);
  const intact = readFileSync(path);
  const torn = '{"details":{"i":3},"hash":"0f1e';
  appendFileSync(path, torn);

  const log = await AuditLog.open(path);
  assert.deepEqual(
    { tornBytes: log.recovered?.tornBytes, at: log.recovered?.at },
    { tornBytes: Buffer.byteLength(torn), at: intact.length },
  );
  assert.equal(readFileSync(log.recovered!.movedTo, 'utf8'), torn, 'the torn bytes are kept for a person');
  assert.ok(readdirSync(dir).some((f) => /^audit\.jsonl\.torn-\d{4}-\d\d-\d\dT/.test(f)));
  assert.deepEqual(readFileSync(path), intact, 'earlier records byte for byte');

  const next = await log.append({ operation: 'restore', status: 'ok' });
  await log.close();
  assert.equal(next.seq, 4);
  assert.equal(next.prevHash, written[2]!.hash);
  const result = await verifyAuditLog(path);
  assert.deepEqual(
    { ok: result.ok, records: result.records, problems: result.problems },
    {
      ok: true,
      records: 4,
      problems: [],
    },
  );
  assert.deepEqual(readFileSync(path).subarray(0, intact.length), intact);
});

test('a last line that ends in a newline but is not JSON (zeros after a crash) counts as torn', async () => {
  const path = join(tempDir(), 'audit.jsonl');
  await writeLog(path, 2);
  appendFileSync(path, '\0\0\0\0\n');
  const log = await AuditLog.open(path);
  assert.equal(log.recovered?.tornBytes, 5);
  assert.equal((await log.append({ operation: 'scan', status: 'ok' })).seq, 3);
  await log.close();
  assert.equal((await verifyAuditLog(path)).ok, true);
});

test('a file holding only a torn line starts the chain again from genesis', async () => {
  const path = join(tempDir(), 'audit.jsonl');
  writeFileSync(path, '{"seq":1,"ti');
  const log = await AuditLog.open(path);
  assert.equal(log.recovered?.at, 0);
  const first = await log.append({ operation: 'scan', status: 'ok' });
  await log.close();
  assert.deepEqual([first.seq, first.prevHash], [1, GENESIS_HASH]);
});

test('a log that is intact is not touched by open', async () => {
  const path = join(tempDir(), 'audit.jsonl');
  await writeLog(path, 2);
  const before = readFileSync(path);
  const log = await AuditLog.open(path);
  assert.equal(log.recovered, undefined);
  await log.close();
  assert.deepEqual(readFileSync(path), before);
});

test('a damaged record before the torn line is refused, and nothing is changed', async () => {
  const path = join(tempDir(), 'audit.jsonl');
  await writeLog(path, 2);
  const lines = readLines(path);
  writeLines(path, [lines[0]!, 'not json']);
  appendFileSync(path, '{"partial');
  const before = readFileSync(path);
  await assert.rejects(AuditLog.open(path), (error: Error) => {
    assert.ok(error instanceof AuditLogError);
    assert.match(error.message, /not a valid audit record.*audit verify/);
    return true;
  });
  assert.deepEqual(readFileSync(path), before);
  // The failed open released its lock: a second try fails for the same reason, not "another process".
  await assert.rejects(AuditLog.open(path), /not a valid audit record/);
});

test('a last line that is JSON but not a record is tampering, not a crash: open refuses', async () => {
  const path = join(tempDir(), 'audit.jsonl');
  await writeLog(path, 1);
  appendFileSync(path, '{"hello":"world"}\n');
  await assert.rejects(AuditLog.open(path), /not a valid audit record/);
});
