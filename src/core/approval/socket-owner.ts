import { readdir, readFile, readlink } from 'node:fs/promises';

/**
 * Whether process `pid` holds the listening Unix socket at `path` (Linux: /proc/net/unix names the socket's
 * inode, /proc/<pid>/fd links to it). undefined where /proc cannot tell (macOS, Windows named pipes): the
 * broker's proof of the secret is then the only check.
 */
export async function processOwnsSocket(pid: number, path: string): Promise<boolean | undefined> {
  if (process.platform !== 'linux') return undefined;
  const table = await readFile('/proc/net/unix', 'utf8').catch(() => undefined);
  if (table === undefined) return undefined;
  const inodes = new Set<string>();
  for (const line of table.split('\n').slice(1)) {
    // Num RefCount Protocol Flags Type St Inode Path
    const fields = line.trim().split(/\s+/);
    if (fields.length >= 8 && fields.slice(7).join(' ') === path) inodes.add(fields[6]!);
  }
  if (inodes.size === 0) return false;
  const fds = await readdir(`/proc/${pid}/fd`).catch(() => undefined);
  if (!fds) return false;
  for (const fd of fds) {
    const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
    const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
    if (inode && inodes.has(inode)) return true;
  }
  return false;
}
