// Which kustomizations include which: the roots (included by no other kustomization in the files), which
// roots reach each file (a file reached by two roots is shared and never edited for one of them), and
// which files belong to kustomize (they are not standalone manifests).

import { directoryOf, resolveFrom } from '../manifest-paths.js';
import type { Workspace } from '../workspace.js';
import { isKustomizationFile, readKustomization, type Kustomization } from './kustomization-file.js';

export type Reference =
  { type: 'file'; key: string } | { type: 'kustomization'; kustomization: Kustomization };

export interface KustomizeGraph {
  kustomizations: Kustomization[];
  roots: Kustomization[];
  /** File key → the roots whose build reads it. */
  reach: Map<string, Set<Kustomization>>;
  /** Files kustomize reads (resources, patches, kustomizations) and every file of a kustomization's directory. */
  owned: (key: string) => boolean;
  references: (k: Kustomization, entries: string[]) => Reference[];
  notes: string[];
}

// Remote bases (`github.com/org/repo//path?ref=v1`, URLs) are not in the workspace.
const REMOTE = /^(?:[a-z][a-z0-9+.-]*:\/\/|git@|github\.com\/|gitlab\.com\/|bitbucket\.org\/)|\?ref=|\/\/.+/i;

export function kustomizeGraph(workspace: Workspace): KustomizeGraph {
  const kustomizationKeys = workspace.keys().filter(isKustomizationFile).sort();
  const byDir = new Map<string, Kustomization>();
  const kustomizationDirs = new Set(kustomizationKeys.map(directoryOf));
  for (const key of kustomizationKeys) {
    const dir = directoryOf(key);
    if (byDir.has(dir)) {
      workspace.fail(key, `${dir} has more than one kustomization file; kustomize refuses that`);
      continue;
    }
    const k = readKustomization(workspace, key);
    if (k) byDir.set(dir, k);
  }
  const notes: string[] = [];
  const noted = new Set<string>();
  const note = (text: string) => {
    if (!noted.has(text)) notes.push(text);
    noted.add(text);
  };
  const references = (k: Kustomization, entries: string[]): Reference[] =>
    entries.flatMap((entry): Reference[] => {
      const key = resolveFrom(k.dir, entry);
      if (workspace.has(key)) return [{ type: 'file', key }];
      const child = byDir.get(key);
      if (child) return [{ type: 'kustomization', kustomization: child }];
      if (kustomizationDirs.has(key))
        note(`${k.path}: the kustomization of ${entry} cannot be read (see the file errors)`);
      else if (REMOTE.test(entry))
        note(`${k.path}: the remote resource ${entry} is not read; its workloads are not matched`);
      else note(`${k.path}: ${entry} is not among the files read; its workloads are not matched`);
      return [];
    });

  const kustomizations = [...byDir.values()];
  const included = new Set<Kustomization>();
  for (const k of kustomizations)
    for (const ref of references(k, [...k.resources, ...k.components]))
      if (ref.type === 'kustomization') included.add(ref.kustomization);
  const roots = kustomizations.filter((k) => !included.has(k));

  const reach = new Map<string, Set<Kustomization>>();
  const owned = new Set<string>();
  const mark = (key: string, root: Kustomization | undefined) => {
    owned.add(key);
    if (!root) return;
    const set = reach.get(key) ?? new Set();
    set.add(root);
    reach.set(key, set);
  };
  const visit = (k: Kustomization, root: Kustomization | undefined, stack: Set<Kustomization>) => {
    if (stack.has(k)) {
      note(
        `${k.path} includes itself (through ${[...stack].map((s) => s.path).join(' → ')}); kustomize refuses that`,
      );
      return;
    }
    stack.add(k);
    mark(k.key, root);
    for (const patch of k.patches) if (patch.fileKey) mark(patch.fileKey, root);
    for (const ref of references(k, [...k.resources, ...k.components])) {
      if (ref.type === 'file') mark(ref.key, root);
      else visit(ref.kustomization, root, stack);
    }
    stack.delete(k);
  };
  for (const root of roots) visit(root, root, new Set());
  // Kustomizations only reachable through a cycle: their files are still kustomize's, not standalone.
  for (const k of kustomizations) if (!owned.has(k.key)) visit(k, undefined, new Set());

  return {
    kustomizations,
    roots,
    reach,
    owned: (key) => owned.has(key) || kustomizationDirs.has(directoryOf(key)),
    references,
    notes,
  };
}
