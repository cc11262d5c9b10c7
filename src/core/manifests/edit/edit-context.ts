// What the block and flow editors share: the text being edited, the changes collected so far, and the
// checks and scalar replacement that both styles do the same way.

import { isAlias, isMap, isScalar, Scalar, type Node, type Pair, type YAMLMap } from 'yaml';
import type { TextChange } from '../model.js';
import { leafText, UnsupportedEditError } from './render-writes.js';
import type { FieldWrite } from './write-tree.js';
import type { Layout, QuoteStyle } from './yaml-layout.js';

export interface EditContext {
  text: string;
  layout: Layout;
  /** Changes in offsets of `text`. */
  out: TextChange[];
  /** How new quantities are quoted when the map being edited has none to copy. */
  style: QuoteStyle;
}

// New keys go before these siblings, in the order people (and `kubectl`) write them.
export const WRITTEN_BEFORE: Readonly<Record<string, string>> = { requests: 'limits', cpu: 'memory' };

function keyOf(pair: Pair): string | undefined {
  return isScalar(pair.key) && pair.key.value !== null ? String(pair.key.value) : undefined;
}

export function findPair(map: YAMLMap, key: string): Pair<Node, Node | null> | undefined {
  return (map.items as Array<Pair<Node, Node | null>>).find((pair) => keyOf(pair) === key);
}

/** The value of `key` when it is a plain string or number (`- name: app`). */
export function scalarValue(map: unknown, key: string): string | undefined {
  if (!isMap(map)) return undefined;
  const value = findPair(map, key)?.value;
  return isScalar(value) && value.value !== null ? String(value.value) : undefined;
}

/**
 * Editing through an alias would edit the anchored node (and so every other place that uses it); an
 * anchored node or a merge key means other places share these values. Both are left to a person.
 */
export function assertEditable(node: unknown, where: string): void {
  if (isAlias(node)) throw new UnsupportedEditError(`${where} is a YAML alias (*${node.source})`);
  const anchor = (node as { anchor?: string } | null)?.anchor;
  if (anchor)
    throw new UnsupportedEditError(`${where} has a YAML anchor (&${anchor}) that other places may use`);
  if (isMap(node) && findPair(node, '<<'))
    throw new UnsupportedEditError(`${where} uses a YAML merge key (<<)`);
}

export function rangeOf(
  node: { range?: [number, number, number] | null } | null | undefined,
): [number, number] {
  if (!node?.range) throw new UnsupportedEditError('a YAML node has no source position');
  return [node.range[0], node.range[1]];
}

/** The offset just after the `:` that follows a key. */
export function colonEnd(text: string, pair: Pair): number {
  const colon = text.indexOf(':', rangeOf(pair.key as Node)[1]);
  if (colon < 0) throw new UnsupportedEditError('a key without a colon');
  return colon + 1;
}

function styleOf(scalar: Scalar, fallback: QuoteStyle): QuoteStyle {
  if (scalar.type === Scalar.QUOTE_DOUBLE) return 'double';
  if (scalar.type === Scalar.QUOTE_SINGLE) return 'single';
  if (scalar.type === Scalar.PLAIN) return scalar.value === null ? fallback : 'plain';
  throw new UnsupportedEditError('a resource value written as a block scalar (| or >)');
}

/** Writes a value in place of a scalar, keeping its quotes (`"500m"` stays double-quoted). */
export function replaceScalar(scalar: Scalar, write: FieldWrite, style: QuoteStyle, ctx: EditContext): void {
  if (write.op === 'null' && scalar.value === null) return;
  const [start, end] = rangeOf(scalar);
  if (start === end) {
    // `cpu:` with nothing after the colon.
    ctx.out.push({ offset: start, length: 0, text: ` ${leafText(write, style)}` });
    return;
  }
  ctx.out.push({ offset: start, length: end - start, text: leafText(write, styleOf(scalar, style)) });
}
