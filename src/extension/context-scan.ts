import { setMaxListeners } from 'node:events';
import * as vscode from 'vscode';
import { riskSignalsView } from '../core/evidence/risk-signals.js';
import { loadScanHistory } from '../core/evidence/scan-history.js';
import { atRiskSummary, historyHoursOf, loadScanSignals } from '../core/evidence/scan-signals.js';
import { historyKey } from '../core/evidence/usage-history.js';
import type { ContainerUsageHistory, RiskSignals } from '../core/evidence/usage-history-model.js';
import { explainError } from '../core/input/parameters.js';
import { KubeConfigError, type KubeTarget } from '../core/kube/kubeconfig.js';
import { PrometheusClient } from '../core/prometheus/client.js';
import type { QuerySlots } from '../core/prometheus/query-slots.js';
import type { ScanResult } from '../core/recommend/model.js';
import {
  byImpact,
  toRecommendationItem,
  type RecommendationItem,
} from '../core/recommend/recommendation-items.js';
import { parseStrategyConfig } from '../core/recommend/settings.js';
import { scanCluster, type ObservedUsage } from '../core/scan/scanner.js';
import type { EditorKubeContext } from './kube-context.js';
import { SETTING_PARAMETER_NAMES } from './parameter-names.js';
import { prometheusConnection } from './prometheus-connection.js';
import { everyContextReadsTheUrl, pricesOf, readSettings } from './settings.js';
import type {
  ContextRecommendations,
  RecommendationSnapshot,
  RecommendationState,
  ScanProgressView,
} from './tree/recommendation-source.js';

export interface ContextScanDependencies {
  kube: EditorKubeContext;
  prometheusToken: () => Promise<string | undefined>;
  log: vscode.LogOutputChannel;
  /** Whether a context is the editor's now (the Prometheus URL setting is that context's). */
  isCurrent(context: string): boolean;
  /** Something the tree shows changed; `streaming` changes come often and may be coalesced. */
  changed(streaming: boolean): void;
  /** The query limit every context's scans share when they all read one shared Prometheus. */
  sharedQuerySlots: QuerySlots;
}

/** One kubeconfig context's scans: the last complete one, and the one running (streamed batch by batch). */
export class ContextScan {
  private last: RecommendationSnapshot | undefined;
  private lastResult: ScanResult | undefined;
  private lastObserved = new Map<string, ObservedUsage>();
  private lastSignals = new Map<string, RiskSignals>();
  /** Where and when the last scan read Prometheus: its charts read the same window. */
  private lastSource: { target: KubeTarget; client: PrometheusClient; time: number } | undefined;
  /** Histories loaded for the last scan, by `namespace/kind/name/container`. */
  private histories = new Map<string, ContainerUsageHistory>();
  /** The running scan: its rows so far and how far it is. */
  private running: { server: string; items: RecommendationItem[]; progress: ScanProgressView } | undefined;
  /** The ids of `last`, built on first use. */
  private ids: Set<string> | undefined;
  private current: RecommendationState = 'empty';
  private attempted = false;
  private problem: string | undefined;
  private generation = 0;
  private abort: AbortController | undefined;

  constructor(
    readonly context: string,
    private readonly deps: ContextScanDependencies,
  ) {}

  /** The last complete scan (commands act on it, never on a scan still running). */
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

  state(): RecommendationState {
    return this.current;
  }

  /** Whether the last complete scan has a recommendation with this id. */
  holds(id: string): boolean {
    if (!this.last) return false;
    this.ids ??= new Set(this.last.items.map((item) => item.id));
    return this.ids.has(id);
  }

  /** The API server the last complete scan read (a kubeconfig edit may point the context elsewhere). */
  server(): string | undefined {
    return this.last?.server;
  }

  /** The row the tree shows: the last scan, or the running scan's rows so far when there is no last one. */
  view(current: boolean): ContextRecommendations {
    const running = this.running;
    const snapshot: RecommendationSnapshot | undefined = this.last
      ? running
        ? { ...this.last, progress: running.progress }
        : this.last
      : running && running.items.length > 0
        ? {
            context: this.context,
            server: running.server,
            scannedAt: new Date(),
            items: running.items,
            progress: running.progress,
          }
        : undefined;
    return {
      context: this.context,
      current,
      state: this.current,
      attempted: this.attempted,
      snapshot,
      ...(this.problem ? { problem: this.problem } : {}),
    };
  }

