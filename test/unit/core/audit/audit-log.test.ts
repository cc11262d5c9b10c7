import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { AuditLog } from '../../../../src/core/audit/audit-log.js';
import { GENESIS_HASH } from '../../../../src/core/audit/chain.js';
import { AuditLogError } from '../../../../src/core/audit/errors.js';
import { verifyAuditLog } from '../../../../src/core/audit/verify.js';
import { readLines, tempDirs } from './fixtures.js';

const tempDir = tempDirs();

/** An independent canonical form, so the test does not trust the code it checks. */
function sortedJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(',')}]`;
  const object = value as Record<string, unknown>;
  return `{${Object.keys(object)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${sortedJson(object[k])}`)
    .join(',')}}`;
}

test('records form a hash chain: seq from 1, prevHash of the first is 64 zeros, hash over sorted-key JSON', async () => {
  const path = join(tempDir(), 'nested', 'audit.jsonl');
  const log = await AuditLog.open(path, { now: () => new Date('2026-01-02T03:04:05.678Z') });
  await log.append({
    operation: 'scan',
    status: 'ok',
    actor: 'agent',
    details: { b: 1, a: [{ z: 1, y: 2 }] },
  });
  await log.append({ operation: 'plan', status: 'pending', namespace: 'shop' });
  await log.append({ operation: 'approved', status: 'ok', details: { when: undefined, big: 10n } });
  await log.close();

  const lines = readLines(path);
  assert.equal(lines.length, 3);
  let prevHash = GENESIS_HASH;
  lines.forEach((line, index) => {
    const record = JSON.parse(line) as Record<string, unknown>;
    assert.equal(line, sortedJson(record), 'stored as canonical JSON');
    assert.equal(record.seq, index + 1);
    assert.equal(record.time, '2026-01-02T03:04:05.678Z');
    assert.equal(record.prevHash, prevHash);
    const { hash, ...rest } = record;
    assert.equal(hash, createHash('sha256').update(sortedJson(rest)).digest('hex'));
    prevHash = hash as string;
  });
  const third = JSON.parse(lines[2]!) as { details: Record<string, unknown> };
  assert.deepEqual(third.details, { big: '10' }, 'undefined dropped, bigint as string');
  assert.equal(JSON.parse(lines[1]!).namespace, 'shop');
  assert.equal('actor' in JSON.parse(lines[1]!), false);

  if (process.platform !== 'win32') {
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.equal(statSync(join(path, '..')).mode & 0o777, 0o700);
  }
});

test('appended records survive a reopen and the chain continues from them', async () => {
  const path = join(tempDir(), 'audit.jsonl');
  const first = await AuditLog.open(path);
  const a = await first.append({ operation: 'apply_started', status: 'pending' });
  await first.close();

  const second = await AuditLog.open(path);
  assert.equal(second.recovered, undefined);
  assert.deepEqual(second.lastRecord, { seq: 1, hash: a.hash });
  const b = await second.append({ operation: 'apply_completed', status: 'ok' });
  await second.close();
  assert.equal(b.seq, 2);
  assert.equal(b.prevHash, a.hash);
  assert.deepEqual(await verifyAuditLog(path), {
    ok: true,
    records: 2,
    problems: [],
    head: { seq: 2, hash: b.hash, time: b.time },
  });
});

test('concurrent appends are written one at a time, in call order', async () => {
  const path = join(tempDir(), 'audit.jsonl');
  const log = await AuditLog.open(path);
  const results = await Promise.all(
    Array.from({ length: 200 }, (_, i) => log.append({ operation: 'patch', status: 'ok', details: { i } })),
  );
  await log.close();
  results.forEach((record, i) => assert.equal(record.seq, i + 1));
  const stored = readLines(path).map((l) => JSON.parse(l) as { seq: number; details: { i: number } });
  assert.deepEqual(
    stored.map((r) => r.details.i),
    results.map((_, i) => i),
  );
  assert.equal((await verifyAuditLog(path)).ok, true);
});

test('a rejected entry does not stop the appends queued behind it', async () => {
  const path = join(tempDir(), 'audit.jsonl');
  const log = await AuditLog.open(path);
  const bad = log.append({ operation: 'drop_table' as 'scan', status: 'ok' });
  const good = log.append({ operation: 'scan', status: 'ok' });
  await assert.rejects(
    bad,
    (error: Error) => error instanceof AuditLogError && /operation/.test(error.message),
  );
  assert.equal((await good).seq, 1);
  await log.close();
  await assert.rejects(log.append({ operation: 'scan', status: 'ok' }), /closed/);
});

test('details are captured when append() is called, not when the record is written', async () => {
  const path = join(tempDir(), 'audit.jsonl');
  const log = await AuditLog.open(path);
  const details = { replicas: 1 };
  const first = log.append({ operation: 'plan', status: 'ok', details });
  details.replicas = 2;
  const second = log.append({ operation: 'plan', status: 'ok', details });
  assert.deepEqual([(await first).details, (await second).details], [{ replicas: 1 }, { replicas: 2 }]);
  await log.close();
});

test('appends called before close() are still written', async () => {
  const path = join(tempDir(), 'audit.jsonl');
  const log = await AuditLog.open(path);
  const pending = [1, 2, 3].map((i) => log.append({ operation: 'patch', status: 'ok', details: { i } }));
  await log.close();
  assert.deepEqual(
    (await Promise.all(pending)).map((r) => r.seq),
    [1, 2, 3],
  );
  assert.equal(readLines(path).length, 3);
});

test('secrets in details are redacted before they reach the file', async () => {
  const path = join(tempDir(), 'audit.jsonl');
  const log = await AuditLog.open(path);
  const record = await log.append({
    operation: 'tool_call',
    status: 'error',
    details: {
      headers: { Authorization: 'Bearer abc.def.ghi-secret' },
      error: 'got 401 with Bearer sk-live-12345678',
    },
  });
  await log.close();
  const text = readLines(path).join('\n');
  assert.doesNotMatch(text, /abc\.def|sk-live/);
  assert.deepEqual(record.details, {
    headers: { Authorization: '[REDACTED]' },
    error: 'got 401 with Bearer [REDACTED]',
  });
});

test('an append resolves only after its line was fsync’d', async () => {
  const path = join(tempDir(), 'audit.jsonl');
  const probe = await open(path, 'w');
  const prototype = Object.getPrototypeOf(probe) as { sync: () => Promise<void> };
  await probe.close();
  const realSync = prototype.sync;
  const events: string[] = [];
  prototype.sync = async function (this: unknown) {
    await realSync.call(this);
    events.push(`sync ${readLines(path).length}`);
  };
  try {
    const log = await AuditLog.open(path);
    events.length = 0;
    await log.append({ operation: 'snapshot', status: 'ok' }).then(() => events.push('resolved 1'));
    await log.append({ operation: 'snapshot', status: 'ok' }).then(() => events.push('resolved 2'));
    await log.close();
  } finally {
    prototype.sync = realSync;
  }
  assert.deepEqual(events, ['sync 1', 'resolved 1', 'sync 2', 'resolved 2']);
});
