import { constants } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { toJsonValue, type JsonValue } from './canonical-json.js';
import { GENESIS_HASH, sealRecord, serializeRecord } from './chain.js';
import { fsyncDirectory } from '../durable-file.js';
import { AuditLogError } from './errors.js';
import { prepareLogDirectory, restrictLogFile } from './file-permissions.js';
import { AuditEntrySchema, type AuditEntry, type AuditRecord } from './record.js';
import { redactSecrets } from './redact.js';
import { recoverTail, type ChainHead, type TornTailRecovery } from './tail-recovery.js';
import { WriterLock } from './writer-lock.js';

export interface AuditLogOptions {
  /** The clock stamped on records; tests pin it. */
  now?: () => Date;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

type PreparedEntry = Pick<AuditRecord, 'operation' | 'status' | 'actor' | 'namespace' | 'details'>;

/**
 * Validated, copied and redacted when append() is called, not when its turn comes: a caller that
 * changes its details object afterwards must not change what gets recorded.
 */
function prepareEntry(entry: AuditEntry): PreparedEntry {
  const parsed = AuditEntrySchema.safeParse(entry);
  if (!parsed.success) throw new AuditLogError(`invalid audit entry: ${z.prettifyError(parsed.error)}`);
  const { operation, status, actor, namespace, details } = parsed.data;
  return {
    operation,
    status,
    ...(actor !== undefined ? { actor } : {}),
    ...(namespace !== undefined ? { namespace } : {}),
    details: redactSecrets(toJsonValue(details ?? {})) as Record<string, JsonValue>,
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The append-only, hash-chained audit log, held by its one writer. Each append is a single write()
 * of the whole line followed by fsync, one at a time, so the file only ever grows by whole records
 * and an append that resolved is on disk.
 */
export class AuditLog {
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  /** Set when the file may no longer end on a record boundary; nothing more is appended after it. */
  private broken: Error | undefined;

  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
    private readonly lock: WriterLock,
    private head: ChainHead,
    private size: number,
    /** Set when open() found the last line torn by a crash and moved it aside. */
    readonly recovered: TornTailRecovery | undefined,
    private readonly now: () => Date,
  ) {}

  static async open(path: string, options: AuditLogOptions = {}): Promise<AuditLog> {
    const now = options.now ?? (() => new Date());
    const dir = dirname(path);
    await prepareLogDirectory(dir);
    const lock = await WriterLock.acquire(`${path}.lock`);
    try {
      const created = !(await exists(path));
      const handle = await open(path, constants.O_RDWR | constants.O_CREAT | constants.O_APPEND, 0o600);
      try {
        await restrictLogFile(handle, path);
        if (created) await fsyncDirectory(dir);
        const tail = await recoverTail(handle, path, now());
        const head = tail.head ?? { seq: 0, hash: GENESIS_HASH };
        return new AuditLog(path, handle, lock, head, tail.size, tail.recovered, now);
      } catch (error) {
        await handle.close();
        throw error;
      }
    } catch (error) {
      await lock.release();
      throw error;
    }
  }

  /** seq and hash of the newest record (seq 0 and the genesis hash for an empty log). */
  get lastRecord(): ChainHead {
    return { ...this.head };
  }

  /** Appends one record; resolves once it is fsync'd. Appends are written in the order they were called. */
  append(entry: AuditEntry): Promise<AuditRecord> {
    if (this.closed) return Promise.reject(new AuditLogError(`the audit log ${this.path} is closed`));
    let prepared: PreparedEntry;
    try {
      prepared = prepareEntry(entry);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    const written = this.queue.then(() => this.write(prepared));
    this.queue = written.catch(() => undefined);
    return written;
  }

  /** Resolves when every append called so far has settled (readers use it to see their own writes). */
  async idle(): Promise<void> {
    await this.queue;
  }

  /** Lets the appends already called finish, then releases the file and the lock. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue;
    await this.handle.close();
    await this.lock.release();
  }

  private async write(entry: PreparedEntry): Promise<AuditRecord> {
    if (this.broken) {
      throw new AuditLogError(
        `the audit log ${this.path} refuses further records after a failed write (${this.broken.message}); reopen it`,
      );
    }
    const record = sealRecord({
      seq: this.head.seq + 1,
      time: this.now().toISOString(),
      ...entry,
      prevHash: this.head.hash,
    });
    const line = Buffer.from(serializeRecord(record), 'utf8');
    await this.writeLine(line);
    try {
      await this.handle.sync();
    } catch (error) {
      // After a failed fsync the kernel may have dropped the dirty pages: whether the line is on disk
      // is unknown, so retrying or appending more could chain from a record that does not exist.
      this.broken = error instanceof Error ? error : new Error(String(error));
      throw new AuditLogError(`could not fsync the audit log ${this.path}: ${describe(error)}`);
    }
    this.size += line.length;
    this.head = { seq: record.seq, hash: record.hash };
    return record;
  }

  private async writeLine(line: Buffer): Promise<void> {
    try {
      const { bytesWritten } = await this.handle.write(line, 0, line.length, null);
      if (bytesWritten !== line.length)
        throw new Error(`short write: ${bytesWritten} of ${line.length} bytes (disk full?)`);
    } catch (error) {
      // Cut a partial line off again so the next record does not land in the middle of it.
      try {
        await this.handle.truncate(this.size);
      } catch {
        this.broken = error instanceof Error ? error : new Error(String(error));
      }
      throw new AuditLogError(`could not append to the audit log ${this.path}: ${describe(error)}`);
    }
  }
}
