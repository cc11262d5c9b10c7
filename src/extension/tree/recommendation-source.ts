import type * as vscode from 'vscode';
import type { RecommendationItem } from '../../core/recommend/recommendation-items.js';

/** What the view shows, and the value of the `krrMcp.state` context key that picks the welcome content. */
export type RecommendationState =
  'no-kubeconfig' | 'no-prometheus' | 'scanning' | 'error' | 'empty' | 'ready';

export interface RecommendationSnapshot {
  context: string;
  server: string;
  scannedAt: Date;
  items: RecommendationItem[];
}

/** The last scan as the tree sees it; the extension's scan controller implements this. */
export interface RecommendationSource {
  snapshot(): RecommendationSnapshot | undefined;
  state(): RecommendationState;
  onDidChange: vscode.Event<void>;
}
