import * as vscode from 'vscode';
import type { ContainerOutcome, ManifestPlan } from '../../core/manifests/index.js';
import type { RecommendationItem } from '../../core/recommend/recommendation-items.js';
import type { RecommendationSnapshot } from '../tree/recommendation-source.js';
import type { WorkloadSource, WorkloadSources } from '../tree/workload-sources.js';
import { displayPath } from './relative-paths.js';
import { TextPositions } from './text-positions.js';

/** One scan row with where the workspace defines it and what writing it would change. */
export interface PlannedContainer {
  /** The row's id (context/namespace/kind/name/container), as the tree and the MCP tools name it. */
  id: string;
  item: RecommendationItem;
  outcome: ContainerOutcome;
  /** The file of `outcome.location`, when there is one. */
  uri?: vscode.Uri;
  /** The `resources:` key's line, from its column to the end of the line's content. */
  range?: vscode.Range;
  /**
   * When the change is written to another file than the one that defines the values (a new overlay patch
   * for a shared base): that file, for people.
   */
  writesTo?: string;
}

export interface PlannedFiles {
  uriFor(path: string): vscode.Uri | undefined;
  textOf(path: string): string | undefined;
}

const keyOf = (o: { namespace: string; kind: string; name: string; container: string }) =>
  `${o.namespace}/${o.kind}/${o.name}/${o.container}`;

/**
 * The plan for every row of the last scan, read from the side of the editor: which rows are written
 * where, by file and by workload. Built once per refresh; CodeLens, diagnostics, Quick Fix and the tree
 * all read this same object, so they never disagree.
 */
export class PlannedRecommendations implements WorkloadSources {
  readonly containers: PlannedContainer[];
  private readonly ids: Map<string, PlannedContainer>;

  constructor(
    readonly plan: ManifestPlan,
    snapshot: RecommendationSnapshot,
    files: PlannedFiles,
  ) {
    const items = new Map(snapshot.items.map((item) => [keyOf(item), item]));
    const positions = new Map<string, TextPositions | undefined>();
    const positionsOf = (path: string) => {
      if (!positions.has(path)) {
        const text = files.textOf(path);
        positions.set(path, text === undefined ? undefined : new TextPositions(text));
      }
      return positions.get(path);
    };
    this.containers = plan.containers.flatMap((outcome) => {
      const item = items.get(keyOf(outcome));
      if (!item) return [];
      const location = outcome.location;
      const uri = location ? files.uriFor(location.path) : undefined;
      const lineText = location ? positionsOf(location.path)?.lineText(location.line) : undefined;
      const range =
        location && lineText !== undefined
          ? new vscode.Range(
              location.line - 1,
              location.column - 1,
              location.line - 1,
              Math.max(location.column - 1, lineText.trimEnd().length),
            )
          : undefined;
      const elsewhere = outcome.placements.find((p) => p.path !== location?.path)?.path;
      return [
        {
          id: item.id,
          item,
          outcome,
          ...(uri ? { uri } : {}),
          ...(range ? { range } : {}),
          ...(elsewhere ? { writesTo: displayPath(elsewhere) } : {}),
        },
      ];
    });
    this.ids = new Map(this.containers.map((c) => [c.id, c]));
  }

  /** Rows the plan writes whose `resources:` is in this file. */
  editedIn(uri: vscode.Uri): Array<PlannedContainer & { uri: vscode.Uri; range: vscode.Range }> {
    return this.containers.filter(
      (c): c is PlannedContainer & { uri: vscode.Uri; range: vscode.Range } =>
        c.outcome.status === 'edited' && !!c.range && c.uri?.toString() === uri.toString(),
    );
  }

  edited(): PlannedContainer[] {
    return this.containers.filter((c) => c.outcome.status === 'edited');
  }

  /** Where the workspace defines a workload: a container that was found (edited, unchanged or unsupported). */
  sourceOf(items: readonly RecommendationItem[]): WorkloadSource | undefined {
    // Asked for every workload row the tree draws: by id, not by scanning every container. Of several
    // containers, the first in the file, so that the editor opens at the top of the workload's ones.
    const found = items
      .map((i) => this.ids.get(i.id))
      .filter((c) => c?.uri && c.outcome.location)
      .sort((a, b) => a!.outcome.location!.line - b!.outcome.location!.line)[0];
    if (!found?.uri || !found.outcome.location) return undefined;
    const { path, line, column } = found.outcome.location;
    return { uri: found.uri, label: displayPath(path), line, column };
  }
}
