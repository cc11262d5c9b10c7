import * as vscode from 'vscode';
import { KubeConfigError } from '../core/kube/kubeconfig.js';
import { PrometheusClient, type PrometheusConnectionOptions } from '../core/prometheus/client.js';
import { byImpact, toRecommendationItem } from '../core/recommend/recommendation-items.js';
import type { ScanResult } from '../core/recommend/model.js';
import { parseStrategyConfig } from '../core/recommend/settings.js';
import { scanCluster, type ObservedUsage } from '../core/scan/scanner.js';
import type { EditorKubeContext } from './kube-context.js';
import { prometheusConnection } from './prometheus-connection.js';
import { pricesOf, readSettings, type ExtensionSettings } from './settings.js';
import type {
  RecommendationSnapshot,
  RecommendationSource,
  RecommendationState,
} from './tree/recommendation-source.js';
import { explainError } from '../core/input/parameters.js';
import { SETTING_PARAMETER_NAMES } from './parameter-names.js';

/** Runs scans for the editor and holds the last one: the tree view's source. */
export class ScanController implements RecommendationSource, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private last: RecommendationSnapshot | undefined;
  private lastResult: ScanResult | undefined;
  private lastObserved = new Map<string, ObservedUsage>();
  private current: RecommendationState;
  private generation = 0;

  constructor(
    private readonly kube: EditorKubeContext,
    private readonly prometheusToken: () => Promise<string | undefined>,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.current = kube.identity() ? 'empty' : 'no-kubeconfig';
  }

  snapshot(): RecommendationSnapshot | undefined {
    return this.last;
  }

  result(): ScanResult | undefined {
    return this.lastResult;
  }

  /** Peak memory and CPU p95 per `namespace/kind/name/container` from the last scan (for safety rules). */
  observed(): Map<string, ObservedUsage> {
    return this.lastObserved;
  }

  state(): RecommendationState {
    return this.current;
  }

  /** Scans with a cancellable progress notification; a cancelled or superseded scan is discarded. */
  async scan(): Promise<void> {
    const settings = readSettings(vscode.workspace.getConfiguration('krrMcp'));
    if (!settings.ok) {
      void vscode.window.showErrorMessage(`krr-mcp settings: ${settings.error}`);
      return;
    }
    const run = ++this.generation;
    this.setState('scanning');
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'krr-mcp: scanning', cancellable: true },
      async (progress, token) => {
        token.onCancellationRequested(() => {
          if (run === this.generation) {
            this.generation++;
            this.setState(this.last ? 'ready' : 'empty');
          }
        });
        try {
          const target = this.kube.target();
          const connection = await this.connection(settings.value, target);
          if (!connection) {
            this.setState('no-prometheus');
            return;
          }
          this.log.info(`Scanning ${target.identity.context} (${target.identity.server})`);
          const { result, statistics, observed } = await scanCluster(
            target,
            new PrometheusClient(connection),
            {
              strategy: parseStrategyConfig(settings.value.strategy, {}),
              minimums: { cpu_min_value: 10, memory_min_value: 100 },
              namespaces: settings.value.namespaces,
              kinds: [],
              onProgress: (p) => progress.report({ message: `${p.phase} ${p.done}/${p.total}` }),
            },
          );
          if (run !== this.generation) return;
          this.log.info(
            `Scanned ${statistics.workloads} workloads with ${statistics.queries} Prometheus queries`,
          );
          const context = target.identity.context;
          const prices = pricesOf(settings.value);
          this.lastResult = result;
          this.lastObserved = observed;
          this.last = {
            context,
            server: target.identity.server,
            scannedAt: new Date(),
            items: result.scans.map((s) => toRecommendationItem(context, s, prices)).sort(byImpact),
          };
          this.setState(this.last.items.length > 0 ? 'ready' : 'empty');
        } catch (error) {
          if (run !== this.generation) return;
          const message = explainError(error, SETTING_PARAMETER_NAMES);
          this.log.error(message);
          this.setState(error instanceof KubeConfigError ? 'no-kubeconfig' : 'error');
          void vscode.window.showErrorMessage(`krr-mcp: ${message}`);
        }
      },
    );
  }

  private async connection(
    settings: ExtensionSettings,
    target: ReturnType<EditorKubeContext['target']>,
  ): Promise<PrometheusConnectionOptions | undefined> {
    return prometheusConnection(settings, target, await this.prometheusToken(), (m) => this.log.info(m));
  }

  private setState(state: RecommendationState): void {
    this.current = state;
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }
}
