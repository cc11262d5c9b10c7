import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { AuditLog } from '../../../../src/core/audit/audit-log.js';
import { AuditLogLockedError } from '../../../../src/core/audit/errors.js';
import { tempDirs } from './fixtures.js';

const tempDir = tempDirs();

/** The pid of a process that has already exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  });
  return Number(child.stdout);
}

test('a second writer is refused while the first holds the log, and admitted after close', async () => {
  const path = join(tempDir(), 'audit.jsonl');
  const first = await AuditLog.open(path);
  assert.equal(readFileSync(`${path}.lock`, 'utf8').trim(), String(process.pid));
  await assert.rejects(AuditLog.open(path), (error: Error) => {
    assert.ok(error instanceof AuditLogLockedError);
    assert.match(error.message, new RegExp(`another process writes this audit log \\(pid ${process.pid}\\)`));
    return true;
  });
  await first.append({ operation: 'scan', status: 'ok' });
  await first.close();
  assert.equal(existsSync(`${path}.lock`), false, 'close releases the lock');

  const second = await AuditLog.open(path);
  assert.equal((await second.append({ operation: 'scan', status: 'ok' })).seq, 2);
  await second.close();
});

test('a lock held by another live process is refused with its pid', async () => {
  const path = join(tempDir(), 'audit.jsonl');
  const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  try {
    writeFileSync(`${path}.lock`, `${holder.pid}\n`);
    await assert.rejects(AuditLog.open(path), new RegExp(`\\(pid ${holder.pid}\\)`));
    assert.equal(
      readFileSync(`${path}.lock`, 'utf8').trim(),
      String(holder.pid),
      'the live lock is left alone',
    );
    assert.equal(existsSync(path), false, 'nothing was created');
  } finally {
    holder.kill();
  }
});

test('a stale lock left by a dead process is taken over', async () => {
  const path = join(tempDir(), 'audit.jsonl');
  writeFileSync(`${path}.lock`, `${deadPid()}\n`);
  const log = await AuditLog.open(path);
  assert.equal(readFileSync(`${path}.lock`, 'utf8').trim(), String(process.pid));
  await log.close();
});

test('an old lock file without a pid (crash between create and write) is taken over', async () => {
  const path = join(tempDir(), 'audit.jsonl');
  writeFileSync(`${path}.lock`, '');
  const old = new Date(Date.now() - 60_000);
  utimesSync(`${path}.lock`, old, old);
  const log = await AuditLog.open(path);
  assert.equal(readFileSync(`${path}.lock`, 'utf8').trim(), String(process.pid), 'the lock is now ours');
  assert.equal((await log.append({ operation: 'scan', status: 'ok' })).seq, 1, 'and the log is writable');
  await log.close();
  assert.equal(existsSync(`${path}.lock`), false, 'close released the taken-over lock');
});

test('close() leaves a lock that is no longer ours in place', async () => {
  const path = join(tempDir(), 'audit.jsonl');
  const log = await AuditLog.open(path);
  writeFileSync(`${path}.lock`, '1\n'); // an operator removed ours and pid 1 took over
  await log.close();
  assert.equal(readFileSync(`${path}.lock`, 'utf8'), '1\n');
});
