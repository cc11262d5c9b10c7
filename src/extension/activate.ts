import * as vscode from 'vscode';
import { ApprovalPanelSurface } from './approval/approval-panel-surface.js';
import { defaultAuditLogPath } from '../core/audit/paths.js';
import { ExtensionAuthority } from './authority/extension-authority.js';
import { registerChangeCommands } from './change-commands.js';
import { registerDetailsCommand } from './details/details-command.js';
import { PROMETHEUS_TOKEN_KEY, registerCommands } from './commands.js';
import { EditorKubeContext } from './kube-context.js';
import { LazyAuthority } from './lazy-authority.js';
import { registerManifestFeatures } from './manifests/register-manifest-features.js';
import { KrrMcpServerProvider, registerMcpProvider } from './mcp-provider.js';
import { prometheusClientFor } from './prometheus-connection.js';
import { ScanController } from './scan-controller.js';
import { pricesOf, readSettings, safetyRulesOf, serverEnvironmentOf } from './settings.js';
import { ContextStatusBar } from './status-bar.js';
import { createRecommendationsView } from './tree/recommendations-view.js';
import { registerVerification } from './verification/register-verification.js';

/**
 * Entry point: the MCP server provider for editor agents, the recommendations tree, commands and the
 * status bar. The approval authority starts in the background so that agents outside the editor can
 * find its broker; every MCP server VS Code starts gets its own secret for it.
 */
export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('krr-mcp', { log: true });
  const kube = new EditorKubeContext(context.workspaceState);
  const storageDir = context.globalStorageUri.fsPath;
  // The same file the CLI and every MCP server read: KRR_MCP_AUDIT_LOG, else ~/.krr-mcp/audit.jsonl.
  const auditLogPath = defaultAuditLogPath(process.env);
  const settings = () => readSettings(vscode.workspace.getConfiguration('krrMcp'));
  const prometheusToken = () => Promise.resolve(context.secrets.get(PROMETHEUS_TOKEN_KEY));

  const authority = new LazyAuthority(async () => {
    const current = settings();
    if (!current.ok) throw new Error(`krr-mcp settings: ${current.error}`);
    // The broker descriptor names the cluster: wait for the Kubernetes Tools extension's kubeconfig, if any.
    await kube.ready;
    const identity = kube.identity();
    const started = await ExtensionAuthority.start({
      surface: new ApprovalPanelSurface({ extensionUri: context.extensionUri, log }),
      storageDir,
      auditLogPath,
      kube: (name) => kube.target(name),
      safety: safetyRulesOf(current.value),
      prices: pricesOf(current.value),
      // Read for each plan: the person's settings and token now, never an agent's scan settings.
      prometheus: async (target) => {
        const now = settings();
        if (!now.ok) throw new Error(`krr-mcp settings: ${now.error}`);
        // The URL setting is the editor's context's Prometheus; another context's evidence comes from its own.
        return prometheusClientFor(now.value, target, await prometheusToken(), (m) => log.info(m), {
          editorContext: target.identity.context === kube.identity()?.context,
        });
      },
      ...(identity ? { publishFor: identity } : {}),
      log: (message) => log.info(message),
      approvalExpiryMs: () => {
        const now = settings();
        return (now.ok ? now.value.approvalExpirySeconds : 600) * 1000;
      },
      verificationMinutes: () => {
        const now = settings();
        return now.ok ? now.value.verificationMinutes : 10;
      },
      // Read per plan. When the settings cannot be read, nothing more than a template patch is offered.
      offerInPlaceResize: () => {
        const now = settings();
        return now.ok && now.value.offerInPlaceResize;
      },
      onVerification: (update) => verification.onVerification(update),
      // Whoever asked (the editor, Copilot, a terminal agent), the tree must not keep showing what was changed.
      onApplied: (result) => {
        log.info(`Apply ${result.status}${result.rollbackId ? ` (rollback id ${result.rollbackId})` : ''}`);
        if (scans.snapshot()) void scans.scan();
      },
    });
    log.info(`Approval authority ready; audit log ${started.auditPath}`);
    return started;
  });

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
      return { ...(current.ok ? serverEnvironmentOf(current.value) : {}), KRR_MCP_AUDIT_LOG: auditLogPath };
    },
    secretEnvironment: async (): Promise<Record<string, string>> => {
      const token = await prometheusToken();
      return token ? { PROMETHEUS_BEARER_TOKEN: token } : {};
    },
    onDidChange: changed.event,
    onIssueFailure: (error) =>
      log.warn(
        `This window's approval authority is not available (${error.message}); the MCP server will look for another VS Code window's.`,
      ),
  });

  const scans = new ScanController(kube, prometheusToken, log);
  // Until the core's history loader (src/core/evidence) is connected here, the details panel shows the
  // recommendations without charts.
  const recommendations = createRecommendationsView(scans);
  // After every apply, from anyone: the badge in the tree, the notification with "Roll Back…".
  const verification = registerVerification({ log, tree: recommendations.provider });

  context.subscriptions.push(
    log,
    kube,
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
    scans,
    recommendations,
    ...registerCommands({
      log,
      kube,
      secrets: context.secrets,
      scans,
      view: recommendations,
      auditLogPath: () => auditLogPath,
    }),
    ...registerChangeCommands({
      log,
      kube,
      scans,
      authority,
      auditLogPath: () => auditLogPath,
    }),
    ...registerManifestFeatures({ log, scans, tree: recommendations.provider }),
    ...verification.disposables,
    ...registerDetailsCommand({ extensionUri: context.extensionUri, log, history: scans }),
    { dispose: () => void authority.dispose() },
  );

  void kube.ready.then(() => {
    log.info(kube.kubernetesToolsStatus());
    if (kube.identity()) {
      authority.get().catch((error: Error) => log.warn(`Approval authority not started: ${error.message}`));
    }
  });
  log.info('krr-mcp activated');
}

export function deactivate(): void {}
