// A real VS Code (code-server 4.139.1 on Node 24, see scripts/install-e2e-dependencies.sh) with the built
// extension unpacked into its own extensions dir. Everything it writes lives in one temp dir; it runs in its
// own process group so that stop() also ends the extension host and the MCP servers it spawned.

import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../../src/demo/demo-editor.js';
import { createEditorProfile } from '../../../src/demo/editor-profile.js';
import { ARTIFACTS_DIR, e2ePaths, removeOnExit, REPO_ROOT } from './e2e-paths.js';

export interface CodeServerOptions {
  /** Extra environment for code-server and so for the extension host (KUBECONFIG, KRR_MCP_STATE_DIR, …). */
  env?: Record<string, string>;
  /** User settings, merged over the quiet defaults below. */
  settings?: Record<string, unknown>;
  /** Files to create in the workspace folder (relative path → content). */
  workspaceFiles?: Record<string, string>;
  /** On stop, code-server's output and VS Code's logs are copied to `test-artifacts/e2e/<name>/`. */
  artifactsName?: string;
}

export interface RunningCodeServer {
  /** http://127.0.0.1:<port> */
  url: string;
  /** The workbench with the workspace folder open. */
  workbenchUrl: string;
  /** The temp dir holding user data, extensions, the workspace and HOME. */
  dir: string;
  workspace: string;
  home: string;
  pid: number;
  /** What code-server printed so far (stdout and stderr). */
  output(): string;
  /** Kills the whole process group: SIGTERM, then SIGKILL after a grace period. Idempotent. */
  stop(): Promise<void>;
}

const HEALTH_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 5_000;

/** Settings that keep the workbench quiet and predictable: no welcome page, tips, updates or chat. */
const QUIET_SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  // MCP servers start only when a test says so; no discovery of other tools' MCP configs.
  'chat.mcp.autostart': 'never',
  'chat.mcp.discovery.enabled': false,
};

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/** A test process that dies (assertion, crash, ^C) must not leave a code-server behind. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of running) killGroup(child, 'SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    const onSignal = (): void => {
      for (const child of running) killGroup(child, 'SIGKILL');
      process.removeListener(signal, onSignal);
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}

function keepLogs(target: string, userData: string, output: string): void {
  try {
    rmSync(target, { recursive: true, force: true });
    mkdirSync(target, { recursive: true });
    writeFileSync(join(target, 'code-server.log'), output);
    cpSync(join(userData, 'logs'), join(target, 'logs'), { recursive: true });
  } catch {
    // logs are a convenience; their absence must not fail the run
  }
}

async function waitForHealth(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`code-server exited (${child.exitCode ?? child.signalCode}):\n${output()}`);
    }
    try {
      const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`code-server did not answer /healthz within ${HEALTH_TIMEOUT_MS} ms:\n${output()}`);
}

export async function startCodeServer(options: CodeServerOptions = {}): Promise<RunningCodeServer> {
  installExitHook();
  const dir = mkdtempSync(join(tmpdir(), 'krr-mcp-e2e-cs-'));
  const forgetDir = removeOnExit(dir);
  // The demo's throw-away profile: user settings, the extension unpacked as the .vsix would install it.
  const profile = createEditorProfile({
    dir,
    extensionRoot: REPO_ROOT,
    settings: { ...QUIET_SETTINGS, ...options.settings },
    workspaceFiles: options.workspaceFiles ?? { 'README.md': '# e2e\n' },
  });
  const { userDataDir: userData, extensionsDir: extensions, workspace, home } = profile;
  const config = join(dir, 'config.yaml');
  writeFileSync(config, 'auth: none\ncert: false\n');

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const node24 = e2ePaths.node24();
  const args = [
    e2ePaths.codeServer(),
    '--config',
    config,
    '--user-data-dir',
    userData,
    '--extensions-dir',
    extensions,
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    workspace,
  ];
  const child = spawn(node24, args, {
    detached: true, // own process group: the extension host and MCP servers die with it
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      // Node 24 first: anything code-server or the extension host spawns as `node` gets the same runtime.
      PATH: `${join(node24, '..')}:${process.env.PATH ?? '/usr/bin:/bin'}`,
      HOME: home,
      XDG_CONFIG_HOME: join(home, '.config'),
      XDG_DATA_HOME: join(home, '.local', 'share'),
      LANG: 'C.UTF-8',
      ...options.env,
    },
  });
  running.add(child);
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c));
  child.stderr?.on('data', (c: Buffer) => (output += c));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) killGroup(child, 'SIGTERM');
      const graceful = await Promise.race([
        exited.then(() => true),
        new Promise<boolean>((r) => setTimeout(() => r(false), STOP_GRACE_MS)),
      ]);
      // The main process may be gone while the extension host or an MCP server lingers: always SIGKILL the group.
      killGroup(child, 'SIGKILL');
      if (!graceful) await exited;
      running.delete(child);
      if (options.artifactsName) keepLogs(join(ARTIFACTS_DIR, options.artifactsName), userData, output);
      rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
      forgetDir();
    })());

  try {
    await waitForHealth(url, child, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url,
    workbenchUrl: `${url}/?folder=${encodeURIComponent(workspace)}`,
    dir,
    workspace,
    home,
    pid: child.pid!,
    output: () => output,
    stop,
  };
}
