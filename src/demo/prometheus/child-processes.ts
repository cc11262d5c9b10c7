// The child processes the demo and the tests start (promtool, Prometheus), in their own process groups, and the
// directories they work in: all of them go when the process exits, also on a failure or a signal.

import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';

const STOP_GRACE_MS = 5_000;

/** Started and not yet exited. */
export const running = new Set<ChildProcess>();
/** Work dirs not yet removed by their owner, so that the exit hook can remove them too. */
export const workDirs = new Set<string>();
let exitHookInstalled = false;

/**
 * Tests must never leave a Prometheus behind, also when they fail, forget stop(), or are interrupted. The children
 * are unref'd, so a forgotten one does not keep the test process alive; this hook then kills it on the way out.
 */
export function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  const killAll = (): void => {
    for (const child of running) killGroup(child, 'SIGKILL');
    for (const workDir of workDirs) rmSync(workDir, { recursive: true, force: true, maxRetries: 3 });
  };
  process.on('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    const onSignal = (): void => {
      killAll();
      process.removeListener(signal, onSignal);
      // Keep the default behaviour (dying of the signal) unless the program handles the signal itself.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}

/**
 * Runs promtool without blocking the event loop (a backfill takes up to a minute, and Ctrl-C must stop the demo
 * meanwhile), in its own process group so that the exit hook can kill it.
 */
export function run(command: string, args: string[], signal?: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    running.add(child);
    const onAbort = () => {
      killGroup(child, 'SIGKILL');
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    child.once('close', () => signal?.removeEventListener('abort', onAbort));
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (c: Buffer) => (stdout += c));
    child.stderr?.on('data', (c: Buffer) => (stderr += c));
    child.once('error', (error) => {
      running.delete(child);
      reject(error);
    });
    child.once('close', (code, signal) => {
      running.delete(child);
      if (code === 0) resolve(stdout);
      else reject(new Error(`${command} ${args.join(' ')} failed (${code ?? signal}):\n${stderr}`));
    });
  });
}

export async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  killGroup(child, 'SIGTERM');
  const timedOut = await Promise.race([exited.then(() => false), sleep(STOP_GRACE_MS).then(() => true)]);
  if (timedOut) {
    killGroup(child, 'SIGKILL');
    await exited;
  }
}

export function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
