import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmod, chown, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  brokersDir,
  defaultStateDir,
  findBroker,
  publishBrokerDescriptor,
  type BrokerDescriptor,
} from '../../../src/core/approval/broker-descriptor.js';
import { ApprovalBroker } from '../../../src/core/approval/ipc/broker.js';
import { processOwnsSocket } from '../../../src/core/approval/socket-owner.js';

let root: string;
let counter = 0;

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'krr-desc-'));
});

after(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A fresh state directory per test, so tests do not see each other's descriptors. */
function stateDir(): string {
  return join(root, `state-${++counter}`, '.krr-mcp');
}

const descriptor = (overrides: Partial<BrokerDescriptor> = {}): BrokerDescriptor => ({
  pid: process.pid,
  ipcPath: '/tmp/krr-mcp-0/abc.sock',
  secret: 'a'.repeat(64),
  createdAt: new Date().toISOString(),
  context: 'prod',
  server: 'https://10.0.0.1:6443',
  ...overrides,
});

const mode = async (path: string) => (await stat(path)).mode & 0o777;

/** These descriptors name sockets nobody listens on: the socket-owner check is tested on its own below. */
const find = (dir: string, options: Parameters<typeof findBroker>[1] = {}) =>
  findBroker(dir, { ownsSocket: async () => true, ...options });

test('the state directory is $KRR_MCP_STATE_DIR, else ~/.krr-mcp', () => {
  assert.equal(defaultStateDir({ KRR_MCP_STATE_DIR: '/x/y' }), '/x/y');
  assert.match(defaultStateDir({}), /\.krr-mcp$/);
});

test('publishing writes a 0600 file in 0700 directories, and dispose removes it', async () => {
  const dir = stateDir();
  const published = await publishBrokerDescriptor(dir, descriptor());
  assert.equal(await mode(dir), 0o700);
  assert.equal(await mode(brokersDir(dir)), 0o700);
  assert.equal(await mode(published.path), 0o600);
  assert.deepEqual(
    JSON.parse(await readFile(published.path, 'utf8')),
    descriptor({ createdAt: JSON.parse(await readFile(published.path, 'utf8')).createdAt }),
  );
  assert.deepEqual(await readdir(brokersDir(dir)), [published.path.split('/').pop()], 'no temp file is left');
  assert.deepEqual(await find(dir), JSON.parse(await readFile(published.path, 'utf8')));
  await published.dispose();
  await published.dispose();
  assert.deepEqual(await readdir(brokersDir(dir)), []);
  assert.equal(await find(dir), undefined);
});

test('no state directory means no broker', async () => {
  assert.equal(await find(stateDir()), undefined);
});

test('a reader racing many writers never sees a partial descriptor', async () => {
  const dir = stateDir();
  const warnings: string[] = [];
  const writes = Promise.all(
    Array.from({ length: 40 }, (_, i) =>
      publishBrokerDescriptor(dir, descriptor({ ipcPath: `/tmp/${'x'.repeat(2000)}${i}.sock` })),
    ),
  );
  let reads = 0;
  let done = false;
  void writes.then(() => (done = true));
  while (!done) {
    await find(dir, { warn: (m) => warnings.push(m) }).catch(() => undefined);
    reads++;
  }
  await writes;
  assert.deepEqual(warnings, []);
  assert.ok(reads > 0);
});

test('the newest live descriptor wins; dead processes are ignored', async () => {
  const dir = stateDir();
  const dead = spawnSync(process.execPath, ['-e', '0']).pid;
  assert.ok(dead);
  await publishBrokerDescriptor(dir, descriptor({ context: 'old', createdAt: '2026-01-01T00:00:00.000Z' }));
  await publishBrokerDescriptor(dir, descriptor({ context: 'new', createdAt: '2026-01-02T00:00:00.000Z' }));
  await publishBrokerDescriptor(
    dir,
    descriptor({ context: 'dead', pid: dead, createdAt: '2026-01-03T00:00:00.000Z' }),
  );
  assert.equal((await find(dir))?.context, 'new');
  assert.equal(await find(dir, { isAlive: () => false }), undefined);
});

test('a group- or world-readable descriptor is refused with a warning that hides the secret', async () => {
  const dir = stateDir();
  const published = await publishBrokerDescriptor(dir, descriptor({ secret: 'b'.repeat(64) }));
  for (const loose of [0o644, 0o640, 0o604]) {
    await chmod(published.path, loose);
    const warnings: string[] = [];
    assert.equal(await find(dir, { warn: (m) => warnings.push(m) }), undefined);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? '', /group or others/);
    assert.ok(!warnings[0]?.includes('b'.repeat(64)));
  }
});

