import { randomBytes } from 'node:crypto';
import { link, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { AuditLogError, AuditLogLockedError } from './errors.js';

/** A lock file younger than this with no pid in it is probably being written right now. */
const FRESH_EMPTY_LOCK_MS = 2000;
/** Enough 20 ms waits to outlast FRESH_EMPTY_LOCK_MS. */
const ATTEMPTS = 150;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else, which still makes it a live writer.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid in a lock file; undefined when it holds none (yet), null when the file is gone. */
async function readOwner(lockPath: string): Promise<number | undefined | null> {
  try {
    const text = (await readFile(lockPath, 'utf8')).trim();
    return /^\d+$/.test(text) ? Number(text) : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

async function ageMs(path: string): Promise<number> {
  try {
    return Date.now() - (await stat(path)).mtimeMs;
  } catch {
    return 0;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The single-writer lock of an audit log: a file created with O_EXCL that holds the writer's pid.
 * A lock left by a dead process is taken over; a live one (this process included) is refused.
 */
export class WriterLock {
  private constructor(
    readonly path: string,
    readonly pid: number,
  ) {}

  static async acquire(lockPath: string): Promise<WriterLock> {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      if (await WriterLock.tryCreate(lockPath)) return new WriterLock(lockPath, process.pid);
      const owner = await readOwner(lockPath);
      if (owner === null) continue; // released between our create and our read
      if (owner === undefined && (await ageMs(lockPath)) < FRESH_EMPTY_LOCK_MS) {
        await sleep(20);
        continue;
      }
      if (owner !== undefined && isAlive(owner)) throw new AuditLogLockedError(owner, lockPath);
      await WriterLock.takeOverStale(lockPath, owner);
    }
    throw new AuditLogError(`could not take the audit log lock ${lockPath}: it keeps changing hands`);
  }

  private static async tryCreate(lockPath: string): Promise<boolean> {
    let handle;
    try {
      handle = await open(lockPath, 'wx', 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    }
    try {
      await handle.writeFile(`${process.pid}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    return true;
  }

  /**
   * Two processes can find the same stale lock at once. Each renames it to a private name first and
   * looks at what it actually moved: if that is a live owner's lock (the other process got there first),
   * it is put back, so at most one of them ends up holding the lock.
   */
  private static async takeOverStale(lockPath: string, staleOwner: number | undefined): Promise<void> {
    const aside = `${lockPath}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
    try {
      await rename(lockPath, aside);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    const moved = await readOwner(aside);
    if (typeof moved === 'number' && moved !== staleOwner && isAlive(moved)) {
      await link(aside, lockPath).catch(() => undefined);
      await rm(aside, { force: true });
      throw new AuditLogLockedError(moved, lockPath);
    }
    await rm(aside, { force: true });
  }

  /** Removes the lock only if it is still ours (an operator may have deleted and someone re-taken it). */
  async release(): Promise<void> {
    if ((await readOwner(this.path)) === this.pid) await rm(this.path, { force: true });
  }
}
