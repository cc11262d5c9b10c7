import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { writeFileDurably } from '../../../src/core/durable-file.js';
import { tempDirs } from './audit/fixtures.js';

const tempDir = tempDirs();

test('writeFileDurably replaces the file whole, with the given mode, and leaves no temp file', async () => {
  const dir = tempDir();
  const path = join(dir, 'snapshot.json');
  writeFileSync(path, 'old content that is longer than the new one', { mode: 0o644 });
  await writeFileDurably(path, '{"v":2}', 0o600);
  assert.equal(readFileSync(path, 'utf8'), '{"v":2}');
  if (process.platform !== 'win32') assert.equal(statSync(path).mode & 0o777, 0o600);
  await writeFileDurably(path, Buffer.from([1, 2, 3]));
  assert.deepEqual([...readFileSync(path)], [1, 2, 3]);
  assert.deepEqual(readdirSync(dir), ['snapshot.json']);
});

test('a failed write leaves neither a temp file nor a changed target', async () => {
  const dir = tempDir();
  const path = join(dir, 'snapshot.json');
  writeFileSync(path, 'before');
  // Renaming a file over a directory fails after the temp file was written and synced.
  await assert.rejects(writeFileDurably(dir, 'x'));
  await assert.rejects(writeFileDurably(join(dir, 'missing', 'f.json'), 'x'), { code: 'ENOENT' });
  assert.deepEqual(readdirSync(dir), ['snapshot.json']);
  assert.equal(readFileSync(path, 'utf8'), 'before');
});
