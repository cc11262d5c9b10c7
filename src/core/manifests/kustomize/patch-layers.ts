// Applying one kustomization's patches to the workloads built so far: every strategic-merge patch that
// targets a workload becomes a layer of each of its containers (an empty one when the patch does not name
// the container: new fields can still go there). JSON 6902 patches that touch resources are not edited.

import { z } from 'zod';
import { podSpecPath } from '../../changes/workload-object.js';
import type { WorkloadKind } from '../../recommend/model.js';
import type { ResourcesLayer } from '../container-candidate.js';
import type { SourceLocation } from '../model.js';
import { splitField } from '../resource-fields.js';
import { containerNodes } from '../workloads/container-nodes.js';
import { dataAt, documentData, type WorkloadDocument } from '../workloads/workload-documents.js';
import type { Workspace } from '../workspace.js';
import { fileSource, type YamlSource } from '../yaml-source.js';
import type { Kustomization, PatchRef } from './kustomization-file.js';
import { matchesPatchIdentity, matchesTarget, type PatchSubject } from './patch-target.js';

export interface BuildItem extends PatchSubject {
  workload: WorkloadDocument;
  fileKey: string;
  kind: WorkloadKind;
  layers: Map<string, ResourcesLayer[]>;
  problems: Map<string, string>;
  itemProblem?: string;
  /** The name the last kustomization's patches saw. */
  stageName: string;
  namespace?: string;
}

export interface PatchContext {
  workspace: Workspace;
  sharedBy: (fileKey: string) => string | undefined;
}

const PatchHeaderSchema = z.looseObject({
  kind: z.string().optional(),
  metadata: z.looseObject({ name: z.string().optional(), namespace: z.string().optional() }).optional(),
});
const PatchContainersSchema = z.array(
  z.looseObject({
    name: z.string().min(1),
    resources: z.unknown().optional(),
    $patch: z.string().optional(),
  }),
);
const JsonPatchSchema = z.array(
  z.looseObject({ op: z.string(), path: z.string(), from: z.string().optional() }),
);

/** Whether a JSON 6902 path can change a container's resources (or the whole containers list). */
function touchesResources(path: string, kind: WorkloadKind): boolean {
  const containers = `/${[...podSpecPath(kind), 'containers'].join('/')}`;
  if (path === '' || containers.startsWith(`${path}/`) || path === containers) return true;
  if (!path.startsWith(`${containers}/`)) return false;
  const rest = path.slice(containers.length + 1).split('/');
  return rest.length === 1 || rest[1] === 'resources';
}

interface PatchSourceRead {
  source?: YamlSource;
  /** Writable source, or why the patch can only be read. */
  writable: boolean;
  readOnly?: string;
  fileKey: string;
  problem?: string;
  /** Where a read-only inline patch is in its kustomization. */
  inlineLocation?: SourceLocation;
}

function readPatchSource(ctx: PatchContext, k: Kustomization, patch: PatchRef): PatchSourceRead {
  if (patch.fileKey !== undefined) {
    const fileKey = patch.fileKey;
    if (!ctx.workspace.has(fileKey))
      return { fileKey, writable: false, problem: `${patch.label} is not among the files read` };
    const source = ctx.workspace.yaml(fileKey);
    return source
      ? { source, fileKey, writable: true }
      : { fileKey, writable: false, problem: `${patch.label} cannot be read` };
  }
  const inline = ctx.workspace.inlineYaml(k.key, patch.inline!);
  if (!('error' in inline)) return { source: inline, fileKey: k.key, writable: true };
  // Still read it (its values count), but never edit it.
  const readable = fileSource(k.path, String(patch.inline!.value ?? ''));
  if ('error' in readable)
    return { fileKey: k.key, writable: false, problem: `${patch.label}: ${readable.error}` };
  const inlineLocation = k.source.locate(patch.inline!.range?.[0] ?? 0);
  return { source: readable, fileKey: k.key, writable: false, readOnly: inline.error, inlineLocation };
}

function targetsOf(
  patch: PatchRef,
  header: { kind?: string; name?: string; namespace?: string },
  items: BuildItem[],
) {
  const matched: BuildItem[] = [];
  for (const item of items) {
    const match = patch.target ? matchesTarget(patch.target, item) : matchesPatchIdentity(header, item);
    if (typeof match === 'object') item.itemProblem ??= `${patch.label}: ${match.unsupported}`;
    else if (match) matched.push(item);
  }
  return matched;
}

