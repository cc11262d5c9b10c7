import { writeFileDurably } from '../durable-file.js';
import { randomBytes } from 'node:crypto';
import { lstat, readdir, readFile, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { ensurePrivateDir, privacyProblem } from './private-dir.js';
import { processOwnsSocket } from './socket-owner.js';

/**
 * How a `krr-mcp serve` started outside VS Code (a terminal agent, another editor) finds a running
 * extension's approval broker: a descriptor file per broker in a per-user directory only that user can
 * read. The secret in it is a standing secret (see SecretRegistry for the trade-off).
 */
export const brokerDescriptorSchema = z.object({
  pid: z.number().int().positive(),
  ipcPath: z.string().min(1),
  secret: z.string().regex(/^[0-9a-f]{64}$/),
  /** ISO 8601. */
  createdAt: z.string(),
  /** The kubeconfig context and API server the extension is working with, so a server can pick. */
  context: z.string(),
  server: z.string(),
});

export type BrokerDescriptor = z.infer<typeof brokerDescriptorSchema>;

export interface PublishedDescriptor {
  path: string;
  /** Removes the file; call it when the broker closes (idempotent). */
  dispose(): Promise<void>;
}

const DESCRIPTOR_PREFIX = 'broker-';
const DESCRIPTOR_SUFFIX = '.json';

/** `$KRR_MCP_STATE_DIR`, else `~/.krr-mcp`. */
export function defaultStateDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.KRR_MCP_STATE_DIR || join(homedir(), '.krr-mcp');
}

export function brokersDir(stateDir: string): string {
  return join(stateDir, 'brokers');
}

/**
 * Writes the descriptor atomically (temp file, fsync, rename), mode 0600 in a 0700 directory, so a
 * reader never sees half a file and never a readable secret.
 */
export async function publishBrokerDescriptor(
  stateDir: string,
  descriptor: BrokerDescriptor,
): Promise<PublishedDescriptor> {
  const valid = brokerDescriptorSchema.parse(descriptor);
  const dir = brokersDir(stateDir);
  await ensurePrivateDir(stateDir);
  await ensurePrivateDir(dir);
  const name = `${DESCRIPTOR_PREFIX}${valid.pid}-${randomBytes(6).toString('hex')}${DESCRIPTOR_SUFFIX}`;
  const path = join(dir, name);
  // writeFileDurably creates its temp file exclusively ('wx'), so a planted file is never written through.
  await writeFileDurably(path, JSON.stringify(valid), 0o600);
  let disposed = false;
  return {
    path,
    dispose: async () => {
      if (disposed) return;
      disposed = true;
      await rm(path, { force: true });
    },
  };
}

export interface FindBrokerOptions {
  /** Told why a directory or descriptor was refused (never its secret). */
  warn?: (message: string) => void;
  /** Injectable for tests; default: signal 0 says the process exists. */
  isAlive?: (pid: number) => boolean;
  /** Injectable for tests; default: /proc says whether the pid listens on the socket (undefined: cannot tell). */
  ownsSocket?: (pid: number, ipcPath: string) => Promise<boolean | undefined>;
  now?: () => number;
}

/** Clocks of processes on one machine agree; a descriptor from the future was written to win the sort. */
const CLOCK_SKEW_MS = 5_000;

/**
 * The newest descriptor whose process is alive, listens on the descriptor's socket, and whose directory and
 * file are still private to this user; undefined when there is none. A descriptor others could read is
 * refused (its secret may be known), and so is one dated in the future (it was written to be picked first).
 * The broker must still prove it holds the secret when the client connects (broker-proof.ts).
 */
export async function findBroker(
  stateDir: string,
  options: FindBrokerOptions = {},
): Promise<BrokerDescriptor | undefined> {
  const warn = options.warn ?? (() => {});
  const isAlive = options.isAlive ?? processIsAlive;
  const ownsSocket = options.ownsSocket ?? processOwnsSocket;
  const now = (options.now ?? Date.now)();
  const dir = brokersDir(stateDir);
  const dirStats = await lstat(dir).catch(() => undefined);
  if (!dirStats) return undefined;
  const dirProblem = privacyProblem(dirStats, 'directory');
  if (dirProblem) {
    warn(`ignoring broker descriptors in ${dir}: the directory ${dirProblem}`);
    return undefined;
  }
  const found: BrokerDescriptor[] = [];
  for (const name of await readdir(dir)) {
    if (!name.startsWith(DESCRIPTOR_PREFIX) || !name.endsWith(DESCRIPTOR_SUFFIX)) continue;
    const path = join(dir, name);
    const descriptor = await readDescriptor(path, warn);
    if (!descriptor || !isAlive(descriptor.pid)) continue;
    const created = Date.parse(descriptor.createdAt);
    if (!Number.isFinite(created) || created > now + CLOCK_SKEW_MS) {
      warn(`ignoring broker descriptor ${path}: it is dated ${descriptor.createdAt}, in the future`);
      continue;
    }
    if ((await ownsSocket(descriptor.pid, descriptor.ipcPath)) === false) {
      warn(
        `ignoring broker descriptor ${path}: process ${descriptor.pid} does not listen on ${descriptor.ipcPath}`,
      );
      continue;
    }
    found.push(descriptor);
  }
  return found.sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt))[0];
}

async function readDescriptor(
  path: string,
  warn: (message: string) => void,
): Promise<BrokerDescriptor | undefined> {
  const stats = await lstat(path).catch(() => undefined);
  if (!stats) return undefined; // removed since readdir
  const problem = privacyProblem(stats, 'file');
  if (problem) {
    warn(`ignoring broker descriptor ${path}: it ${problem}`);
    return undefined;
  }
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    warn(`ignoring broker descriptor ${path}: not JSON`);
    return undefined;
  }
  const parsed = brokerDescriptorSchema.safeParse(json);
  if (!parsed.success) {
    warn(`ignoring broker descriptor ${path}: unexpected content`);
    return undefined;
  }
  return parsed.data;
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    // ESRCH: gone. EPERM: the pid was reused by another user's process, so not the one that wrote this.
    return false;
  }
}
