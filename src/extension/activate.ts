import { join } from 'node:path';
import * as vscode from 'vscode';
import { ApprovalPanelSurface } from './approval/approval-panel-surface.js';
import { ExtensionAuthority } from './authority/extension-authority.js';
import { PROMETHEUS_TOKEN_KEY, registerCommands } from './commands.js';
import { EditorKubeContext } from './kube-context.js';
import { LazyAuthority } from './lazy-authority.js';
import { KrrMcpServerProvider, registerMcpProvider } from './mcp-provider.js';
import { pricesOf, readSettings, safetyRulesOf, serverEnvironmentOf } from './settings.js';
import { ContextStatusBar } from './status-bar.js';

/** Entry point: registers the MCP server provider, commands and status bar; starts nothing heavy. */
export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('krr-mcp', { log: true });
  const kube = new EditorKubeContext(context.workspaceState);
  const storageDir = context.globalStorageUri?.fsPath ?? join(process.env.HOME ?? '.', '.krr-mcp');
  const settings = () => readSettings(vscode.workspace.getConfiguration('krrMcp'));

  const authority = new LazyAuthority(async () => {
    const current = settings();
    if (!current.ok) throw new Error(`krr-mcp settings: ${current.error}`);
    const started = await ExtensionAuthority.start({
      surface: new ApprovalPanelSurface({ extensionUri: context.extensionUri, log }),
      storageDir,
      kube: (name) => kube.target(name),
      safety: safetyRulesOf(current.value),
      prices: pricesOf(current.value),
      ...(kube.identity() ? { publishFor: kube.identity()! } : {}),
      log: (message) => log.info(message),
    });
    log.info(`Approval authority ready; audit log ${started.auditPath}`);
    return started;
  });

  const settingsChanged = new vscode.EventEmitter<void>();
  const changed = new vscode.EventEmitter<void>();
  const provider = new KrrMcpServerProvider({
    cliPath: vscode.Uri.joinPath(context.extensionUri, 'dist', 'cli.cjs').fsPath,
    extensionVersion: String(
      (context.extension?.packageJSON as { version?: string } | undefined)?.version ?? '0.0.0',
    ),
    issueSecret: async () => (await authority.get()).issueSecret(),
    kube: () => ({
      kubeconfigPaths: kube.sources(),
      context: kube.chosenContext() ?? kube.identity()?.context,
    }),
    serverEnvironment: () => {
      const current = settings();
      return current.ok ? serverEnvironmentOf(current.value) : {};
    },
    secretEnvironment: async (): Promise<Record<string, string>> => {
      const token = await context.secrets.get(PROMETHEUS_TOKEN_KEY);
      return token ? { PROMETHEUS_BEARER_TOKEN: token } : {};
    },
    onDidChange: changed.event,
  });

  context.subscriptions.push(
    log,
    kube,
    settingsChanged,
    changed,
    kube.onDidChange(() => changed.fire()),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (!event.affectsConfiguration('krrMcp')) return;
      if (event.affectsConfiguration('krrMcp.kubeconfig')) kube.refreshWatchers();
      changed.fire();
    }),
    provider,
    registerMcpProvider(provider),
    new ContextStatusBar(kube),
    ...registerCommands({
      log,
      kube,
      secrets: context.secrets,
      auditLogPath: () => join(storageDir, 'audit.jsonl'),
    }),
    { dispose: () => void authority.dispose() },
  );
  log.info('krr-mcp activated');
}

export function deactivate(): void {}