export function applyPatches(ctx: PatchContext, k: Kustomization, items: BuildItem[]): void {
  for (const patch of k.patches) {
    const read = readPatchSource(ctx, k, patch);
    if (!read.source) {
      const affected = patch.target ? targetsOf(patch, {}, items) : items;
      for (const item of affected) item.itemProblem ??= read.problem;
      continue;
    }
    const source = read.source;
    source.docs.forEach((_, docIndex) => {
      const data = documentData(source, docIndex);
      if (!data.ok) {
        for (const item of items) item.itemProblem ??= `${patch.label}: ${data.message}`;
        return;
      }
      const ops = JsonPatchSchema.safeParse(data.data);
      if (ops.success || patch.list === 'patchesJson6902') {
        for (const item of patch.target ? targetsOf(patch, {}, items) : []) {
          const op = ops.success
            ? ops.data.find((o) =>
                [o.path, o.from].some((p) => p !== undefined && touchesResources(p, item.kind)),
              )
            : undefined;
          if (op || !ops.success)
            item.itemProblem ??= `${patch.label} is a JSON 6902 patch that changes ${op?.path ?? 'the workload'}; edit it by hand`;
        }
        return;
      }
      const header = PatchHeaderSchema.safeParse(data.data);
      if (!header.success) return;
      const identity = {
        ...(header.data.kind ? { kind: header.data.kind } : {}),
        ...(header.data.metadata?.name ? { name: header.data.metadata.name } : {}),
        ...(header.data.metadata?.namespace ? { namespace: header.data.metadata.namespace } : {}),
      };
      const targets = targetsOf(patch, identity, items);
      const sharedBy =
        ctx.sharedBy(read.fileKey) ??
        (targets.length > 1 ? `${targets.length} workloads of ${k.path}` : undefined);
      for (const item of targets)
        addPatchLayers(item, { patch, read, source, docIndex, data: data.data, sharedBy });
    });
  }
}

function addPatchLayers(
  item: BuildItem,
  at: {
    patch: PatchRef;
    read: PatchSourceRead;
    source: YamlSource;
    docIndex: number;
    data: unknown;
    sharedBy?: string;
  },
): void {
  const { patch, read, source, docIndex } = at;
  if ((at.data as { $patch?: unknown }).$patch !== undefined) {
    item.itemProblem ??= `${patch.label} uses $patch: ${String((at.data as { $patch?: unknown }).$patch)}`;
    return;
  }
  const containersPath = [...podSpecPath(item.kind), 'containers'];
  const parsed = PatchContainersSchema.safeParse(dataAt(at.data, containersPath) ?? []);
  if (!parsed.success) {
    item.itemProblem ??= `${patch.label}: its containers cannot be read`;
    return;
  }
  const directive = parsed.data.find((c) => c.$patch !== undefined);
  if (directive)
    item.itemProblem ??= `${patch.label} uses $patch: ${directive.$patch} on container ${directive.name}`;
  const nodes = containerNodes(source, docIndex, containersPath, parsed.data, true);
  const docStart = source.docs[docIndex]?.contents?.range?.[0] ?? 0;
  for (const container of item.workload.containers) {
    const node = nodes.find((n) => n.name === container.name);
    const raw = parsed.data.find((c) => c.name === container.name);
    if (raw && raw.resources === null)
      item.problems.set(container.name, `${patch.label} sets resources: null for ${container.name}`);
    if (node?.problem) item.problems.set(container.name, `${patch.label}: ${node.problem}`);
    const layer: ResourcesLayer = {
      fileKey: read.fileKey,
      ...(read.writable ? { source } : {}),
      doc: docIndex,
      ...(read.readOnly ? { readOnly: read.readOnly } : {}),
      fieldPath: (field) => [
        ...containersPath,
        { match: 'name', value: container.name },
        'resources',
        ...splitField(field),
      ],
      values: node?.values ?? {},
      ...(at.sharedBy ? { sharedBy: at.sharedBy } : {}),
      label: patch.inline ? patch.label : `patch ${patch.label}`,
      location: read.inlineLocation ?? node?.location ?? source.locate(docStart),
      definesResources: node?.hasResources ?? false,
    };
    const layers = item.layers.get(container.name) ?? [];
    layers.push(layer);
    item.layers.set(container.name, layers);
  }
}
