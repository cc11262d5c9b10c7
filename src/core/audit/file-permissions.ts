import { realpathSync, type Stats } from 'node:fs';
import { chmod, mkdir, stat, type FileHandle } from 'node:fs/promises';
import { homedir } from 'node:os';
import { AuditLogError } from './errors.js';

/** Only the owner may read or write the log: it names clusters, namespaces and what was changed. */
const PRIVATE_FILE_MODE = 0o600;
const PRIVATE_DIR_MODE = 0o700;
const GROUP_OR_OTHER_WRITABLE = 0o022;
/** /tmp and the like: shared on purpose, never ours to lock down. */
const STICKY_BIT = 0o1000;

async function statOrUndefined(path: string): Promise<Stats | undefined> {
  try {
    return await stat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function samePath(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}

/**
 * A directory someone else could write into lets them swap the log or its lock for their own file,
 * so it is tightened, but only when that cannot hurt: it must be ours, not shared on purpose (sticky)
 * and not a home directory (KRR_MCP_AUDIT_LOG=~/audit.jsonl must not lock the person out of theirs).
 */
function mayTighten(dir: string, existing: Stats, env: NodeJS.ProcessEnv): boolean {
  if ((existing.mode & GROUP_OR_OTHER_WRITABLE) === 0) return false;
  if ((existing.mode & STICKY_BIT) !== 0) return false;
  if (existing.uid !== process.getuid?.()) return false;
  const homes = [homedir(), env.HOME].filter((home): home is string => Boolean(home));
  return !homes.some((home) => samePath(dir, home));
}

/**
 * Makes the log's directory: created 0700, or an existing one that others can write tightened to
 * 0700 when that is safe (see mayTighten).
 */
export async function prepareLogDirectory(dir: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const existing = await statOrUndefined(dir);
  await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  // Windows has no mode bits to speak of; its ACLs are inherited from the user's profile.
  if (process.platform === 'win32') return;
  // mkdir's mode is filtered by the umask, hence the explicit chmod even for a directory we created.
  if (!existing || mayTighten(dir, existing, env)) await chmod(dir, PRIVATE_DIR_MODE);
}

/**
 * The log is 0600: a new one whatever the umask, and an existing one that is group- or
 * world-readable (0644 from an older version, a copy, an editor) is corrected each time it is
 * opened. When that is not possible (another user owns the file), the log is refused: the
 * alternative is writing approvals into a file others can read.
 */
export async function restrictLogFile(handle: FileHandle, path: string): Promise<void> {
  if (process.platform === 'win32') return;
  const mode = (await handle.stat()).mode & 0o777;
  // Exactly 0600, not just "nothing for others": a log created under a strict umask (0400) must
  // still be writable by its owner when it is next opened.
  if (mode === PRIVATE_FILE_MODE) return;
  try {
    await handle.chmod(PRIVATE_FILE_MODE);
  } catch (error) {
    throw new AuditLogError(
      `the audit log ${path} has mode 0${mode.toString(8)} and could not be made 0600: ${(error as Error).message}`,
    );
  }
}
