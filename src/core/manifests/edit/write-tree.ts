// What to write into one YAML document, as a tree of paths from its root: map keys, list items picked by
// one of their keys (`- name: app`), and list indexes (only to walk into `kind: List` items).

export type ItemStep = { match: string; value: string };
export type PathStep = string | number | ItemStep;

/** set: write the quantity (or string) text; null: write `null` (a patch deletes the field); delete: remove it. */
export type FieldWrite =
  { op: 'set'; text: string; stringOnly?: boolean } | { op: 'null' } | { op: 'delete' };

export interface PathWrite {
  path: PathStep[];
  write: FieldWrite;
}

export type WriteNode =
  | { type: 'leaf'; write: FieldWrite }
  | { type: 'map'; children: Map<string, WriteNode> }
  | { type: 'items'; match: string; items: Map<string, MapWrites> }
  | { type: 'indexes'; items: Map<number, WriteNode> };

export type MapWrites = Extract<WriteNode, { type: 'map' }>;

export class WriteConflictError extends Error {
  override name = 'WriteConflictError';
}

function describePath(path: readonly PathStep[]): string {
  return path
    .map((step) =>
      typeof step === 'number'
        ? `[${step}]`
        : typeof step === 'string'
          ? step
          : `[${step.match}=${step.value}]`,
    )
    .join('.')
    .replace(/\.\[/g, '[');
}

function sameWrite(a: FieldWrite, b: FieldWrite): boolean {
  return a.op === b.op && (a.op !== 'set' || (b.op === 'set' && a.text === b.text));
}

export function emptyMapWrites(): MapWrites {
  return { type: 'map', children: new Map() };
}

/** Adds writes to a tree; two different writes to one path, or a path through a leaf, throw. */
export function addWrite(root: MapWrites, { path, write }: PathWrite): void {
  const last = path.at(-1);
  if (last === undefined || typeof last === 'object')
    throw new WriteConflictError(`${describePath(path)}: a write needs a field at the end of its path`);
  walk(root, path, write);
}

/** Makes sure a list item exists (`- path: krr-resources-web.yaml`), with nothing else written in it. */
export function ensureItem(root: MapWrites, path: PathStep[]): void {
  if (typeof path.at(-1) !== 'object')
    throw new WriteConflictError(`${describePath(path)} is not a list item`);
  walk(root, path, undefined);
}

function walk(root: MapWrites, path: PathStep[], write: FieldWrite | undefined): void {
  let node: WriteNode = root;
  for (let i = 0; i < path.length; i++) {
    const step = path[i]!;
    const last = i === path.length - 1;
    const next = path[i + 1];
    const make = (): WriteNode =>
      last && write
        ? { type: 'leaf', write }
        : typeof next === 'number'
          ? { type: 'indexes', items: new Map() }
          : typeof next === 'object'
            ? { type: 'items', match: next.match, items: new Map() }
            : emptyMapWrites();
    let child: WriteNode | undefined;
    if (typeof step === 'string' && node.type === 'map') {
      child = node.children.get(step) ?? make();
      node.children.set(step, child);
    } else if (typeof step === 'number' && node.type === 'indexes') {
      child = node.items.get(step) ?? make();
      node.items.set(step, child);
    } else if (typeof step === 'object' && node.type === 'items' && node.match === step.match) {
      child = node.items.get(step.value) ?? emptyMapWrites();
      node.items.set(step.value, child as MapWrites);
    } else {
      throw new WriteConflictError(`${describePath(path)}: conflicts with another write`);
    }
    if (last && write && (child.type !== 'leaf' || !sameWrite(child.write, write)))
      throw new WriteConflictError(`${describePath(path)} is written twice with different values`);
    node = child;
  }
}

/** Whether creating this subtree writes anything (deletions of absent fields write nothing). */
export function writesSomething(node: WriteNode): boolean {
  switch (node.type) {
    case 'leaf':
      return node.write.op !== 'delete';
    case 'map':
      return [...node.children.values()].some(writesSomething);
    case 'items':
      // An item with nothing under it is still created: the write is the item itself (`- path: x`).
      return [...node.items.values()].some((item) => item.children.size === 0 || writesSomething(item));
    case 'indexes':
      return [...node.items.values()].some(writesSomething);
  }
}
