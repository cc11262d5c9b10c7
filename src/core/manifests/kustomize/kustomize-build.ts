// What each root kustomization builds, as far as container resources go: the workloads of its resources
// (recursively), renamed and moved to namespaces like kustomize does, with every patch as a layer.

import { posix } from 'node:path';
import { podSpecPath } from '../../changes/workload-object.js';
import type { ContainerCandidate, ResourcesLayer } from '../container-candidate.js';
import { detectLayout } from '../edit/yaml-layout.js';
import { directoryOf } from '../manifest-paths.js';
import { splitField } from '../resource-fields.js';
import type { WorkloadDocument } from '../workloads/workload-documents.js';
import type { Workspace } from '../workspace.js';
import type { Kustomization } from './kustomization-file.js';
import type { KustomizeGraph } from './kustomize-graph.js';
import { applyPatches, type BuildItem, type PatchContext } from './patch-layers.js';

function newItem(workload: WorkloadDocument, fileKey: string, sharedBy: string | undefined): BuildItem {
  const layers = new Map<string, ResourcesLayer[]>();
  const problems = new Map<string, string>();
  for (const container of workload.containers) {
    layers.set(container.name, [
      {
        fileKey,
        source: workload.source,
        doc: workload.doc,
        fieldPath: (field) => [...container.path, 'resources', ...splitField(field)],
        values: container.values,
        ...(sharedBy ? { sharedBy } : {}),
        label: `base ${workload.source.path}`,
        location: container.location,
        definesResources: container.hasResources,
      },
    ]);
    if (container.problem) problems.set(container.name, container.problem);
  }
  return {
    workload,
    fileKey,
    kind: workload.kind,
    apiVersion: workload.apiVersion,
    names: [workload.name],
    namespaces: [workload.namespace],
    ...(workload.namespace ? { namespace: workload.namespace } : {}),
    labels: workload.labels,
    layers,
    problems,
    stageName: workload.name,
  };
}

function currentName(item: BuildItem): string {
  return item.names[item.names.length - 1]!;
}

export function kustomizeCandidates(workspace: Workspace, graph: KustomizeGraph): ContainerCandidate[] {
  const sharedBy = (fileKey: string): string | undefined => {
    const roots = [...(graph.reach.get(fileKey) ?? [])];
    if (roots.length < 2) return undefined;
    return `${roots.length} kustomizations (${roots.map((r) => posix.dirname(r.path)).join(', ')})`;
  };
  const ctx: PatchContext = { workspace, sharedBy };

  const resourcesOf = (k: Kustomization, stack: Set<Kustomization>): BuildItem[] =>
    graph
      .references(k, k.resources)
      .flatMap((ref) =>
        ref.type === 'file'
          ? workspace.workloadsIn(ref.key).map((w) => newItem(w, ref.key, sharedBy(ref.key)))
          : build(ref.kustomization, stack),
      );

  const build = (k: Kustomization, stack: Set<Kustomization>): BuildItem[] => {
    if (stack.has(k)) return [];
    stack.add(k);
    const items = resourcesOf(k, stack);
    for (const ref of graph.references(k, k.components)) {
      if (ref.type !== 'kustomization' || stack.has(ref.kustomization)) continue;
      items.push(...resourcesOf(ref.kustomization, stack));
      applyPatches(ctx, ref.kustomization, items);
    }
    applyPatches(ctx, k, items);
    // kustomize patches first, then sets namespaces and adds prefixes and suffixes.
    for (const item of items) {
      item.stageName = currentName(item);
      if (k.namespace) {
        item.namespace = k.namespace;
        item.namespaces.push(k.namespace);
      }
      if (k.namePrefix || k.nameSuffix) item.names.push(`${k.namePrefix}${currentName(item)}${k.nameSuffix}`);
    }
    stack.delete(k);
    return items;
  };

  const candidates: ContainerCandidate[] = [];
  for (const root of graph.roots) {
    for (const item of build(root, new Set())) {
      const { workload } = item;
      const doc = workload.source.docs[workload.doc];
      const layout = detectLayout(doc?.contents ?? null, workload.source.text, workload.source.newline);
      for (const container of workload.containers) {
        const problem = item.itemProblem ?? item.problems.get(container.name);
        candidates.push({
          kind: item.kind,
          ...(item.namespace ? { namespace: item.namespace } : {}),
          name: currentName(item),
          container: container.name,
          source: 'kustomize',
          origin: root.path,
          layers: item.layers.get(container.name) ?? [],
          newPatch: {
            kustomizationKey: root.key,
            kustomizationSource: root.source,
            kustomizationPath: root.path,
            dir: directoryOf(root.path),
            kind: item.kind,
            apiVersion: item.apiVersion,
            name: item.stageName,
            containersPath: [...podSpecPath(item.kind), 'containers'],
            layout,
          },
          ...(problem ? { problem } : {}),
        });
      }
    }
  }
  return candidates;
}
