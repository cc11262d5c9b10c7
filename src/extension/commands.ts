import * as vscode from 'vscode';
import { verifyAuditLog } from '../core/audit/verify.js';
import { PrometheusClient } from '../core/prometheus/client.js';
import { discoverPrometheus } from '../core/prometheus/service-discovery.js';
import { parseStrategyConfig } from '../core/recommend/settings.js';
import { scanCluster } from '../core/scan/scanner.js';
import type { EditorKubeContext } from './kube-context.js';
import { readSettings } from './settings.js';

export const PROMETHEUS_TOKEN_KEY = 'krrMcp.prometheusToken';

export interface CommandDependencies {
  log: vscode.LogOutputChannel;
  kube: EditorKubeContext;
  secrets: vscode.SecretStorage;
  /** Where the authority keeps its audit log. */
  auditLogPath(): string;
}

/** Every command the extension contributes, registered in one place. */
export function registerCommands(deps: CommandDependencies): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('krrMcp.scan', () => scanCommand(deps)),
    vscode.commands.registerCommand('krrMcp.selectContext', () => selectContext(deps)),
    vscode.commands.registerCommand('krrMcp.configurePrometheus', () => configurePrometheus(deps)),
    vscode.commands.registerCommand('krrMcp.verifyAuditLog', () => verifyAudit(deps)),
    vscode.commands.registerCommand('krrMcp.showLogs', () => deps.log.show()),
  ];
}

/** "krr-mcp: Scan Cluster": runs the engine on the editor's context and opens the krr JSON result. */
async function scanCommand({ log, kube, secrets }: CommandDependencies): Promise<void> {
  const settings = readSettings(vscode.workspace.getConfiguration('krrMcp'));
  if (!settings.ok) {
    void vscode.window.showErrorMessage(`krr-mcp settings: ${settings.error}`);
    return;
  }
  try {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'krr-mcp: scanning', cancellable: false },
      async (progress) => {
        const target = kube.target();
        log.info(`Scanning context ${target.identity.context} (${target.identity.server})`);
        const token = await secrets.get(PROMETHEUS_TOKEN_KEY);
        const headers: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {};
        let connection = settings.value.prometheusUrl
          ? { url: settings.value.prometheusUrl, headers }
          : undefined;
        if (!connection) {
          const found = await discoverPrometheus(target);
          if (!found)
            throw new Error(
              'No Prometheus URL configured (krr-mcp: Configure Prometheus) and none found in the cluster.',
            );
          log.info(`Using ${found.backend} service ${found.service} through the API server`);
          connection = { ...found.connection, headers: { ...found.connection.headers, ...headers } };
        }
        const { result, statistics } = await scanCluster(target, new PrometheusClient(connection), {
          strategy: parseStrategyConfig(settings.value.strategy, {}),
          minimums: { cpu_min_value: 10, memory_min_value: 100 },
          namespaces: settings.value.namespaces,
          kinds: [],
          onProgress: (p) => progress.report({ message: `${p.phase} ${p.done}/${p.total}` }),
        });
        log.info(`Scanned ${statistics.workloads} workloads with ${statistics.queries} Prometheus queries`);
        return result;
      },
    );
    const document = await vscode.workspace.openTextDocument({
      language: 'json',
      content: JSON.stringify(result, null, 2),
    });
    await vscode.window.showTextDocument(document, { preview: false });
  } catch (error) {
    const message = (error as Error).message;
    log.error(message);
    void vscode.window.showErrorMessage(`krr-mcp: ${message}`);
  }
}

/** Switches krr-mcp's context without touching the kubeconfig's current-context. */
async function selectContext({ kube, log }: CommandDependencies): Promise<void> {
  const contexts = kube.contexts();
  if (contexts.length === 0) {
    void vscode.window.showErrorMessage(
      'krr-mcp: no kubeconfig contexts found (set krrMcp.kubeconfig or KUBECONFIG).',
    );
    return;
  }
  const current = kube.identity()?.context;
  const picked = await vscode.window.showQuickPick(
    contexts.map((name) => ({ label: name, description: name === current ? 'current' : '' })),
    { placeHolder: 'Kubernetes context for krr-mcp (your kubeconfig is not changed)' },
  );
  if (!picked) return;
  await kube.choose(picked.label);
  log.info(`Context set to ${picked.label}`);
}

/** URL in settings; the bearer token in SecretStorage, never in settings. */
async function configurePrometheus({ secrets }: CommandDependencies): Promise<void> {
  const config = vscode.workspace.getConfiguration('krrMcp');
  const url = await vscode.window.showInputBox({
    prompt: 'Prometheus URL (empty: find it in the cluster)',
    value: config.get<string>('prometheusUrl') ?? '',
    validateInput: (value) =>
      value === '' || /^https?:\/\/[^\s]+$/.test(value) ? undefined : 'An http:// or https:// URL, or empty',
  });
  if (url === undefined) return;
  await config.update('prometheusUrl', url, vscode.ConfigurationTarget.Global);
  const token = await vscode.window.showInputBox({
    prompt: 'Bearer token for Prometheus (empty: none)',
    password: true,
  });
  if (token === undefined) return;
  if (token) await secrets.store(PROMETHEUS_TOKEN_KEY, token);
  else await secrets.delete(PROMETHEUS_TOKEN_KEY);
  void vscode.window.showInformationMessage(
    `krr-mcp: Prometheus ${url || 'discovery'} saved${token ? ' with a token in secret storage' : ''}.`,
  );
}

async function verifyAudit({ auditLogPath, log }: CommandDependencies): Promise<void> {
  const path = auditLogPath();
  try {
    const report = await verifyAuditLog(path);
    if (report.ok) {
      void vscode.window.showInformationMessage(
        `krr-mcp: the audit log is intact (${report.records} records).`,
      );
    } else {
      const first = report.problems[0];
      log.warn(`audit log problems: ${JSON.stringify(report.problems)}`);
      void vscode.window.showErrorMessage(
        `krr-mcp: the audit log was tampered with: ${report.problems.length} problem(s), first at line ${first?.line}: ${first?.message}`,
      );
    }
  } catch (error) {
    void vscode.window.showErrorMessage(`krr-mcp: cannot verify ${path}: ${(error as Error).message}`);
  }
}