test('a directory others can read is refused as a whole', async () => {
  const dir = stateDir();
  await publishBrokerDescriptor(dir, descriptor());
  await chmod(brokersDir(dir), 0o755);
  const warnings: string[] = [];
  assert.equal(await find(dir, { warn: (m) => warnings.push(m) }), undefined);
  assert.match(warnings[0] ?? '', /directory has mode 755/);
});

test('publishing again tightens a loosened directory', async () => {
  const dir = stateDir();
  await publishBrokerDescriptor(dir, descriptor());
  await chmod(brokersDir(dir), 0o755);
  await publishBrokerDescriptor(dir, descriptor());
  assert.equal(await mode(brokersDir(dir)), 0o700);
});

test(
  'a descriptor owned by another user is refused',
  { skip: process.getuid?.() !== 0 && 'needs root to chown' },
  async () => {
    const dir = stateDir();
    const published = await publishBrokerDescriptor(dir, descriptor());
    await chown(published.path, 12345, 12345);
    const warnings: string[] = [];
    assert.equal(await find(dir, { warn: (m) => warnings.push(m) }), undefined);
    assert.match(warnings[0] ?? '', /owned by uid 12345/);
  },
);

test('symlinks and malformed files are refused', async () => {
  const dir = stateDir();
  const published = await publishBrokerDescriptor(dir, descriptor());
  await rm(published.path);
  const elsewhere = join(root, 'elsewhere.json');
  await writeFile(elsewhere, JSON.stringify(descriptor()), { mode: 0o600 });
  await symlink(elsewhere, join(brokersDir(dir), 'broker-1-link.json'));
  await writeFile(join(brokersDir(dir), 'broker-2-bad.json'), '{not json', { mode: 0o600 });
  await writeFile(join(brokersDir(dir), 'broker-3-bad.json'), JSON.stringify({ pid: 'x' }), { mode: 0o600 });
  const warnings: string[] = [];
  assert.equal(await find(dir, { warn: (m) => warnings.push(m) }), undefined);
  assert.equal(warnings.length, 3);
  assert.ok(warnings.some((w) => /symbolic link/.test(w)));
});

test('an invalid descriptor is never published', async () => {
  await assert.rejects(publishBrokerDescriptor(stateDir(), descriptor({ secret: 'short' })));
});

test('a descriptor dated in the future is refused (it was written to be picked first)', async () => {
  const dir = stateDir();
  await publishBrokerDescriptor(dir, descriptor({ context: 'real' }));
  await publishBrokerDescriptor(
    dir,
    descriptor({ context: 'planted', createdAt: new Date(Date.now() + 3600_000).toISOString() }),
  );
  const warnings: string[] = [];
  assert.equal((await find(dir, { warn: (m) => warnings.push(m) }))?.context, 'real');
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /is dated .* in the future/);
  assert.doesNotMatch(warnings[0]!, /aaaa/, 'never the secret');
});

test('a descriptor whose process does not listen on its socket is refused; the real broker is found', async () => {
  const dir = stateDir();
  const broker = await ApprovalBroker.listen({ baseDir: root });
  try {
    await publishBrokerDescriptor(
      dir,
      descriptor({ context: 'real', ipcPath: broker.ipcPath, createdAt: '2026-01-01T00:00:00.000Z' }),
    );
    // Newer, and naming a live process (ours), but a socket that process does not hold.
    await publishBrokerDescriptor(
      dir,
      descriptor({ context: 'planted', ipcPath: join(root, 'planted.sock') }),
    );
    const warnings: string[] = [];
    const found = await findBroker(dir, { warn: (m) => warnings.push(m) });
    if (process.platform === 'linux') {
      assert.equal(found?.context, 'real');
      assert.ok(
        warnings.some((w) => /does not listen on .*planted\.sock/.test(w)),
        warnings.join('\n'),
      );
      assert.equal(await processOwnsSocket(process.pid, broker.ipcPath), true);
      assert.equal(await processOwnsSocket(process.pid, join(root, 'planted.sock')), false);
    }
  } finally {
    await broker.close();
  }
});
