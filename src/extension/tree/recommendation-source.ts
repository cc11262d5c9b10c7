import type * as vscode from 'vscode';
import type { RecommendationItem } from '../../core/recommend/recommendation-items.js';

/** What the view shows, and the value of the `krrMcp.state` context key that picks the welcome content. */
export type RecommendationState =
  'no-kubeconfig' | 'no-prometheus' | 'scanning' | 'error' | 'empty' | 'ready';

/** How far a running scan is: the phase and its count, as the progress notification says it. */
export interface ScanProgressView {
  phase: string;
  done: number;
  total: number;
}

export interface RecommendationSnapshot {
  context: string;
  server: string;
  scannedAt: Date;
  items: RecommendationItem[];
  /**
   * Set while a scan of this context runs. On a first scan the items are the rows read so far (they arrive
   * batch by batch); on a rescan they are the previous scan's, kept until the new one is complete.
   */
  progress?: ScanProgressView;
}

/** One kubeconfig context as the tree shows it: a root row, scanned on demand. */
export interface ContextRecommendations {
  context: string;
  /** The editor's context: the one commands without a selection and the MCP server act on. */
  current: boolean;
  state: RecommendationState;
  /** A scan was started in this session (so expanding the row does not start one by itself). */
  attempted: boolean;
  snapshot: RecommendationSnapshot | undefined;
  /** Why the last scan gave nothing (failed, cancelled, no Prometheus), for the row. */
  problem?: string;
}

/** The scans as the tree sees them; the extension's scan controller implements this. */
export interface RecommendationSource {
  /** The editor's context's last complete scan. */
  snapshot(): RecommendationSnapshot | undefined;
  /** The editor's context's state (the welcome content shows it while no context has rows). */
  state(): RecommendationState;
  /** Every context of the kubeconfig, the editor's first. */
  contexts(): ContextRecommendations[];
  /** Starts a scan of one context (expanding a context that was never scanned, or its Scan action). */
  scanContext(context: string): void;
  onDidChange: vscode.Event<void>;
}
