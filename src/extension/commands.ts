import * as vscode from 'vscode';
import { loadKubeTarget } from '../core/kube/kubeconfig.js';
import { PrometheusClient } from '../core/prometheus/client.js';
import { discoverPrometheus } from '../core/prometheus/service-discovery.js';
import { parseStrategyConfig } from '../core/recommend/settings.js';
import { scanCluster } from '../core/scan/scanner.js';
import { readSettings } from './settings.js';

export interface CommandDependencies {
  log: vscode.LogOutputChannel;
}

/** Every command the extension contributes, registered in one place. */
export function registerCommands(deps: CommandDependencies): vscode.Disposable[] {
  return [vscode.commands.registerCommand('krrMcp.scan', () => scanCommand(deps))];
}

/** "krr-mcp: Scan Cluster": runs the engine on the kubeconfig's context and opens the krr JSON result. */
async function scanCommand({ log }: CommandDependencies): Promise<void> {
  const settings = readSettings(vscode.workspace.getConfiguration('krrMcp'));
  if (!settings.ok) {
    void vscode.window.showErrorMessage(`krr-mcp settings: ${settings.error}`);
    return;
  }
  try {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'krr-mcp: scanning', cancellable: false },
      async (progress) => {
        const kube = loadKubeTarget({
          ...(settings.value.kubeconfig ? { kubeconfig: settings.value.kubeconfig } : {}),
          ...(settings.value.context ? { context: settings.value.context } : {}),
        });
        log.info(`Scanning context ${kube.identity.context} (${kube.identity.server})`);
        let connection = settings.value.prometheusUrl ? { url: settings.value.prometheusUrl } : undefined;
        if (!connection) {
          const found = await discoverPrometheus(kube);
          if (!found)
            throw new Error(
              'No Prometheus URL configured (krrMcp.prometheusUrl) and none found in the cluster.',
            );
          log.info(`Using ${found.backend} service ${found.service} through the API server`);
          connection = found.connection;
        }
        const { result, statistics } = await scanCluster(kube, new PrometheusClient(connection), {
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