  /**
   * The usage behind the last scan's recommendations, for charts: loaded on first use and kept with the
   * scan. Keys without a scan row are left out.
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
    // Every request of the scan listens to this one signal; a big scan has more than Node's default 10 in flight.
    setMaxListeners(64, abort.signal);
    this.abort = abort;
    this.attempted = true;
    this.problem = undefined;
    this.running = undefined;
    this.setState('scanning');
    const log = this.deps.log;
    await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `krr-mcp: scanning ${this.context}`,
        cancellable: true,
      },
      async (progress, token) => {
        token.onCancellationRequested(() => this.cancel(run, abort));
        try {
          const target = this.deps.kube.target(this.context);
          const connection = await prometheusConnection(
            settings.value,
            target,
            await this.deps.prometheusToken(),
            (m) => log.info(m),
            { editorContext: this.deps.isCurrent(this.context) },
          );
          if (run !== this.generation) return;
          if ('missing' in connection) {
            this.problem = connection.missing;
            this.running = undefined;
            this.setState('no-prometheus');
            return;
          }
          log.info(`Scanning ${this.context} (${target.identity.server})`);
          const client = new PrometheusClient({ ...connection, signal: abort.signal });
          const scannedAt = Math.floor(Date.now() / 1000);
          const prices = pricesOf(settings.value);
          const running = {
            server: target.identity.server,
            items: [] as RecommendationItem[],
            progress: { phase: 'listing', done: 0, total: 1 },
          };
          this.running = running;
          const { result, statistics, observed } = await scanCluster(target, client, {
            time: scannedAt,
            strategy: parseStrategyConfig(settings.value.strategy, {}),
            minimums: { cpu_min_value: 10, memory_min_value: 100 },
            namespaces: settings.value.namespaces,
            kinds: [],
            // Several contexts expanded at once in one shared Prometheus load it as one scan does.
            ...(everyContextReadsTheUrl(settings.value) ? { querySlots: this.deps.sharedQuerySlots } : {}),
            onProgress: (p) => {
              progress.report({ message: `${p.phase} ${p.done}/${p.total}` });
              if (run !== this.generation) return;
              running.progress = { ...p };
              this.deps.changed(true);
            },
            onRows: (rows) => {
              if (run !== this.generation) return;
              for (const row of rows) running.items.push(toRecommendationItem(this.context, row, prices));
              this.deps.changed(true);
            },
          });
          if (run !== this.generation) return;
          log.info(
            `Scanned ${this.context}: ${statistics.workloads} workloads with ${statistics.queries} Prometheus queries`,
          );
          this.running = undefined;
          this.lastResult = result;
          this.lastObserved = observed;
          this.lastSignals = new Map();
          this.lastSource = { target, client, time: scannedAt };
          this.histories = new Map();
          this.ids = undefined;
          this.last = {
            context: this.context,
            server: target.identity.server,
            scannedAt: new Date(),
            items: result.scans.map((s) => toRecommendationItem(this.context, s, prices)).sort(byImpact),
          };
          this.setState(this.last.items.length > 0 ? 'ready' : 'empty');
          // The tree shows the recommendations at once; the at-risk marks follow a moment later.
          void this.loadSignals(run, target, client, result, scannedAt);
        } catch (error) {
          if (run !== this.generation) return;
          const message = explainError(error, SETTING_PARAMETER_NAMES);
          log.error(`${this.context}: ${message}`);
          this.running = undefined;
          this.problem = message;
          this.setState(error instanceof KubeConfigError ? 'no-kubeconfig' : 'error');
          void vscode.window.showErrorMessage(`krr-mcp: ${this.context}: ${message}`);
        } finally {
          if (this.abort === abort) this.abort = undefined;
        }
      },
    );
  }

  /** Stops the running scan and its Prometheus requests; the last complete scan stays. */
  private cancel(run: number, abort: AbortController): void {
    // The requests stop too: a cancelled scan must not keep a large Prometheus busy.
    abort.abort();
    if (run !== this.generation) return;
    this.generation++;
    this.running = undefined;
    this.deps.log.info(`Scan of ${this.context} cancelled`);
    if (!this.last) this.problem = 'Scan cancelled.';
    this.setState(this.last ? 'ready' : 'empty');
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
      for (const problem of problems) this.deps.log.warn(`Risk signals: ${problem}`);
      if (run !== this.generation || !this.last) return;
      this.deps.log.info(
        `Risk signals of ${this.context}: ${atRiskSummary(signals)} (${client.queryCount - before} Prometheus queries, ${Date.now() - started} ms)`,
      );
      this.lastSignals = signals;
      this.last = {
        ...this.last,
        items: this.last.items.map((item) => {
          const found = signals.get(historyKey(item));
          return found ? { ...item, risk_signals: riskSignalsView(found) } : item;
        }),
      };
      this.deps.changed(false);
    } catch (error) {
      if (run === this.generation)
        this.deps.log.warn(
          `Risk signals of ${this.context} could not be read: ${explainError(error, SETTING_PARAMETER_NAMES)}`,
        );
    }
  }

  private setState(state: RecommendationState): void {
    this.current = state;
    this.deps.changed(false);
  }

  /** Stops a running scan without a word (the context left the kubeconfig, or the editor closes). */
  dispose(): void {
    this.generation++;
    this.abort?.abort();
  }
}
