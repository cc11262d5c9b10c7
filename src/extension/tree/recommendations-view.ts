import * as vscode from 'vscode';
import { isActionable } from './applicability.js';
import type { TreeNode } from './nodes/tree-node.js';
import type { RecommendationSource, RecommendationState } from './recommendation-source.js';
import { RecommendationsProvider } from './recommendations-provider.js';
import { describeFilter, isFilterActive, type TreeFilter, type WorkloadSort } from './tree-filter.js';

export const VIEW_ID = 'krrMcp.recommendations';

/** The recommendations tree with what surrounds it: badge, filter message and the context keys menus use. */
export class RecommendationsView implements vscode.Disposable {
  readonly provider: RecommendationsProvider;
  readonly view: vscode.TreeView<TreeNode>;
  private readonly subscription: vscode.Disposable;
  private lastState: RecommendationState | undefined;

  constructor(private readonly source: RecommendationSource) {
    this.provider = new RecommendationsProvider(source);
    this.view = vscode.window.createTreeView(VIEW_ID, {
      treeDataProvider: this.provider,
      showCollapseAll: true,
      canSelectMany: true,
    });
    this.subscription = source.onDidChange(() => this.update());
    this.update();
    this.updateViewContextKeys();
  }

  setFilter(filter: TreeFilter): void {
    this.provider.options.filter = filter;
    this.provider.refresh();
    this.updateMessage();
    this.updateViewContextKeys();
  }

  setSort(sort: WorkloadSort): void {
    this.provider.options.sort = sort;
    this.provider.refresh();
    this.updateViewContextKeys();
  }

  dispose(): void {
    this.subscription.dispose();
    this.view.dispose();
    this.provider.dispose();
  }

  private update(): void {
    const state = this.source.state();
    if (state !== this.lastState) {
      this.lastState = state;
      void vscode.commands.executeCommand('setContext', 'krrMcp.state', state);
    }
    this.updateBadge();
    this.updateMessage();
  }

  /** Counts every context's rows, not the filtered tree: the badge says how much there is to act on. */
  private updateBadge(): void {
    const actionable = this.shownItems().filter(isActionable).length;
    this.view.badge =
      actionable > 0
        ? {
            value: actionable,
            tooltip: `${actionable} recommendation${actionable === 1 ? '' : 's'} to act on`,
          }
        : undefined;
  }

  /** A message hides the welcome content, so it shows only while there are results to filter. */
  private updateMessage(): void {
    const hasResults = this.source.contexts().some((e) => (e.snapshot?.items.length ?? 0) > 0);
    this.view.message = hasResults ? describeFilter(this.provider.options.filter) : undefined;
  }

  /** What the tree shows, across contexts (a first scan's rows so far included: the badge grows with them). */
  private shownItems() {
    return this.source.contexts().flatMap((e) => e.snapshot?.items ?? []);
  }

  /** `krrMcp.filtered` toggles Filter / Clear Filter in the title bar; `krrMcp.sort` the sort toggle. */
  private updateViewContextKeys(): void {
    void vscode.commands.executeCommand(
      'setContext',
      'krrMcp.filtered',
      isFilterActive(this.provider.options.filter),
    );
    void vscode.commands.executeCommand('setContext', 'krrMcp.sort', this.provider.options.sort);
  }
}

export function createRecommendationsView(source: RecommendationSource): RecommendationsView {
  return new RecommendationsView(source);
}

// The commands the extension registers call these.

export function setFilter(recommendations: RecommendationsView, filter: TreeFilter): void {
  recommendations.setFilter(filter);
}

export function clearFilter(recommendations: RecommendationsView): void {
  recommendations.setFilter({});
}

export function setSort(recommendations: RecommendationsView, sort: WorkloadSort): void {
  recommendations.setSort(sort);
}

/** The handler for `krrMcp.showMore`, whose argument is the parent node's id. */
export function showMore(recommendations: RecommendationsView, parentId: unknown): void {
  if (typeof parentId === 'string') recommendations.provider.showMore(parentId);
}
