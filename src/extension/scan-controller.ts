import * as vscode from 'vscode';
import { riskSignalsView } from '../core/evidence/risk-signals.js';
import { loadScanHistory } from '../core/evidence/scan-history.js';
import { atRiskSummary, historyHoursOf, loadScanSignals } from '../core/evidence/scan-signals.js';
import { historyKey } from '../core/evidence/usage-history.js';
import type { ContainerUsageHistory, RiskSignals } from '../core/evidence/usage-history-model.js';
import { KubeConfigError, type KubeTarget } from '../core/kube/kubeconfig.js';
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
  private lastSignals = new Map<string, RiskSignals>();
  /** Where and when the last scan read Prometheus: its charts read the same window. */
  private lastSource: { target: KubeTarget; client: PrometheusClient; time: number } | undefined;
  /** Histories loaded for the last scan, by `namespace/kind/name/container`. */
  private histories = new Map<string, ContainerUsageHistory>();
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

  /** Risk signals per `namespace/kind/name/container` of the last scan (empty until they are read). */
  signals(): Map<string, RiskSignals> {
    return this.lastSignals;
  }

  /**
   * The usage behind the last scan's recommendations, for charts (the details panel's UsageHistorySource):
   * loaded on first use and kept with the scan. Keys without a scan row are left out.
   */
  async history(keys: string[]): Promise<ContainerUsageHistory[]> {
    const source = this.lastSource;
    const result = this.lastResult;
    if (!source || !result) return [];
    const missing = keys.filter((key) => !this.histories.has(key));
    if (missing.length > 0) {
      const loaded = await loadScanHistory(source.target, source.client, result, missing, {
        time: source.time,
        observed: this.lastObserved,
      });
      // A scan that finished meanwhile has its own window: these belong to the old one, not its cache.
      if (this.lastSource !== source) return loaded;
      for (const h of loaded) this.histories.set(h.key, h);
    }
    return keys.flatMap((key) => (this.histories.has(key) ? [this.histories.get(key)!] : []));
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
    // Cancel stops this scan's Prometheus requests. A newer scan only supersedes it (its client may still
    // serve the charts of the results on screen until the newer one lands).
    const abort = new AbortController();
    this.setState('scanning');
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'krr-mcp: scanning', cancellable: true },
      async (progress, token) => {
        token.onCancellationRequested(() => {
          // The requests stop too: a cancelled scan must not keep a large Prometheus busy.
          abort.abort();
          if (run === this.generation) {
            this.generation++;
            this.log.info('Scan cancelled');
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
          const client = new PrometheusClient({ ...connection, signal: abort.signal });
          const scannedAt = Math.floor(Date.now() / 1000);
          const { result, statistics, observed } = await scanCluster(target, client, {
            time: scannedAt,
            strategy: parseStrategyConfig(settings.value.strategy, {}),
            minimums: { cpu_min_value: 10, memory_min_value: 100 },
            namespaces: settings.value.namespaces,
            kinds: [],
            onProgress: (p) => progress.report({ message: `${p.phase} ${p.done}/${p.total}` }),
          });
          if (run !== this.generation) return;
          this.log.info(
            `Scanned ${statistics.workloads} workloads with ${statistics.queries} Prometheus queries`,
          );
          const context = target.identity.context;
          const prices = pricesOf(settings.value);
          this.lastResult = result;
          this.lastObserved = observed;
          this.lastSignals = new Map();
          this.lastSource = { target, client, time: scannedAt };
          this.histories = new Map();
          this.last = {
            context,
            server: target.identity.server,
            scannedAt: new Date(),
            items: result.scans.map((s) => toRecommendationItem(context, s, prices)).sort(byImpact),
          };
          this.setState(this.last.items.length > 0 ? 'ready' : 'empty');
          // The tree shows the recommendations at once; the at-risk marks follow a moment later.
          void this.loadSignals(run, target, client, result, scannedAt);
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

  private async loadSignals(
    run: number,
    target: KubeTarget,
    client: PrometheusClient,
    result: ScanResult,
    time: number,
  ): Promise<void> {
    const started = Date.now();
    const before = client.queryCount;
    try {
      const { signals, problems } = await loadScanSignals(target, client, result.scans, {
        time,
        historyHours: historyHoursOf(result),
      });
      for (const problem of problems) this.log.warn(`Risk signals: ${problem}`);
      if (run !== this.generation || !this.last) return;
      this.log.info(
        `Risk signals: ${atRiskSummary(signals)} (${client.queryCount - before} Prometheus queries, ${Date.now() - started} ms)`,
      );
      this.lastSignals = signals;
      this.last = {
        ...this.last,
        items: this.last.items.map((item) => {
          const found = signals.get(historyKey(item));
          return found ? { ...item, risk_signals: riskSignalsView(found) } : item;
        }),
      };
      this.changed.fire();
    } catch (error) {
      if (run === this.generation)
        this.log.warn(`Risk signals could not be read: ${explainError(error, SETTING_PARAMETER_NAMES)}`);
    }
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
