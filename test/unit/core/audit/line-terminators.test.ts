import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { AuditLog } from '../../../../src/core/audit/audit-log.js';
import { GENESIS_HASH, sealRecord } from '../../../../src/core/audit/chain.js';
import { queryHistory } from '../../../../src/core/audit/history.js';
import { verifyAuditLog } from '../../../../src/core/audit/verify.js';
import { canonicalJson } from '../../../../src/core/canonical-json.js';
import { readLines, tempDirs } from './fixtures.js';

const tempDir = tempDirs();

/** Every character some reader takes as a line break; JSON.stringify escapes only \n and \r of them. */
const BREAKS = 'a\u2028b\u2029c\rd\u0085e\nf';
const RAW_BREAK = /[\r\u0085\u2028\u2029]/;

test('line terminators in details are stored escaped, read back equal, and the log verifies', async () => {
  const path = join(tempDir(), 'audit.jsonl');
  const details = { reason: BREAKS, nested: [{ [`key${BREAKS}`]: BREAKS }] };
  const log = await AuditLog.open(path);
  const appended = await log.append({ operation: 'rejected', status: 'rejected', details });
  await log.close();

  const text = readFileSync(path, 'utf8');
  assert.doesNotMatch(text, RAW_BREAK, 'no raw line terminator in the file');
  assert.match(text, /a\\u2028b\\u2029c\\rd\\u0085e\\nf/);
  assert.equal(readLines(path).length, 1, 'one record, one line');

  const [stored] = (await queryHistory(path)).records;
  assert.deepEqual(stored, appended);
  assert.deepEqual(stored?.details, details);
  assert.deepEqual(await verifyAuditLog(path), {
    ok: true,
    records: 1,
    problems: [],
    head: { seq: 1, hash: appended.hash, time: appended.time },
  });
});

test('a log written before the escaping (raw U+2028) still verifies, and appends continue its chain', async () => {
  const path = join(tempDir(), 'audit.jsonl');
  const old = sealRecord({
    seq: 1,
    time: '2026-01-01T00:00:00.000Z',
    operation: 'plan',
    status: 'ok',
    namespace: `odd\u2028name`,
    details: { note: BREAKS },
    prevHash: GENESIS_HASH,
  });
  // The old writer's line: canonical JSON as is, U+2028/U+2029/NEL raw.
  writeFileSync(path, `${canonicalJson(old)}\n`);
  assert.match(readFileSync(path, 'utf8'), RAW_BREAK);
  assert.equal((await verifyAuditLog(path)).ok, true);

  const log = await AuditLog.open(path);
  const next = await log.append({
    operation: 'plan',
    status: 'ok',
    namespace: `odd\u2028name`,
    details: { note: BREAKS },
  });
  await log.close();
  assert.equal(next.prevHash, old.hash);
  const verified = await verifyAuditLog(path);
  assert.deepEqual([verified.ok, verified.records, verified.problems], [true, 2, []]);

  // The namespace filter finds both spellings of the same namespace.
  const page = await queryHistory(path, { namespace: `odd\u2028name` });
  assert.deepEqual(
    page.records.map((r) => r.seq),
    [2, 1],
  );
});
