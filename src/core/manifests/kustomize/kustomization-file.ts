// A kustomization file read through zod: what it includes, how it renames, and its patches in the order
// kustomize applies them (patchesStrategicMerge, then patches, then patchesJson6902).

import { isScalar, type Scalar } from 'yaml';
import { z } from 'zod';
import { baseName, directoryOf, resolveFrom } from '../manifest-paths.js';
import { describeIssues } from '../resource-fields.js';
import { nodeAt } from '../workloads/container-nodes.js';
import { documentData } from '../workloads/workload-documents.js';
import type { Workspace } from '../workspace.js';
import type { YamlSource } from '../yaml-source.js';

export const KUSTOMIZATION_FILE_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

export function isKustomizationFile(key: string): boolean {
  return KUSTOMIZATION_FILE_NAMES.includes(baseName(key));
}

const TargetSchema = z.looseObject({
  group: z.string().optional(),
  version: z.string().optional(),
  kind: z.string().optional(),
  name: z.string().optional(),
  namespace: z.string().optional(),
  labelSelector: z.string().optional(),
  annotationSelector: z.string().optional(),
});
export type PatchTarget = z.infer<typeof TargetSchema>;

const PatchEntrySchema = z
  .looseObject({ path: z.string().optional(), patch: z.string().optional(), target: TargetSchema.optional() })
  .refine(
    (entry) => entry.path !== undefined || entry.patch !== undefined,
    'a patch needs `path` or `patch`',
  );

const KustomizationSchema = z.looseObject({
  kind: z.enum(['Kustomization', 'Component']).optional(),
  resources: z.array(z.string()).nullish(),
  bases: z.array(z.string()).nullish(),
  components: z.array(z.string()).nullish(),
  namespace: z.string().nullish(),
  namePrefix: z.string().nullish(),
  nameSuffix: z.string().nullish(),
  patches: z.array(PatchEntrySchema).nullish(),
  patchesStrategicMerge: z.array(z.string()).nullish(),
  patchesJson6902: z.array(PatchEntrySchema).nullish(),
});

export interface PatchRef {
  list: 'patchesStrategicMerge' | 'patches' | 'patchesJson6902';
  index: number;
  /** A patch file, by normal path. */
  fileKey?: string;
  /** An inline patch: its scalar node in the kustomization (`patch: |-`). */
  inline?: Scalar;
  target?: PatchTarget;
  /** For people: "overlays/prod/web-resources.yaml" or "inline patch patches[1] in overlays/prod/…". */
  label: string;
}

export interface Kustomization {
  key: string;
  dir: string;
  /** The file's path as given. */
  path: string;
  source: YamlSource;
  namespace?: string;
  namePrefix: string;
  nameSuffix: string;
  /** `resources` and the older `bases`, as written. */
  resources: string[];
  components: string[];
  patches: PatchRef[];
}

export function readKustomization(workspace: Workspace, key: string): Kustomization | undefined {
  const source = workspace.yaml(key);
  if (!source) return undefined;
  if (source.docs.length > 1) {
    workspace.fail(key, 'a kustomization must be a single YAML document');
    return undefined;
  }
  const read = source.docs.length === 0 ? { ok: true as const, data: {} } : documentData(source, 0);
  if (!read.ok) {
    workspace.fail(key, read.message);
    return undefined;
  }
  const parsed = KustomizationSchema.safeParse(read.data ?? {});
  if (!parsed.success) {
    workspace.fail(key, `not a valid kustomization (${describeIssues(parsed.error)})`);
    return undefined;
  }
  const k = parsed.data;
  const dir = directoryOf(key);
  const path = workspace.file(key)?.path ?? key;
  const root = source.docs[0]?.contents;
  const inlineNode = (at: Array<string | number>): Scalar | undefined => {
    const { node } = nodeAt(root, at);
    return isScalar(node) ? node : undefined;
  };
  const patches: PatchRef[] = [];
  (k.patchesStrategicMerge ?? []).forEach((entry, index) => {
    // kustomize reads an entry with a line break as the patch itself, else as a file name.
    const inline = entry.includes('\n') ? inlineNode(['patchesStrategicMerge', index]) : undefined;
    patches.push(
      inline
        ? {
            list: 'patchesStrategicMerge',
            index,
            inline,
            label: `inline patch patchesStrategicMerge[${index}] in ${path}`,
          }
        : {
            list: 'patchesStrategicMerge',
            index,
            fileKey: resolveFrom(dir, entry),
            label: resolveLabel(workspace, dir, entry),
          },
    );
  });
  for (const list of ['patches', 'patchesJson6902'] as const) {
    (k[list] ?? []).forEach((entry, index) => {
      const target = entry.target ? { target: entry.target } : {};
      const inline = entry.path === undefined ? inlineNode([list, index, 'patch']) : undefined;
      if (entry.path !== undefined)
        patches.push({
          list,
          index,
          fileKey: resolveFrom(dir, entry.path),
          label: resolveLabel(workspace, dir, entry.path),
          ...target,
        });
      else if (inline)
        patches.push({ list, index, inline, label: `inline patch ${list}[${index}] in ${path}`, ...target });
    });
  }
  return {
    key,
    dir,
    path,
    source,
    ...(k.namespace ? { namespace: k.namespace } : {}),
    namePrefix: k.namePrefix ?? '',
    nameSuffix: k.nameSuffix ?? '',
    resources: [...(k.resources ?? []), ...(k.bases ?? [])],
    components: k.components ?? [],
    patches,
  };
}

/** The path of a referenced file as the workspace spells it (for messages). */
function resolveLabel(workspace: Workspace, dir: string, relative: string): string {
  const key = resolveFrom(dir, relative);
  return workspace.file(key)?.path ?? key;
}
