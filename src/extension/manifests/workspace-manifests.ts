import * as vscode from 'vscode';
import {
  indexManifests,
  planRecommendationEdits,
  type FileError,
  type ManifestEdit,
  type ManifestIndex,
  type RecommendationEditPlan,
} from '../../core/manifests/index.js';
import type { ScanResult } from '../../core/recommend/model.js';
import { recommendationId, type RecommendationItem } from '../../core/recommend/recommendation-items.js';
import type { RecommendationSnapshot } from '../tree/recommendation-source.js';
import type { WorkloadSource, WorkloadSources } from '../tree/workload-sources.js';
import { readCurrentText } from './current-text.js';
import { DebouncedRefresh } from './debounced-refresh.js';
import { PlannedRecommendations } from './planned-recommendations.js';
import { MANIFEST_GLOB, WorkspaceManifestFiles, type FileLimits } from './workspace-manifest-files.js';

/** The scan controller as this feature needs it (the last scan, its rows with ids, and when it changes). */
export interface ScanSource {
  result(): ScanResult | undefined;
  snapshot(): RecommendationSnapshot | undefined;
  onDidChange: vscode.Event<void>;
}

export interface WorkspaceManifestsOptions {
  scans: ScanSource;
  log: Pick<vscode.LogOutputChannel, 'info' | 'warn' | 'error'>;
  /** How long after the last keystroke or file event the files are read and planned again. */
  debounceMs?: number;
  limits?: FileLimits;
}

/** Short enough to feel live, long enough that typing in a big workspace does not replan per keystroke. */
const DEFAULT_DEBOUNCE_MS = 400;

/**
 * The workspace's manifests and, once there is a scan, the plan that writes every row of it: kept fresh
 * from file events and unsaved edits, recomputed after a pause (never synchronously per keystroke).
 * `onDidRefresh` fires after each refresh, which is what the editor surfaces and tests wait on.
 */
export class WorkspaceManifests implements WorkloadSources, vscode.Disposable {
  private readonly files: WorkspaceManifestFiles;
  private readonly refresh: DebouncedRefresh;
  private readonly refreshed = new vscode.EventEmitter<void>();
  readonly onDidRefresh = this.refreshed.event;
  private readonly subscriptions: vscode.Disposable[];
  private planned: PlannedRecommendations | undefined;
  private plannedResult: ScanResult | undefined;
  private index: ManifestIndex | undefined;

  constructor(private readonly options: WorkspaceManifestsOptions) {
    this.files = new WorkspaceManifestFiles(options.limits);
    this.refresh = new DebouncedRefresh(
      () => this.update(),
      options.debounceMs ?? DEFAULT_DEBOUNCE_MS,
      (error) =>
        options.log.error(`Workspace manifests: ${error instanceof Error ? error.message : String(error)}`),
    );
    const watcher = vscode.workspace.createFileSystemWatcher(MANIFEST_GLOB);
    const touch = (uri: vscode.Uri) => {
      if (!WorkspaceManifestFiles.follows(uri)) return;
      this.files.touch(uri);
      this.refresh.request();
    };
    this.subscriptions = [
      watcher,
      watcher.onDidCreate(touch),
      watcher.onDidChange(touch),
      watcher.onDidDelete((uri) => {
        this.files.forget(uri);
        this.refresh.request();
      }),
      // Unsaved edits count: a person sees (and a WorkspaceEdit changes) the document, not the disk.
      vscode.workspace.onDidChangeTextDocument((event) => touch(event.document.uri)),
      // Closed without saving: the disk's text is the truth again.
      vscode.workspace.onDidCloseTextDocument((document) => touch(document.uri)),
      options.scans.onDidChange(() => this.refresh.request()),
    ];
    this.refresh.request();
  }

  /** The plan for the last scan's rows against the files as last read; undefined before a scan. */
  current(): PlannedRecommendations | undefined {
    return this.planned;
  }

  /** Every container definition in the workspace, computed when first asked after a change. */
  manifestIndex(): ManifestIndex {
    this.index ??= indexManifests(this.files.files());
    return this.index;
  }

  sourceOf(items: readonly RecommendationItem[]): WorkloadSource | undefined {
    return this.planned?.sourceOf(items);
  }

  /** Whether the plan was computed from exactly this document's text (else a refresh is on its way). */
  isCurrent(document: vscode.TextDocument): boolean {
    return this.files.textOf(document.uri.path) === document.getText();
  }

  /** Waits until every pending file event and edit is read and planned. */
  settled(): Promise<void> {
    return this.refresh.flush();
  }

  /**
   * A plan for some rows only, from the files as last read: what a Quick Fix or the command writes.
   * null without a scan.
   */
  planFor(ids: readonly string[]): RecommendationEditPlan | null {
    const result = this.options.scans.result();
    const context = this.options.scans.snapshot()?.context;
    if (!result || context === undefined) return null;
    return planRecommendationEdits(this.files.files(), result.scans, {
      ids,
      idOf: (scan) => recommendationId(context, scan),
    });
  }

  uriFor(path: string): vscode.Uri | undefined {
    return this.files.uriFor(path);
  }

  /** Files found but not read (over the size cap, unreadable) and the file-count cap, if reached. */
  readErrors(): FileError[] {
    return this.files.fileErrors();
  }

  /**
   * The edits whose file no longer holds the text they were computed from (or, for a new file, that
   * exists now). Those files are read again at the next refresh.
   */
  async staleEdits(edits: readonly ManifestEdit[]): Promise<string[]> {
    const stale: string[] = [];
    for (const edit of edits) {
      const uri = this.files.uriFor(edit.path);
      const now = uri ? await readCurrentText(uri, Number.MAX_SAFE_INTEGER) : { missing: true as const };
      const fresh = edit.created ? 'missing' in now : 'text' in now && now.text === edit.before;
      if (fresh) continue;
      stale.push(edit.path);
      if (uri) this.files.touch(uri);
    }
    if (stale.length > 0) this.refresh.request();
    return stale;
  }

  dispose(): void {
    this.refresh.dispose();
    for (const subscription of this.subscriptions) subscription.dispose();
    this.refreshed.dispose();
  }

  private async update(): Promise<void> {
    const filesChanged = await this.files.update();
    if (filesChanged) this.index = undefined;
    // The scan controller also fires for its states (scanning, error): the same result needs no new plan.
    const result = this.options.scans.result();
    if (filesChanged || result !== this.plannedResult) {
      this.plannedResult = result;
      this.planned = this.planAll();
    }
    this.refreshed.fire();
  }

  private planAll(): PlannedRecommendations | undefined {
    const result = this.options.scans.result();
    const snapshot = this.options.scans.snapshot();
    if (!result || !snapshot || result.scans.length === 0) return undefined;
    try {
      const { plan } = planRecommendationEdits(this.files.files(), result.scans, {
        idOf: (scan) => recommendationId(snapshot.context, scan),
      });
      return plan ? new PlannedRecommendations(plan, snapshot, this.files) : undefined;
    } catch (error) {
      this.options.log.error(
        `Cannot plan the scan's recommendations against the workspace: ${error instanceof Error ? error.message : String(error)}`,
      );
      return undefined;
    }
  }
}
