import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { AuditLog } from '../../../../src/core/audit/audit-log.js';
import { prepareLogDirectory } from '../../../../src/core/audit/file-permissions.js';
import { verifyAuditLog } from '../../../../src/core/audit/verify.js';
import { tempDirs, writeLog } from './fixtures.js';

const tempDir = tempDirs();
const posix = { skip: process.platform === 'win32' ? 'no POSIX modes on Windows' : false };
const modeOf = (path: string) => statSync(path).mode & 0o7777;

/** A fresh directory with exactly `mode` (mkdir alone is filtered by the umask). */
function directoryWithMode(name: string, mode: number): string {
  const dir = join(tempDir(), name);
  mkdirSync(dir);
  chmodSync(dir, mode);
  return dir;
}

async function openAndClose(dir: string): Promise<void> {
  await (await AuditLog.open(join(dir, 'audit.jsonl'))).close();
}

test(
  'an existing audit log with mode 0644 is made 0600 when it is opened, its records untouched',
  posix,
  async () => {
    const path = join(tempDir(), 'audit.jsonl');
    await writeLog(path, 2);
    chmodSync(path, 0o644);
    const before = readFileSync(path);

    const log = await AuditLog.open(path);
    await log.close();

    assert.equal(modeOf(path), 0o600);
    assert.deepEqual(readFileSync(path), before);
    assert.equal((await verifyAuditLog(path)).ok, true);
  },
);

test('any bit beyond owner read/write is removed: 0666, 0640 and 0700 all become 0600', posix, async () => {
  for (const loose of [0o666, 0o640, 0o700]) {
    const path = join(tempDir(), 'audit.jsonl');
    writeFileSync(path, '');
    chmodSync(path, loose);
    await (await AuditLog.open(path)).close();
    assert.equal(modeOf(path), 0o600, `from 0${loose.toString(8)}`);
  }
});

test('a directory the log creates is 0700 whatever the umask', posix, async () => {
  const nested = join(tempDir(), 'made', 'here');
  const own = join(tempDir(), 'made-under-a-strict-umask');
  // 0o002 would leave a default-mode mkdir at 0775; 0o277 would leave even mode 0700 at 0500.
  for (const [dir, mask] of [
    [nested, 0o002],
    [own, 0o277],
  ] as const) {
    const umask = process.umask(mask);
    try {
      await openAndClose(dir);
    } finally {
      process.umask(umask);
    }
    assert.equal(modeOf(dir), 0o700, `umask 0${mask.toString(8)}`);
    assert.equal(modeOf(join(dir, 'audit.jsonl')), 0o600, `the log itself, umask 0${mask.toString(8)}`);
  }
});

test('an existing directory of ours that others can write is tightened to 0700', posix, async () => {
  const dir = directoryWithMode('shared', 0o777);
  await openAndClose(dir);
  assert.equal(modeOf(dir), 0o700);
});

test('an existing directory nobody else can write keeps its mode (0755 stays 0755)', posix, async () => {
  const dir = directoryWithMode('readable', 0o755);
  await openAndClose(dir);
  assert.equal(modeOf(dir), 0o755);
});

test(
  'a home directory or a sticky shared directory is never chmod-ed, even when group-writable',
  posix,
  async () => {
    const home = directoryWithMode('home', 0o775);
    await prepareLogDirectory(home, { HOME: home });
    assert.equal(modeOf(home), 0o775, 'a home directory is left alone');

    const sticky = directoryWithMode('tmp-like', 0o1777);
    await prepareLogDirectory(sticky, {});
    assert.equal(modeOf(sticky), 0o1777, 'a sticky directory is left alone');

    const control = directoryWithMode('control', 0o775);
    await prepareLogDirectory(control, { HOME: home });
    assert.equal(modeOf(control), 0o700, 'the same directory outside home is tightened');
  },
);
