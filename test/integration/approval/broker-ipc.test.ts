import assert from 'node:assert/strict';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { inspect } from 'node:util';
import { after, afterEach, before, test } from 'node:test';
import { z } from 'zod';
import type { BrokerLogEvent } from '../../../src/core/approval/ipc/broker-log.js';
import { ApprovalBroker } from '../../../src/core/approval/ipc/broker.js';
import { brokerProof, isValidProof, newChallenge } from '../../../src/core/approval/ipc/broker-proof.js';
import { BrokerClient } from '../../../src/core/approval/ipc/client.js';
import { BrokerCallError, BrokerError } from '../../../src/core/approval/ipc/errors.js';
import { MAX_MESSAGE_BYTES } from '../../../src/core/approval/ipc/protocol.js';

let baseDir: string;
let broker: ApprovalBroker;
const logs: BrokerLogEvent[] = [];
const clients: BrokerClient[] = [];
const sockets: Socket[] = [];
let neverEndingAborted = false;

before(async () => {
  baseDir = await mkdtemp(join(tmpdir(), 'krr-ipc-'));
  broker = await ApprovalBroker.listen({ baseDir, handshakeTimeoutMs: 300, log: (e) => logs.push(e) });
  broker.handle('add', z.object({ a: z.number(), b: z.number() }), async ({ a, b }) => ({ sum: a + b }));
  broker.handle(
    'echo-later',
    z.object({ value: z.number(), delayMs: z.number() }),
    async ({ value, delayMs }) => {
      await new Promise((r) => setTimeout(r, delayMs));
      return value;
    },
  );
  broker.handle('slow-with-progress', z.object({ steps: z.number().int() }), async ({ steps }, ctx) => {
    for (let i = 1; i <= steps; i++) {
      ctx.progress(`step ${i}/${steps}`);
      await new Promise((r) => setTimeout(r, 5));
    }
    return 'done';
  });
  broker.handle('never-ends', z.object({}), (_params, ctx) => {
    return new Promise((_resolve, reject) =>
      ctx.signal.addEventListener('abort', () => {
        neverEndingAborted = true;
        reject(new Error('aborted'));
      }),
    );
  });
  broker.handle('refuses', z.object({}), async () => {
    throw new BrokerError('approval-rejected', 'the person rejected the plan; do not retry unchanged');
  });
  broker.handle('crashes', z.object({}), async () => {
    throw new Error('/home/someone/secret-path exploded');
  });
  broker.handle('whoami', z.object({}), async (_params, ctx) => ctx.secretKind);
});

afterEach(() => {
  for (const client of clients.splice(0)) client.close();
  for (const socket of sockets.splice(0)) socket.destroy();
});

after(async () => {
  await broker.close();
  await rm(baseDir, { recursive: true, force: true });
});

async function connectClient(secret = broker.issueSecret().secret): Promise<BrokerClient> {
  const client = await BrokerClient.connect(broker.ipcPath, secret, { clientVersion: 'test/1' });
  clients.push(client);
  return client;
}

/** A raw socket for speaking off-protocol; resolves with everything the broker sent once it closes. */
function rawSession(write: (socket: Socket) => void): Promise<{ received: unknown[]; elapsedMs: number }> {
  const socket = connect(broker.ipcPath);
  sockets.push(socket);
  const started = Date.now();
  let text = '';
  socket.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  socket.on('connect', () => write(socket));
  socket.on('error', () => {});
  return new Promise((resolve) =>
    socket.on('close', () =>
      resolve({
        received: text
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as unknown),
        elapsedMs: Date.now() - started,
      }),
    ),
  );
}

