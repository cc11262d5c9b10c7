// From field placements to file edits: writes are grouped per YAML document (several containers may
// write into one), new Kustomize patch files are written and listed in their kustomization. A group that
// cannot be edited fails the containers that wrote into it, so that the others can still go ahead.

import { posix } from 'node:path';
import type { NewPatchHome } from './container-candidate.js';
import { editDocument } from './edit/document-edit.js';
import { blockEntryLines, joinLines } from './edit/render-writes.js';
import { addWrite, emptyMapWrites, ensureItem, type MapWrites } from './edit/write-tree.js';
import type { FieldPlacementPlan } from './field-placement.js';
import { normalizePath } from './manifest-paths.js';
import type { ManifestEdit, TextChange } from './model.js';
import { splitField } from './resource-fields.js';
import { applyChanges, normalizeChanges } from './text-changes.js';
import type { Workspace } from './workspace.js';
import type { YamlSource } from './yaml-source.js';

export interface ContainerIntent {
  id: number;
  container: string;
  placements: FieldPlacementPlan[];
}

export interface CreatedPatch {
  path: string;
  kustomizationPath: string;
  /** 1-based line of each container's `resources:` in the new file. */
  lines: Map<string, number>;
}

export interface Synthesis {
  edits: Array<ManifestEdit & { key: string }>;
  touched: Map<number, Set<string>>;
  failed: Map<number, string>;
  created: Map<NewPatchHome, CreatedPatch>;
}

interface FileWork {
  path: string;
  before: string;
  created: boolean;
  changes: TextChange[];
  ids: Set<number>;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function homeKey(home: NewPatchHome): string {
  return `${home.kustomizationKey}|${home.kind}|${home.name}`;
}

function newPatchText(home: NewPatchHome, writes: MapWrites): string {
  const tree = emptyMapWrites();
  addWrite(tree, { path: ['apiVersion'], write: { op: 'set', text: home.apiVersion, stringOnly: true } });
  addWrite(tree, { path: ['kind'], write: { op: 'set', text: home.kind, stringOnly: true } });
  addWrite(tree, { path: ['metadata', 'name'], write: { op: 'set', text: home.name, stringOnly: true } });
  for (const [key, node] of writes.children) tree.children.set(key, node);
  const { newline } = home.layout;
  const comment = `# Resources for ${home.kind} ${home.name} in this overlay only (written by krr-mcp).`;
  return comment + newline + joinLines(blockEntryLines(tree.children, 0, home.layout, 'plain'), home.layout);
}

export function synthesize(workspace: Workspace, intents: readonly ContainerIntent[]): Synthesis {
  const failed = new Map<number, string>();
  const touched = new Map<number, Set<string>>();
  const touch = (id: number, key: string) => touched.set(id, (touched.get(id) ?? new Set()).add(key));
  const groups = new Map<
    string,
    { source: YamlSource; doc: number; key: string; tree: MapWrites; ids: Set<number> }
  >();
  const homes = new Map<
    string,
    { home: NewPatchHome; tree: MapWrites; ids: Set<number>; containers: string[] }
  >();

  for (const intent of intents) {
    for (const placement of intent.placements) {
      try {
        if (placement.type === 'layer') {
          const { layer } = placement;
          const id = `${layer.fileKey}@${layer.source!.inlineAt ?? -1}#${layer.doc}`;
          const group = groups.get(id) ?? {
            source: layer.source!,
            doc: layer.doc,
            key: layer.fileKey,
            tree: emptyMapWrites(),
            ids: new Set(),
          };
          groups.set(id, group);
          addWrite(group.tree, { path: layer.fieldPath(placement.field)!, write: placement.write });
          group.ids.add(intent.id);
          touch(intent.id, layer.fileKey);
        } else {
          const { home } = placement;
          const entry = homes.get(homeKey(home)) ?? {
            home,
            tree: emptyMapWrites(),
            ids: new Set(),
            containers: [],
          };
          homes.set(homeKey(home), entry);
          const path = [
            ...home.containersPath,
            { match: 'name', value: intent.container },
            'resources',
            ...splitField(placement.field),
          ];
          addWrite(entry.tree, { path, write: placement.write });
          entry.ids.add(intent.id);
          if (!entry.containers.includes(intent.container)) entry.containers.push(intent.container);
          touch(intent.id, home.kustomizationKey);
        }
      } catch (error) {
        failed.set(intent.id, message(error));
      }
    }
  }

  const files = new Map<string, FileWork>();
  const work = (key: string, created = false): FileWork => {
    const existing = files.get(key);
    if (existing) return existing;
    const file = workspace.file(key);
    const entry: FileWork = {
      path: file?.path ?? key,
      before: file?.text ?? '',
      created,
      changes: [],
      ids: new Set(),
    };
    files.set(key, entry);
    return entry;
  };
  for (const group of groups.values()) {
    try {
      const target = work(group.key);
      target.changes.push(...editDocument(group.source, group.doc, group.tree));
      for (const id of group.ids) target.ids.add(id);
    } catch (error) {
      for (const id of group.ids) failed.set(id, message(error));
    }
  }

  const created = new Map<NewPatchHome, CreatedPatch>();
  const takenNames = new Set(workspace.keys());
  for (const { home, tree, ids, containers } of homes.values()) {
    try {
      const sameName = [...homes.values()].filter(
        (h) => h.home.kustomizationKey === home.kustomizationKey && h.home.name === home.name,
      );
      const stem = `krr-resources-${home.name}${sameName.length > 1 ? `-${home.kind.toLowerCase()}` : ''}`;
      let fileName = `${stem}.yaml`;
      for (let n = 2; takenNames.has(normalizePath(posix.join(home.dir, fileName))); n++)
        fileName = `${stem}-${n}.yaml`;
      const path = posix.join(home.dir, fileName);
      const key = normalizePath(path);
      takenNames.add(key);
      const text = newPatchText(home, tree);
      const kustomizationWrites = emptyMapWrites();
      ensureItem(kustomizationWrites, ['patches', { match: 'path', value: fileName }]);
      const listed = editDocument(home.kustomizationSource, 0, kustomizationWrites);
      const file = work(key, true);
      file.path = path;
      file.changes.push({ offset: 0, length: 0, text });
      const kustomization = work(home.kustomizationKey);
      kustomization.changes.push(...listed);
      for (const id of ids) {
        file.ids.add(id);
        kustomization.ids.add(id);
        touch(id, key);
      }
      const lines = text.split('\n');
      const resourceLines = new Map<string, number>();
      for (const container of containers) {
        const item = lines.findIndex((l) => l.trim() === `- name: ${container}`);
        resourceLines.set(container, lines.findIndex((l, i) => i > item && l.trim() === 'resources:') + 1);
      }
      created.set(home, { path, kustomizationPath: home.kustomizationPath, lines: resourceLines });
    } catch (error) {
      for (const id of ids) failed.set(id, message(error));
    }
  }

  const edits: Synthesis['edits'] = [];
  for (const [key, file] of files) {
    try {
      const changes = normalizeChanges(file.changes);
      if (changes.length === 0) continue;
      edits.push({
        key,
        path: file.path,
        before: file.before,
        after: applyChanges(file.before, changes),
        changes,
        created: file.created,
      });
    } catch (error) {
      for (const id of file.ids) failed.set(id, message(error));
    }
  }
  return { edits, touched, failed, created };
}
