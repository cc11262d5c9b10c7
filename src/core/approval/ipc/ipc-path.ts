import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { currentUid, ensurePrivateDir } from '../private-dir.js';

/** sun_path is 104 bytes on macOS and 108 on Linux, including the terminating NUL. */
export const MAX_SOCKET_PATH_BYTES = 99;

export interface IpcEndpoint {
  /** What `net.Server.listen` and `net.connect` take. */
  path: string;
  /** Whether `path` is a Unix socket file that must be removed after closing. */
  isSocketFile: boolean;
}

/**
 * A fresh, unguessable endpoint. On Unix: a socket with a random name in `<base>/krr-mcp-<uid>/`
 * (mode 0700, so only this user can connect), base being `$XDG_RUNTIME_DIR` or the temp directory.
 * On Windows: a named pipe with a random name; pipes get a default ACL that is not private, which is
 * why the secret handshake exists.
 */
export async function createIpcEndpoint(
  options: { baseDir?: string; platform?: NodeJS.Platform } = {},
): Promise<IpcEndpoint> {
  const name = randomBytes(8).toString('hex');
  if ((options.platform ?? process.platform) === 'win32') {
    return { path: `\\\\.\\pipe\\krr-mcp-${randomBytes(16).toString('hex')}`, isSocketFile: false };
  }
  const bases = options.baseDir ? [options.baseDir] : defaultBaseDirs();
  const dirs = bases.map((base) => join(base, `krr-mcp-${currentUid() ?? 'user'}`));
  const dir = dirs.find((d) => Buffer.byteLength(join(d, `${name}.sock`)) <= MAX_SOCKET_PATH_BYTES);
  if (!dir) {
    throw new Error(
      `the approval socket would need a path longer than ${MAX_SOCKET_PATH_BYTES} bytes, the limit for Unix sockets, under ${bases.join(' or ')}; set TMPDIR to a shorter directory`,
    );
  }
  await ensurePrivateDir(dir);
  return { path: join(dir, `${name}.sock`), isSocketFile: true };
}

/** XDG_RUNTIME_DIR is per-user and cleared at logout; the temp directory is the fallback. */
function defaultBaseDirs(): string[] {
  const runtime = process.env.XDG_RUNTIME_DIR;
  return runtime && existsSync(runtime) ? [runtime, tmpdir()] : [tmpdir()];
}
