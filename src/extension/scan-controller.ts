import * as vscode from 'vscode';
import type { ContainerUsageHistory, RiskSignals } from '../core/evidence/usage-history-model.js';
import type { ScanResult } from '../core/recommend/model.js';
import type { RecommendationItem } from '../core/recommend/recommendation-items.js';
import { explainError } from '../core/input/parameters.js';
import type { ObservedUsage } from '../core/scan/scanner.js';
import { QuerySlots } from '../core/prometheus/query-slots.js';
import { ContextScan } from './context-scan.js';
import type { EditorKubeContext } from './kube-context.js';
import { SETTING_PARAMETER_NAMES } from './parameter-names.js';
import { readSettings } from './settings.js';
import type {
  ContextRecommendations,
  RecommendationSnapshot,
  RecommendationSource,
  RecommendationState,
} from './tree/recommendation-source.js';

/**
 * While a scan streams, the tree is redrawn at most this often: a 10,000-workload scan completes hundreds of
 * batches, and redrawing for each would keep the extension host busy.
 */
const STREAM_REFRESH_MS = 250;

/**
 * The scans of every kubeconfig context, one `ContextScan` each, created when a context is first scanned.
 * The tree shows them all; commands, the manifests features and the MCP server act on the editor's context
 * (the one "Select Context" chose), whose scan `snapshot()`/`result()`/… return.
 */
export class ScanController implements RecommendationSource, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly scans = new Map<string, ContextScan>();
  private readonly sharedQuerySlots = new QuerySlots(4);
  private streamTimer: NodeJS.Timeout | undefined;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly kube: EditorKubeContext,
    private readonly prometheusToken: () => Promise<string | undefined>,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.subscription = kube.onDidChange(() => {
      this.forgetStaleScans();
      this.fire();
    });
  }

  /** The editor's context, if the kubeconfig has one. */
  currentContext(): string | undefined {
    return this.kube.identity()?.context;
  }

  /** The scan of a context, if it was ever scanned in this session. */
  forContext(context: string): ContextScan | undefined {
    return this.scans.get(context);
  }

  /**
   * The context whose last complete scan holds a recommendation id (the editor's first). Ids start with
   * their context, but context names may hold "/", so the scans are asked rather than the id parsed.
   */
  contextOf(id: string): string | undefined {
    const current = this.current();
    if (current?.holds(id)) return current.context;
    for (const scan of this.scans.values()) if (scan.holds(id)) return scan.context;
    return undefined;
  }

  private current(): ContextScan | undefined {
    const context = this.currentContext();
    return context === undefined ? undefined : this.scans.get(context);
  }

  snapshot(): RecommendationSnapshot | undefined {
    return this.current()?.snapshot();
  }

  result(): ScanResult | undefined {
    return this.current()?.result();
  }

  observed(): Map<string, ObservedUsage> {
    return this.current()?.observed() ?? new Map();
  }

  signals(): Map<string, RiskSignals> {
    return this.current()?.signals() ?? new Map();
  }

  state(): RecommendationState {
    if (!this.kube.identity()) return 'no-kubeconfig';
    return this.current()?.state() ?? 'empty';
  }

  /** Every complete scan's recommendations, across contexts (the filter's choices, the view's badge). */
  allItems(): RecommendationItem[] {
    return [...this.scans.values()].flatMap((scan) => scan.snapshot()?.items ?? []);
  }

  contexts(): ContextRecommendations[] {
    const current = this.currentContext();
    const names = this.kube.contexts();
    const ordered = [
      ...(current !== undefined && names.includes(current) ? [current] : []),
      ...names.filter((name) => name !== current).sort((a, b) => a.localeCompare(b)),
    ];
    return ordered.map((context) => {
      const scan = this.scans.get(context);
      const isCurrent = context === current;
      return scan
        ? scan.view(isCurrent)
        : { context, current: isCurrent, state: 'empty', attempted: false, snapshot: undefined };
    });
  }

  /**
   * The usage behind a scan's recommendations, for the details panel's charts: `context` names the scan
   * (the tree row's).
   */
  history(keys: string[], context: string): Promise<ContainerUsageHistory[]> {
    const scan = this.scans.get(context);
    return scan ? scan.history(keys) : Promise.resolve([]);
  }

  /** Scans the editor's context ("krr-mcp: Scan Cluster", and after every apply). */
  async scan(): Promise<void> {
    const context = this.currentContext();
    if (context === undefined) {
      // No usable kubeconfig: say why, in the order a scan would find out (settings first).
      const settings = readSettings(vscode.workspace.getConfiguration('krrMcp'));
      const message = settings.ok ? this.whyNoContext() : `krr-mcp settings: ${settings.error}`;
      this.log.error(message);
      void vscode.window.showErrorMessage(settings.ok ? `krr-mcp: ${message}` : message);
      this.fire();
      return;
    }
    await this.scanOf(context).scan();
  }

  private whyNoContext(): string {
    try {
      this.kube.target();
      return 'the kubeconfig has no context to scan.';
    } catch (error) {
      return explainError(error, SETTING_PARAMETER_NAMES);
    }
  }

  scanContext(context: string): void {
    void this.scanNamed(context);
  }

  /** Scans one kubeconfig context (the command; `scanContext` is its fire-and-forget form for the tree). */
  async scanNamed(context: string): Promise<void> {
    if (!this.kube.contexts().includes(context)) {
      void vscode.window.showErrorMessage(`krr-mcp: the kubeconfig has no context named ${context}.`);
      return;
    }
    await this.scanOf(context).scan();
  }

  private scanOf(context: string): ContextScan {
    let scan = this.scans.get(context);
    if (!scan) {
      scan = new ContextScan(context, {
        kube: this.kube,
        prometheusToken: this.prometheusToken,
        log: this.log,
        isCurrent: (name) => name === this.currentContext(),
        changed: (streaming) => (streaming ? this.fireSoon() : this.fire()),
        sharedQuerySlots: this.sharedQuerySlots,
      });
      this.scans.set(context, scan);
    }
    return scan;
  }

  /**
   * A context that left the kubeconfig, or that now points at another API server, is not the cluster its
   * scan read: the scan goes (and stops, if it runs).
   */
  private forgetStaleScans(): void {
    const names = new Set(this.kube.contexts());
    for (const [context, scan] of this.scans) {
      let server: string | undefined;
      try {
        server = names.has(context) ? this.kube.target(context).identity.server : undefined;
      } catch {
        server = undefined;
      }
      const scanned = scan.server();
      if (server === undefined || (scanned !== undefined && scanned !== server)) {
        scan.dispose();
        this.scans.delete(context);
        this.log.info(`Forgot the scan of ${context}: the kubeconfig no longer points it at that cluster`);
      }
    }
  }

  private fireSoon(): void {
    this.streamTimer ??= setTimeout(() => this.fire(), STREAM_REFRESH_MS);
  }

  private fire(): void {
    if (this.streamTimer) clearTimeout(this.streamTimer);
    this.streamTimer = undefined;
    this.changed.fire();
  }

  dispose(): void {
    if (this.streamTimer) clearTimeout(this.streamTimer);
    for (const scan of this.scans.values()) scan.dispose();
    this.subscription.dispose();
    this.changed.dispose();
  }
}
