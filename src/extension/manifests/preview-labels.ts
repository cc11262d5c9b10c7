import { posix } from 'node:path';
import type * as vscode from 'vscode';
import type { ManifestEdit, ManifestPlan } from '../../core/manifests/index.js';
import { displayPath } from './relative-paths.js';

/**
 * The refactor preview's line for each file: which containers it writes ("krr: Deployment shop/web app,
 * proxy"), and the file. A kustomization that only lists a new patch is labelled with that patch's
 * containers. Every entry needs confirmation, which is what makes VS Code show the preview.
 */
export function previewMetadata(
  plan: ManifestPlan,
): (edit: ManifestEdit) => vscode.WorkspaceEditEntryMetadata {
  const writers = new Map<string, Map<string, string[]>>();
  for (const outcome of plan.containers) {
    if (outcome.status !== 'edited') continue;
    const workload = `${outcome.kind} ${outcome.namespace}/${outcome.name}`;
    for (const path of new Set(outcome.placements.map((p) => p.path))) {
      const workloads = writers.get(path) ?? new Map<string, string[]>();
      const containers = workloads.get(workload) ?? [];
      if (!containers.includes(outcome.container)) containers.push(outcome.container);
      workloads.set(workload, containers);
      writers.set(path, workloads);
    }
  }
  const createdBeside = (path: string) =>
    plan.edits.find((e) => e.created && posix.dirname(e.path) === posix.dirname(path))?.path;

  return (edit) => {
    const workloads = writers.get(edit.path) ?? writers.get(createdBeside(edit.path) ?? '');
    const who = workloads
      ? [...workloads]
          .map(([workload, containers]) => `${workload} ${[...containers].sort().join(', ')}`)
          .join('; ')
      : 'recommendations';
    const path = displayPath(edit.path);
    return {
      needsConfirmation: true,
      label: `krr: ${who}`,
      description: edit.created ? `${path} (new Kustomize patch)` : path,
    };
  };
}
