// Opens the demo in VS Code: code-server (a browser tab) or the desktop editor, each on a throw-away profile with
// the extension installed, in its own process group so that stopping the demo also ends the extension host and the
// MCP servers it spawned.

import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { EditorProfile } from './editor-profile.js';
import type { EditorCommand } from './prerequisites.js';

export interface RunningEditor {
  kind: EditorCommand['kind'];
  /** code-server: where to point the browser (the workspace already open). */
  url?: string;
  /** code-server: the login password (random per demo). */
  password?: string;
  /** Resolves when the editor process exits by itself (the window closed, code-server died). */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

const HEALTH_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 5_000;

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

function supervise(child: ChildProcess): Pick<RunningEditor, 'exited' | 'stop'> {
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // A demo that dies (a crash, a second ^C) must not leave an editor behind.
  const onExit = (): void => killGroup(child, 'SIGKILL');
  process.on('exit', onExit);
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      killGroup(child, 'SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, STOP_GRACE_MS).unref())]);
      // The main process may be gone while the extension host or an MCP server lingers.
      killGroup(child, 'SIGKILL');
      process.removeListener('exit', onExit);
    })());
  return { exited, stop };
}

export async function openEditor(options: {
  editor: EditorCommand;
  profile: EditorProfile;
  env: Record<string, string>;
  /** code-server's port; 0 picks a free one. */
  port: number;
  dir: string;
  onOutput?: (text: string) => void;
}): Promise<RunningEditor> {
  const { editor, profile } = options;
  const path = `${editor.pathPrefix ? `${editor.pathPrefix}:` : ''}${process.env.PATH ?? '/usr/bin:/bin'}`;
  const env = { ...process.env, ...options.env, PATH: path };
  if (editor.kind === 'code') {
    // A separate user-data-dir makes a separate VS Code instance, which gets this environment.
    const child = spawn(
      editor.command,
      [
        ...editor.args,
        '--new-window',
        '--wait',
        '--user-data-dir',
        profile.userDataDir,
        '--extensions-dir',
        profile.extensionsDir,
        profile.workspace,
      ],
      { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env },
    );
    child.stdout?.on('data', (c: Buffer) => options.onOutput?.(String(c)));
    child.stderr?.on('data', (c: Buffer) => options.onOutput?.(String(c)));
    return { kind: 'code', ...supervise(child) };
  }

  const port = options.port || (await freePort());
  const password = randomBytes(12).toString('base64url');
  const config = join(options.dir, 'code-server.yaml');
  writeFileSync(config, 'auth: password\ncert: false\n', { mode: 0o600 });
  const child = spawn(
    editor.command,
    [
      ...editor.args,
      '--config',
      config,
      '--user-data-dir',
      profile.userDataDir,
      '--extensions-dir',
      profile.extensionsDir,
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      profile.workspace,
    ],
    {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      // The password goes in the environment (code-server reads $PASSWORD), never in arguments.
      env: { ...env, HOME: profile.home, PASSWORD: password },
    },
  );
  let output = '';
  const collect = (c: Buffer): void => {
    output += String(c);
    options.onOutput?.(String(c));
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const supervised = supervise(child);
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(url, supervised.exited, () => output);
  } catch (error) {
    await supervised.stop();
    throw error;
  }
  return {
    kind: 'code-server',
    url: `${url}/?folder=${encodeURIComponent(profile.workspace)}`,
    password,
    ...supervised,
  };
}

async function waitForHealth(
  url: string,
  exited: Promise<number | null>,
  output: () => string,
): Promise<void> {
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`code-server exited (${exitCode}):\n${output()}`);
    try {
      const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`code-server did not answer on ${url} within ${HEALTH_TIMEOUT_MS / 1000} s:\n${output()}`);
}
