import type { Stats } from 'node:fs';
import { chmod, lstat, mkdir } from 'node:fs/promises';

/**
 * Owner-only directories and files. On Windows, modes and uids mean nothing: the pipe's random name plus
 * the secret handshake protect the channel there, so these checks pass.
 */
const IS_POSIX = process.platform !== 'win32';

export function currentUid(): number | undefined {
  return typeof process.getuid === 'function' ? process.getuid() : undefined;
}

/** Why a path is not private to this user, or undefined when it is. */
export function privacyProblem(stats: Stats, expected: 'directory' | 'file'): string | undefined {
  if (stats.isSymbolicLink()) return 'is a symbolic link';
  if (expected === 'directory' ? !stats.isDirectory() : !stats.isFile()) return `is not a ${expected}`;
  if (!IS_POSIX) return undefined;
  const uid = currentUid();
  if (uid !== undefined && stats.uid !== uid) return `is owned by uid ${stats.uid}, not ${uid}`;
  if ((stats.mode & 0o077) !== 0)
    return `has mode ${(stats.mode & 0o777).toString(8)}; group or others can access it`;
  return undefined;
}

/**
 * Creates `path` (and missing parents) with mode 0700, or tightens an existing directory this user owns
 * to 0700. Refuses a symlink or a directory owned by someone else: another user could replace files in it.
 */
export async function ensurePrivateDir(path: string): Promise<void> {
  await mkdir(path, { recursive: true, mode: 0o700 });
  const stats = await lstat(path);
  if (stats.isSymbolicLink() || !stats.isDirectory()) {
    throw new Error(`${path} is not a plain directory; refusing to use it for private files`);
  }
  const uid = currentUid();
  if (IS_POSIX && uid !== undefined && stats.uid !== uid) {
    throw new Error(`${path} is owned by uid ${stats.uid}, not by this user (${uid}); refusing to use it`);
  }
  // A mode left open by an older version or a permissive umask is fixed rather than refused: the
  // directory is ours, and its contents are re-checked when read.
  if (IS_POSIX && (stats.mode & 0o777) !== 0o700) await chmod(path, 0o700);
}
