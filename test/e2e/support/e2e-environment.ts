import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CLI_PATH } from '../../support/cli/run-cli.js';
import { startEngineEnvironment, type EngineEnvironment } from '../../support/engine-environment.js';
import { launchBrowser, openWorkbench, type Browser } from './browser.js';
import { startCodeServer, type RunningCodeServer } from './code-server.js';
import { missingPrerequisite, removeOnExit } from './e2e-paths.js';

/**
 * The whole E2E stage: real Prometheus + API simulator (engine environment), code-server with the built
 * extension pointed at them, and chromium showing the workbench.
 */
export interface E2eEnvironment {
  engine: EngineEnvironment;
  codeServer: RunningCodeServer;
  browser: Browser;
  /** KRR_MCP_STATE_DIR shared by the extension host and MCP clients outside the editor. */
  stateDir: string;
  /** Environment for a `krr-mcp serve` started outside the editor (a terminal agent). */
  serverEnv(): Record<string, string>;
  /**
   * Spawns `node dist/cli.cjs serve` as an outside agent would and connects the SDK client to it;
   * `env` is added to serverEnv() (e.g. CONFIRMATION_TIMEOUT).
   */
  connectOutsideClient(env?: Record<string, string>): Promise<{ client: Client; stderr: () => string }>;
  /** Paths of the broker descriptors the extension published. */
  brokerDescriptors(): string[];
  stop(): Promise<void>;
}

export interface E2eOptions {
  /** User settings over the environment's own (Prometheus URL, namespaces: only `monitoring`). */
  settings?: Record<string, unknown>;
  /** Starts the Prometheus + API simulator stage; default: the engine test cluster. */
  startEngine?: () => Promise<EngineEnvironment>;
  /** Files in the workspace folder (relative path → content); must hold README.md, which the workbench opens. */
  workspaceFiles?: Record<string, string>;
}

export async function startE2eEnvironment(name: string, options: E2eOptions = {}): Promise<E2eEnvironment> {
  const missing = missingPrerequisite();
  if (missing) throw new Error(`E2E prerequisites: ${missing}`);
  const t0 = Date.now();
  const stateDir = mkdtempSync(join(tmpdir(), 'krr-mcp-e2e-state-'));
  const forgetStateDir = removeOnExit(stateDir);
  const cleanups: Array<() => Promise<void> | void> = [
    () => {
      rmSync(stateDir, { recursive: true, force: true });
      forgetStateDir();
    },
  ];
  const clients: Client[] = [];
  const stop = async () => {
    await Promise.allSettled(clients.map((c) => c.close()));
    for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => {});
  };
  try {
    const engine = await (options.startEngine ?? startEngineEnvironment)();
    // engine.stop() removes its dir; this covers an interrupted run (the engine has no exit hook).
    const forgetEngineDir = removeOnExit(engine.dir);
    cleanups.push(async () => {
      await engine.stop();
      forgetEngineDir();
    });
    // One audit log for the editor's authority and the servers outside it, as ~/.krr-mcp/audit.jsonl is for a
    // person: get_verification and get_execution_history read what the authority wrote.
    const auditLog = join(engine.dir, 'audit.jsonl');
    const codeServer = await startCodeServer({
      env: { KUBECONFIG: engine.kubeconfig, KRR_MCP_STATE_DIR: stateDir, KRR_MCP_AUDIT_LOG: auditLog },
      settings: {
        'krrMcp.prometheusUrl': engine.prometheus.url,
        'krrMcp.namespaces': ['monitoring'],
        ...options.settings,
      },
      artifactsName: name,
      ...(options.workspaceFiles ? { workspaceFiles: options.workspaceFiles } : {}),
    });
    cleanups.push(() => codeServer.stop());
    const browser = await launchBrowser();
    cleanups.push(() => browser.close());
    await openWorkbench(browser.page, codeServer.workbenchUrl);
    // Our extension is active once its status bar item shows the kubeconfig's context.
    await browser.page
      .locator('.statusbar-item', { hasText: 'engine-test' })
      .first()
      .waitFor({ timeout: 60_000 });
    console.log(`# e2e environment ready in ${Date.now() - t0} ms (code-server on ${codeServer.url})`);

    const serverEnv = () => ({
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: join(engine.dir, 'outside-home'),
      KUBECONFIG: engine.kubeconfig,
      PROMETHEUS_URL: engine.prometheus.url,
      KRR_MCP_STATE_DIR: stateDir,
      KRR_MCP_AUDIT_LOG: auditLog,
    });
    return {
      engine,
      codeServer,
      browser,
      stateDir,
      serverEnv,
      async connectOutsideClient(env = {}) {
        const transport = new StdioClientTransport({
          command: process.execPath,
          args: [CLI_PATH, 'serve'],
          env: { ...serverEnv(), ...env },
          stderr: 'pipe',
        });
        let stderr = '';
        transport.stderr?.on('data', (c: Buffer) => (stderr += c));
        const client = new Client({ name: 'krr-mcp-e2e-outside-agent', version: '1.0.0' });
        await client.connect(transport);
        clients.push(client);
        return { client, stderr: () => stderr };
      },
      brokerDescriptors() {
        const dir = join(stateDir, 'brokers');
        return existsSync(dir)
          ? readdirSync(dir)
              .filter((f) => f.startsWith('broker-') && f.endsWith('.json'))
              .map((f) => join(dir, f))
          : [];
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