async function rejection(promise: Promise<unknown>): Promise<BrokerCallError> {
  const error = await promise.then(
    () => assert.fail('expected a rejection'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof BrokerCallError, String(error));
  return error;
}

test('the socket lives in a 0700 directory and is itself 0600, under 100 bytes', async () => {
  const dirMode = (await stat(dirname(broker.ipcPath))).mode & 0o777;
  const socketStats = await stat(broker.ipcPath);
  assert.equal(dirMode, 0o700);
  assert.ok(socketStats.isSocket());
  assert.equal(socketStats.mode & 0o777, 0o600);
  assert.equal(dirname(broker.ipcPath), join(baseDir, `krr-mcp-${process.getuid?.()}`));
  assert.ok(Buffer.byteLength(broker.ipcPath) < 100);
});

test('a client with an issued secret completes the handshake and calls a method', async () => {
  const client = await connectClient();
  assert.deepEqual(await client.call('add', { a: 2, b: 3 }), { sum: 5 });
  assert.equal(await client.call('whoami', {}), 'per-spawn');
});

test('a wrong secret is refused with a generic answer, counted, and never logged', async () => {
  const before = broker.unauthorizedAttempts;
  const wrong = 'f'.repeat(64);
  const error = await rejection(BrokerClient.connect(broker.ipcPath, wrong));
  assert.equal(error.code, 'unauthorized');
  assert.equal(error.message, 'unauthorized');
  assert.equal(broker.unauthorizedAttempts, before + 1);
  assert.ok(!JSON.stringify(logs).includes(wrong));
  assert.ok(logs.some((e) => e.event === 'unauthorized'));
});

test('a connection that sends no hello is closed after the deadline', async () => {
  const before = broker.unauthorizedAttempts;
  const { received, elapsedMs } = await rawSession(() => {});
  assert.deepEqual(received, [{ type: 'fatal', error: { code: 'unauthorized', message: 'unauthorized' } }]);
  assert.ok(elapsedMs >= 250, `closed after ${elapsedMs} ms`);
  assert.equal(broker.unauthorizedAttempts, before + 1);
});

test('a first message that is not a hello is refused', async () => {
  const { received } = await rawSession((s) =>
    s.write(`${JSON.stringify({ type: 'request', id: 1, method: 'add', params: { a: 1, b: 1 } })}\n`),
  );
  assert.deepEqual(received, [{ type: 'fatal', error: { code: 'unauthorized', message: 'unauthorized' } }]);
});

test('inspecting or serialising the broker shows no secret', () => {
  const { secret } = broker.issueSecret();
  const spaced = secret.slice(0, 8).replace(/(..)(?!$)/g, '$1 ');
  const shown = inspect(broker, { depth: 8, showHidden: true }) + JSON.stringify(broker);
  assert.ok(!shown.includes(secret) && !shown.includes(spaced));
  broker.revokeSecret(secret);
});

test('a per-spawn secret admits one connection, ever', async () => {
  const { secret } = broker.issueSecret();
  const first = await connectClient(secret);
  assert.equal((await rejection(BrokerClient.connect(broker.ipcPath, secret))).code, 'unauthorized');
  first.close();
  await new Promise((r) => setTimeout(r, 20));
  assert.equal((await rejection(BrokerClient.connect(broker.ipcPath, secret))).code, 'unauthorized');
});

test('a standing secret admits connections one at a time until revoked', async () => {
  const { secret } = broker.issueStandingSecret();
  const first = await connectClient(secret);
  assert.equal(await first.call('whoami', {}), 'standing');
  assert.equal((await rejection(BrokerClient.connect(broker.ipcPath, secret))).code, 'unauthorized');
  first.close();
  await new Promise((r) => setTimeout(r, 20));
  const second = await connectClient(secret);
  assert.deepEqual(await second.call('add', { a: 1, b: 1 }), { sum: 2 });
  second.close();
  await new Promise((r) => setTimeout(r, 20));
  broker.revokeSecret(secret);
  assert.equal((await rejection(BrokerClient.connect(broker.ipcPath, secret))).code, 'unauthorized');
});

test('an oversize message closes the connection with an error', async () => {
  const { secret } = broker.issueSecret();
  const { received } = await rawSession((s) => {
    s.write(
      `${JSON.stringify({ type: 'hello', secret, challenge: 'c'.repeat(64), clientVersion: 'raw' })}\n`,
    );
    s.write(Buffer.alloc(MAX_MESSAGE_BYTES + 10, 0x61));
  });
  assert.deepEqual(received[0], {
    type: 'welcome',
    protocolVersion: 2,
    proof: brokerProof(secret, 'c'.repeat(64)),
  });
  assert.deepEqual((received[1] as { error: { code: string } }).error.code, 'message-too-large');
});

test('an oversize hello is refused too', async () => {
  const { received } = await rawSession((s) => s.write(Buffer.alloc(MAX_MESSAGE_BYTES + 10, 0x61)));
  assert.equal((received[0] as { error: { code: string } }).error.code, 'message-too-large');
});

test('the client refuses to send an oversize request', async () => {
  const client = await connectClient();
  const error = await rejection(client.call('add', { a: 'x'.repeat(MAX_MESSAGE_BYTES) }));
  assert.equal(error.code, 'message-too-large');
  assert.deepEqual(await client.call('add', { a: 1, b: 2 }), { sum: 3 }, 'the connection is still usable');
});

test('invalid params and unknown methods fail only that call', async () => {
  const client = await connectClient();
  const invalid = await rejection(client.call('add', { a: 'one', b: 2 }));
  assert.equal(invalid.code, 'invalid-params');
  assert.match(invalid.message, /a:/);
  assert.equal((await rejection(client.call('drop_tables', {}))).code, 'unknown-method');
  assert.deepEqual(await client.call('add', { a: 1, b: 2 }), { sum: 3 });
});

test('handler errors: BrokerError keeps its code, anything else is a generic internal error', async () => {
  const client = await connectClient();
  const refused = await rejection(client.call('refuses', {}));
  assert.equal(refused.code, 'approval-rejected');
  assert.match(refused.message, /rejected/);
  const crashed = await rejection(client.call('crashes', {}));
  assert.equal(crashed.code, 'internal');
  assert.ok(!crashed.message.includes('secret-path'), 'internals do not leak to the client');
});

test('progress notifications reach the caller in order before the reply', async () => {
  const client = await connectClient();
  const progress: string[] = [];
  const result = await client.call(
    'slow-with-progress',
    { steps: 3 },
    { onProgress: (m) => progress.push(m) },
  );
  assert.equal(result, 'done');
  assert.deepEqual(progress, ['step 1/3', 'step 2/3', 'step 3/3']);
});

test('concurrent calls are matched to their replies by id', async () => {
  const client = await connectClient();
  const values = Array.from({ length: 12 }, (_, i) => i);
  // Later calls answer first, so replies arrive in the reverse order of requests.
  const results = await Promise.all(
    values.map((v) => client.call('echo-later', { value: v, delayMs: (12 - v) * 5 })),
  );
  assert.deepEqual(results, values);
});

test('a call that outlives its timeout fails with timeout', async () => {
  const client = await connectClient();
  const error = await rejection(client.call('echo-later', { value: 1, delayMs: 200 }, { timeoutMs: 20 }));
  assert.equal(error.code, 'timeout');
  assert.deepEqual(await client.call('add', { a: 1, b: 1 }), { sum: 2 }, 'a late reply is ignored');
});

test('a dropped connection fails pending calls clearly and aborts the handler', async () => {
  neverEndingAborted = false;
  const client = await connectClient();
  const failed = rejection(client.call('never-ends', {}));
  await new Promise((r) => setTimeout(r, 20));
  client.close();
  const error = await failed;
  assert.equal(error.code, 'connection-closed');
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(neverEndingAborted, true);
  assert.equal((await rejection(client.call('add', { a: 1, b: 1 }))).code, 'connection-closed');
});

test('closing a broker fails its clients’ pending calls and removes the socket', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'krr-ipc2-'));
  const other = await ApprovalBroker.listen({ baseDir: dir });
  try {
    other.handle(
      'wait',
      z.object({}),
      (_p, ctx) => new Promise((_r, reject) => ctx.signal.addEventListener('abort', reject)),
    );
    const client = await BrokerClient.connect(other.ipcPath, other.issueSecret().secret);
    const failed = rejection(client.call('wait', {}));
    await new Promise((r) => setTimeout(r, 20));
    await other.close();
    const error = await failed;
    assert.equal(error.code, 'connection-closed');
    assert.match(error.message, /outcome is unknown/);
    await assert.rejects(stat(other.ipcPath), { code: 'ENOENT' });
  } finally {
    await other.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('an existing socket directory that is too open is tightened to 0700', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'krr-ipc3-'));
  const { mkdir, chmod } = await import('node:fs/promises');
  const socketDir = join(dir, `krr-mcp-${process.getuid?.()}`);
  await mkdir(socketDir);
  await chmod(socketDir, 0o777);
  const other = await ApprovalBroker.listen({ baseDir: dir });
  try {
    assert.equal((await stat(socketDir)).mode & 0o777, 0o700);
  } finally {
    await other.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('the client reports an unreachable broker and a broker that never answers the hello', async () => {
  const missing = await rejection(BrokerClient.connect(join(baseDir, 'nothing-here.sock'), 'a'.repeat(64)));
  assert.equal(missing.code, 'connection-closed');
  const silentPath = join(baseDir, 'silent.sock');
  const silent = createServer((socket) => socket.resume()); // reads, never answers
  await new Promise<void>((resolve) => silent.listen(silentPath, resolve));
  try {
    const error = await rejection(
      BrokerClient.connect(silentPath, 'a'.repeat(64), { handshakeTimeoutMs: 50 }),
    );
    assert.equal(error.code, 'timeout');
  } finally {
    await new Promise((resolve) => silent.close(resolve));
  }
});

test('a listener that cannot prove it holds the secret is not trusted, whatever it answers', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'krr-fake-'));
  const path = join(dir, 'fake.sock');
  // Answers every hello with a welcome, as a process posing as the authority would.
  const fake = createServer((socket) =>
    socket.once('data', () =>
      socket.write(`${JSON.stringify({ type: 'welcome', protocolVersion: 2, proof: 'f'.repeat(64) })}\n`),
    ),
  );
  await new Promise<void>((resolve) => fake.listen(path, resolve));
  try {
    const error = await rejection(BrokerClient.connect(path, 'a'.repeat(64)));
    assert.equal(error.code, 'unverified');
    assert.match(error.message, /did not prove it holds the secret/);
  } finally {
    fake.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('the proof is bound to the challenge: a replayed welcome does not verify', () => {
  const secret = 'b'.repeat(64);
  const first = newChallenge();
  const proof = brokerProof(secret, first);
  assert.ok(isValidProof(secret, first, proof));
  assert.ok(!isValidProof(secret, newChallenge(), proof));
  assert.ok(!isValidProof('c'.repeat(64), first, proof));
});
