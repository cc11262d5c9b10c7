import assert from 'node:assert/strict';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { createIpcEndpoint, MAX_SOCKET_PATH_BYTES } from '../../../../src/core/approval/ipc/ipc-path.js';

let base: string;

before(async () => {
  base = await mkdtemp(join(tmpdir(), 'krr-path-'));
});

after(async () => {
  await rm(base, { recursive: true, force: true });
});

test('Unix: a random socket name in a 0700 krr-mcp-<uid> directory', async () => {
  const a = await createIpcEndpoint({ baseDir: base });
  const b = await createIpcEndpoint({ baseDir: base });
  assert.notEqual(a.path, b.path);
  assert.equal(dirname(a.path), join(base, `krr-mcp-${process.getuid?.()}`));
  assert.match(a.path, /\/[0-9a-f]{16}\.sock$/);
  assert.equal((await stat(dirname(a.path))).mode & 0o777, 0o700);
  assert.ok(a.isSocketFile);
});

test('Unix: a path over the socket limit is refused with advice', async () => {
  const deep = join(base, 'x'.repeat(MAX_SOCKET_PATH_BYTES));
  await assert.rejects(createIpcEndpoint({ baseDir: deep }), /longer than 99 bytes.*TMPDIR/);
});

test('Windows: a named pipe with a 128-bit random name', async () => {
  const pipe = await createIpcEndpoint({ platform: 'win32' });
  assert.match(pipe.path, /^\\\\\.\\pipe\\krr-mcp-[0-9a-f]{32}$/);
  assert.equal(pipe.isSocketFile, false);
});
