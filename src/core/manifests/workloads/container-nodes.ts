// The YAML nodes of a document's containers: where each one's `resources` is (for editors and CodeLens),
// what it sets, and whether YAML anchors, aliases or merge keys make an edit unsafe.

import { isAlias, isCollection, isMap, isPair, isScalar, isSeq, type Node } from 'yaml';
import { assertEditable, findPair } from '../edit/edit-context.js';
import type { PathStep } from '../edit/write-tree.js';
import { lineStartOf } from '../edit/yaml-layout.js';
import type { SourceLocation } from '../model.js';
import { fieldValuesOf, type FieldValues } from '../resource-fields.js';
import type { YamlSource } from '../yaml-source.js';

export interface ContainerNode {
  name: string;
  /** From the document's root to the container's map, the container picked by name. */
  path: PathStep[];
  values: FieldValues;
  hasResources: boolean;
  location: SourceLocation;
  problem?: string;
}

/** The node at a path of keys and indexes, or why it cannot be reached without resolving an alias. */
export function nodeAt(root: unknown, path: ReadonlyArray<string | number>): { node?: Node; alias?: string } {
  let current: unknown = root;
  for (const step of path) {
    if (isAlias(current)) return { alias: String(step) };
    if (typeof step === 'number') current = isSeq(current) ? current.items[step] : undefined;
    else current = isMap(current) ? findPair(current, step)?.value : undefined;
    if (current === undefined || current === null) return {};
  }
  if (isAlias(current)) return { alias: String(path.at(-1) ?? '') };
  return { node: current as Node };
}

function editableProblem(node: unknown, where: string): string | undefined {
  try {
    assertEditable(node, where);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/** Anchors, aliases and merge keys anywhere under a node, as a reason not to edit it. */
function sharedYamlProblem(node: unknown, where: string): string | undefined {
  const queue: Array<[unknown, string]> = [[node, where]];
  for (let visited = 0; queue.length > 0 && visited < 1000; visited++) {
    const [current, path] = queue.shift()!;
    const problem = editableProblem(current, path);
    if (problem) return problem;
    if (isCollection(current))
      for (const item of current.items) {
        if (isPair(item))
          queue.push([item.value, isScalar(item.key) ? `${path}.${String(item.key.value)}` : path]);
        else queue.push([item, path]);
      }
  }
  return undefined;
}

/** The `resources:` key, else the container's `- name:`, as a position in the workspace file. */
function locationOf(source: YamlSource, container: Node): SourceLocation {
  const map = isMap(container) ? container : undefined;
  const resources = map ? findPair(map, 'resources') : undefined;
  const key = (resources?.key ?? (map ? findPair(map, 'name')?.key : undefined) ?? container) as Node;
  const offset = key.range?.[0] ?? 0;
  const prefix = source.text.slice(lineStartOf(source.text, offset), offset);
  const dash = /-\s+$/.exec(prefix);
  return source.locate(dash ? offset - prefix.length + dash.index : offset);
}

/**
 * The containers of one pod spec: `containersValue` is the list as plain data (aliases resolved),
 * `containersPath` where its node is. Init containers are never read: they are never changed.
 */
export function containerNodes(
  source: YamlSource,
  docIndex: number,
  containersPath: ReadonlyArray<string | number>,
  containersValue: ReadonlyArray<{ name: string; resources?: unknown }>,
  keepNulls: boolean,
): ContainerNode[] {
  const doc = source.docs[docIndex];
  const reached = nodeAt(doc?.contents, containersPath);
  const listProblem = reached.alias
    ? `the containers come from a YAML alias (at ${reached.alias})`
    : undefined;
  const list = reached.node && isSeq(reached.node) ? reached.node : undefined;
  return containersValue.map((container, index) => {
    const node = list?.items[index] as Node | undefined;
    const read = fieldValuesOf(container.resources, keepNulls);
    const resourcesNode = node && isMap(node) ? findPair(node, 'resources') : undefined;
    const problem =
      listProblem ??
      (node ? undefined : 'the container cannot be located in the file') ??
      (read.ok ? undefined : read.problem) ??
      // Only the container map itself and its resources matter: an alias in `env` changes nothing here.
      editableProblem(node, `container ${container.name}`) ??
      (resourcesNode
        ? sharedYamlProblem(resourcesNode.value, `container ${container.name} resources`)
        : undefined);
    return {
      name: container.name,
      path: [...containersPath, { match: 'name', value: container.name }],
      values: read.ok ? read.values : {},
      hasResources: resourcesNode !== undefined,
      location: node ? locationOf(source, node) : source.locate(doc?.range[0] ?? 0),
      ...(problem ? { problem } : {}),
    };
  });
}
