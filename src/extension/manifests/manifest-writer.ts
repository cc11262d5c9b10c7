import * as vscode from 'vscode';
import type { SkippedRecommendation } from '../../core/changes/recommendations.js';
import type { ManifestPlan } from '../../core/manifests/index.js';
import { manifestWorkspaceEdit } from './manifest-workspace-edit.js';
import { previewMetadata } from './preview-labels.js';
import { displayText } from './relative-paths.js';
import type { WorkspaceManifests } from './workspace-manifests.js';

export type WriteResult =
  | { status: 'written' | 'discarded'; plan: ManifestPlan; skipped: SkippedRecommendation[] }
  | { status: 'nothing'; plan: ManifestPlan | null; skipped: SkippedRecommendation[] }
  | { status: 'refused'; message: string };

/** A person typing in one of the files can invalidate a plan again and again; after this many, give up. */
const ATTEMPTS = 3;

/**
 * Writes scan rows into the workspace files: plans them against the text of this moment, checks every
 * file still holds that text, then hands VS Code one WorkspaceEdit. A file that changed in between is
 * read and planned again; the edit is never applied to text it was not computed from. Nothing is saved
 * and nothing touches the cluster.
 */
export class ManifestWriter {
  constructor(
    private readonly manifests: WorkspaceManifests,
    private readonly log: Pick<vscode.LogOutputChannel, 'info' | 'warn'>,
  ) {}

  /**
   * `preview`: every entry needs confirmation, so VS Code shows its refactor preview first. Not
   * `isRefactoring`: that flag only makes VS Code save the files afterwards (`files.refactoring.autoSave`),
   * and nothing here is saved without the person.
   */
  async write(ids: readonly string[], options: { preview: boolean }): Promise<WriteResult> {
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      await this.manifests.settled();
      let planned;
      try {
        planned = this.manifests.planFor(ids);
      } catch (error) {
        return { status: 'refused', message: error instanceof Error ? error.message : String(error) };
      }
      if (!planned) return { status: 'refused', message: 'no scan yet: run "krr-mcp: Scan Cluster" first' };
      const { plan, skipped } = planned;
      if (!plan || plan.edits.length === 0) return { status: 'nothing', plan, skipped };
      const stale = await this.manifests.staleEdits(plan.edits);
      if (stale.length > 0) {
        this.log.info(`Changed since they were read, planning again: ${stale.map(displayText).join(', ')}`);
        continue;
      }
      let edit: vscode.WorkspaceEdit;
      try {
        const metadata = options.preview ? previewMetadata(plan) : undefined;
        edit = manifestWorkspaceEdit(plan.edits, (path) => this.manifests.uriFor(path), metadata);
      } catch (error) {
        return { status: 'refused', message: error instanceof Error ? error.message : String(error) };
      }
      const applied = await vscode.workspace.applyEdit(edit);
      return { status: applied ? 'written' : 'discarded', plan, skipped };
    }
    return {
      status: 'refused',
      message: 'the files kept changing while the edit was being computed; nothing was written',
    };
  }
}
