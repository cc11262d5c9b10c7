// New YAML text for the parts of a write tree that do not exist yet, in block style (indented lines) or
// flow style (`{cpu: 250m}`), laid out like the document they go into.

import { formatScalar, type Layout, type QuoteStyle } from './yaml-layout.js';
import { writesSomething, type FieldWrite, type MapWrites, type WriteNode } from './write-tree.js';

export class UnsupportedEditError extends Error {
  override name = 'UnsupportedEditError';
}

export function leafText(write: FieldWrite, style: QuoteStyle): string {
  if (write.op === 'null') return 'null';
  if (write.op === 'set') return formatScalar(write.text, style, write.stringOnly);
  throw new UnsupportedEditError('a deletion has no text');
}

function keyText(key: string): string {
  return formatScalar(key, 'plain', true);
}

/** Lines (without line ends) for map entries at `indent`. */
export function blockEntryLines(
  children: Map<string, WriteNode>,
  indent: number,
  layout: Layout,
  style: QuoteStyle,
): string[] {
  const pad = ' '.repeat(indent);
  const lines: string[] = [];
  for (const [key, node] of children) {
    if (!writesSomething(node)) continue;
    if (node.type === 'leaf') {
      lines.push(`${pad}${keyText(key)}: ${leafText(node.write, style)}`);
    } else if (node.type === 'map') {
      lines.push(
        `${pad}${keyText(key)}:`,
        ...blockEntryLines(node.children, indent + layout.step, layout, style),
      );
    } else if (node.type === 'items') {
      lines.push(`${pad}${keyText(key)}:`);
      for (const [value, item] of node.items)
        lines.push(...blockItemLines(node.match, value, item, indent + layout.sequenceIndent, layout, style));
    } else {
      throw new UnsupportedEditError(`${key}: list items cannot be created by index`);
    }
  }
  return lines;
}

/** A list item `- <match>: <value>` with its writes below, the dash at `dashIndent`. */
export function blockItemLines(
  match: string,
  value: string,
  item: MapWrites,
  dashIndent: number,
  layout: Layout,
  style: QuoteStyle,
): string[] {
  if (item.children.size > 0 && !writesSomething(item)) return [];
  const head = `${' '.repeat(dashIndent)}- ${keyText(match)}: ${formatScalar(value, 'plain', true)}`;
  return [head, ...blockEntryLines(item.children, dashIndent + 2, layout, style)];
}

export function joinLines(lines: readonly string[], layout: Layout): string {
  return lines.map((line) => line + layout.newline).join('');
}

/** A value in flow style: `{requests: {cpu: 250m}}`. */
export function flowValue(node: WriteNode, style: QuoteStyle): string {
  switch (node.type) {
    case 'leaf':
      return leafText(node.write, style);
    case 'map':
      return `{${flowEntries(node.children, style).join(', ')}}`;
    case 'items':
      return `[${[...node.items]
        .filter(([, item]) => item.children.size === 0 || writesSomething(item))
        .map(([value, item]) =>
          flowValue(
            { type: 'map', children: new Map([[node.match, leafSet(value)], ...item.children]) },
            style,
          ),
        )
        .join(', ')}]`;
    case 'indexes':
      throw new UnsupportedEditError('list items cannot be created by index');
  }
}

function leafSet(text: string): WriteNode {
  return { type: 'leaf', write: { op: 'set', text, stringOnly: true } };
}

export function flowEntries(children: Map<string, WriteNode>, style: QuoteStyle): string[] {
  return [...children]
    .filter(([, node]) => writesSomething(node))
    .map(([key, node]) => `${keyText(key)}: ${flowValue(node, style)}`);
}

/** A whole new item of a flow list: `{path: x.yaml}`. */
export function flowItem(match: string, value: string, item: MapWrites, style: QuoteStyle): string {
  return flowValue({ type: 'map', children: new Map([[match, leafSet(value)], ...item.children]) }, style);
}
