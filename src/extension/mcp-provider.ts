import { createHash } from 'node:crypto';
import * as vscode from 'vscode';
import type { IssuedSecret } from '../core/approval/ipc/broker.js';

export const MCP_PROVIDER_ID = 'krrMcp.server';

export interface McpProviderDependencies {
  /** dist/cli.cjs inside the installed extension. */
  cliPath: string;
  extensionVersion: string;
  /** A fresh per-spawn secret from the authority, created only when VS Code starts the server. */
  issueSecret(): Promise<IssuedSecret>;
  /** What the server must target: the editor's kubeconfig files and context. */
  kube(): { kubeconfigPaths: string[]; context: string | undefined };
  /** Settings the server reads from its environment (never secrets). */
  serverEnvironment(): Record<string, string>;
  /** Secrets for Prometheus, from SecretStorage; passed in the environment, never in arguments. */
  secretEnvironment(): Promise<Record<string, string>>;
  onDidChange: vscode.Event<void>;
  /** Told when no secret could be issued (the server then looks for another window's broker). */
  onIssueFailure?: (error: Error) => void;
}

/**
 * Gives editor agents (Copilot agent mode, any MCP client in VS Code) the krr-mcp server. The server is a
 * stdio child of the extension host running our own CLI with the host's Node; it reaches the approval
 * authority in this extension host through the private socket.
 */
export class KrrMcpServerProvider implements vscode.McpServerDefinitionProvider<vscode.McpStdioServerDefinition> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeMcpServerDefinitions = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly deps: McpProviderDependencies) {
    // A new version makes VS Code offer to restart the server with the new context or settings.
    this.subscription = deps.onDidChange(() => this.changed.fire());
  }

  /** Changes whenever what the server would target changes. */
  version(): string {
    const { kubeconfigPaths, context } = this.deps.kube();
    const fingerprint = createHash('sha256')
      .update(JSON.stringify({ kubeconfigPaths, context, env: this.deps.serverEnvironment() }))
      .digest('hex')
      .slice(0, 12);
    return `${this.deps.extensionVersion}+${fingerprint}`;
  }

  provideMcpServerDefinitions(): vscode.McpStdioServerDefinition[] {
    // Called eagerly: no secrets, no prompts here.
    return [
      new vscode.McpStdioServerDefinition(
        'krr-mcp',
        process.execPath,
        [this.deps.cliPath, 'serve'],
        { ELECTRON_RUN_AS_NODE: '1' },
        this.version(),
      ),
    ];
  }

  async resolveMcpServerDefinition(
    server: vscode.McpStdioServerDefinition,
  ): Promise<vscode.McpStdioServerDefinition> {
    // Each spawn gets its own single-use secret, in env only. When this window's authority cannot run
    // (another VS Code window already holds the audit log), the server finds that window's broker
    // through its descriptor instead, and approvals appear there.
    const issued = await this.deps.issueSecret().catch((error: Error) => {
      this.deps.onIssueFailure?.(error);
      return undefined;
    });
    const { kubeconfigPaths, context } = this.deps.kube();
    server.env = {
      ...server.env,
      ELECTRON_RUN_AS_NODE: '1',
      ...this.deps.serverEnvironment(),
      ...(await this.deps.secretEnvironment()),
      ...(kubeconfigPaths.length > 0
        ? { KUBECONFIG: kubeconfigPaths.join(process.platform === 'win32' ? ';' : ':') }
        : {}),
      ...(context ? { KUBERNETES_CONTEXT: context } : {}),
      ...(issued ? { KRR_MCP_IPC_PATH: issued.ipcPath, KRR_MCP_IPC_SECRET: issued.secret } : {}),
    };
    return server;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

export function registerMcpProvider(provider: KrrMcpServerProvider): vscode.Disposable {
  return vscode.lm.registerMcpServerDefinitionProvider(MCP_PROVIDER_ID, provider);
}
