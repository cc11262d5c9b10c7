// Editing block collections line by line: a value is replaced in place (its comment stays), a removed
// field takes its whole line with it, and new fields are inserted as lines indented like their siblings.

import { isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import {
  assertEditable,
  colonEnd,
  findPair,
  rangeOf,
  replaceScalar,
  scalarValue,
  WRITTEN_BEFORE,
  type EditContext,
} from './edit-context.js';
import { editFlowItems, editFlowMap } from './flow-edit.js';
import { blockEntryLines, blockItemLines, joinLines, UnsupportedEditError } from './render-writes.js';
import { writesSomething, type MapWrites, type WriteNode } from './write-tree.js';
import { columnOf, lineAfter, lineStartOf, quantityQuoteStyle, startsLine } from './yaml-layout.js';

/** Inserts whole lines at a line start, or after the last line of a text that has no final newline. */
function insertLines(
  lines: string[],
  at: { offset: number; atEndWithoutNewline: boolean },
  ctx: EditContext,
): void {
  if (lines.length === 0) return;
  const { newline } = ctx.layout;
  const text = at.atEndWithoutNewline ? newline + lines.join(newline) : joinLines(lines, ctx.layout);
  ctx.out.push({ offset: at.offset, length: 0, text });
}

/** The text a removed field takes with it: its whole line(s), comment included. */
function pairLines(pair: Pair<Node, Node | null>, where: string, text: string): [number, number] {
  const [keyStart] = rangeOf(pair.key);
  if (!startsLine(text, keyStart))
    throw new UnsupportedEditError(`${where} shares its line with another key; it cannot be removed alone`);
  return [lineStartOf(text, keyStart), lineAfter(text, pair.value ?? pair.key).offset];
}

/** Removes ranges, joining those that touch (the last two lines of a text without a final newline). */
function removeRanges(ranges: Array<[number, number]>, ctx: EditContext): void {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const [from, to] of sorted) {
    const last = merged.at(-1);
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else merged.push([from, to]);
  }
  for (const [from, to] of merged) {
    // Lines removed up to the end of a text without a final newline take the newline before them.
    const start =
      to === ctx.text.length && from > 0 && !ctx.text.endsWith('\n') && ctx.text[from - 1] === '\n'
        ? from - (ctx.text[from - 2] === '\r' ? 2 : 1)
        : from;
    ctx.out.push({ offset: start, length: to - start, text: '' });
  }
}

/**
 * `key:`, `key: ~` or `key: {}` in a block map that must now hold entries: the empty value is removed
 * (a comment after it stays) and the entries are written as lines below the key.
 */
function fillEmptyValue(pair: Pair<Node, Node | null>, lines: string[], ctx: EditContext): void {
  if (lines.length === 0) return;
  const value = pair.value;
  const [start, end] = value ? rangeOf(value) : [colonEnd(ctx.text, pair), colonEnd(ctx.text, pair)];
  if (start !== end) {
    const from = colonEnd(ctx.text, pair);
    ctx.out.push({ offset: from, length: end - from, text: '' });
  }
  const lf = ctx.text.indexOf('\n', end);
  insertLines(
    lines,
    lf < 0
      ? { offset: ctx.text.length, atEndWithoutNewline: true }
      : { offset: lf + 1, atEndWithoutNewline: false },
    ctx,
  );
}

function isEmptyValue(value: Node | null): boolean {
  if (value === null) return true;
  if (isScalar(value)) return value.value === null;
  return (isMap(value) || isSeq(value)) && value.flow === true && value.items.length === 0;
}

export function editBlockMap(
  map: YAMLMap,
  writes: MapWrites,
  where: string,
  ctx: EditContext,
): { emptied: boolean } {
  assertEditable(map, where);
  const pairs = map.items as Array<Pair<Node, Node | null>>;
  const first = pairs[0];
  if (!first) throw new UnsupportedEditError(`${where} is an empty block map`);
  const indent = columnOf(ctx.text, rangeOf(first.key)[0]);
  const style = quantityQuoteStyle(map) ?? ctx.style;
  const inner: EditContext = { ...ctx, style };
  const missing = new Map<
    number,
    { at: { offset: number; atEndWithoutNewline: boolean }; entries: Map<string, WriteNode> }
  >();
  const removed = new Set<Pair>();
  const removedLines: Array<[number, number]> = [];

  for (const [key, node] of writes.children) {
    const path = where === '' ? key : `${where}.${key}`;
    const pair = findPair(map, key);
    if (!pair) {
      if (!writesSomething(node)) continue;
      const successor = WRITTEN_BEFORE[key] !== undefined ? findPair(map, WRITTEN_BEFORE[key]) : undefined;
      const successorStart = successor ? rangeOf(successor.key)[0] : -1;
      const at =
        successor && startsLine(ctx.text, successorStart)
          ? { offset: lineStartOf(ctx.text, successorStart), atEndWithoutNewline: false }
          : lineAfter(ctx.text, map);
      const group = missing.get(at.offset) ?? { at, entries: new Map() };
      group.entries.set(key, node);
      missing.set(at.offset, group);
      continue;
    }
    assertEditable(pair.value, path);
    if (node.type === 'leaf' && node.write.op === 'delete') {
      if (!isScalar(pair.value) && pair.value !== null)
        throw new UnsupportedEditError(`${path} is not a single value`);
      removedLines.push(pairLines(pair, path, ctx.text));
      removed.add(pair);
    } else editBlockValue(pair, node, path, indent, inner);
  }
  removeRanges(removedLines, ctx);
  for (const { at, entries } of missing.values())
    insertLines(blockEntryLines(entries, indent, ctx.layout, style), at, ctx);
  return { emptied: removed.size > 0 && removed.size === pairs.length && missing.size === 0 };
}

function editBlockValue(
  pair: Pair<Node, Node | null>,
  node: WriteNode,
  path: string,
  indent: number,
  ctx: EditContext,
): void {
  const value = pair.value;
  const { layout } = ctx;
  if (node.type === 'leaf') {
    if (isScalar(value)) replaceScalar(value, node.write, ctx.style, ctx);
    else throw new UnsupportedEditError(`${path} is not a single value`);
  } else if (node.type === 'map') {
    if (isMap(value) && value.flow && value.items.length > 0) editFlowMap(value, node, path, ctx);
    else if (isMap(value) && !value.flow) {
      const { emptied } = editBlockMap(value, node, path, ctx);
      // An emptied map is left as `limits: {}`: the API server reads it like an absent one, and in a
      // Kustomize patch it merges nothing, whereas removing the key as well would take its comments along.
      if (emptied) ctx.out.push({ offset: colonEnd(ctx.text, pair), length: 0, text: ' {}' });
    } else if (isEmptyValue(value)) {
      fillEmptyValue(pair, blockEntryLines(node.children, indent + layout.step, layout, ctx.style), ctx);
    } else if (writesSomething(node)) throw new UnsupportedEditError(`${path} is not a map`);
  } else if (node.type === 'items') {
    if (isSeq(value) && value.flow && value.items.length > 0) editFlowItems(value, node, path, ctx);
    else if (isSeq(value) && !value.flow) editBlockItems(value, node, path, ctx);
    else if (isEmptyValue(value)) {
      const lines = [...node.items].flatMap(([name, item]) =>
        blockItemLines(node.match, name, item, indent + layout.sequenceIndent, layout, ctx.style),
      );
      fillEmptyValue(pair, lines, ctx);
    } else if (writesSomething(node)) throw new UnsupportedEditError(`${path} is not a list`);
  } else {
    if (!isSeq(value)) throw new UnsupportedEditError(`${path} is not a list`);
    for (const [index, child] of node.items) {
      const item = value.items[index];
      if (child.type !== 'map' || !isMap(item))
        throw new UnsupportedEditError(`${path}[${index}] is not a map`);
      if (item.flow) editFlowMap(item, child, `${path}[${index}]`, ctx);
      else editBlockMap(item, child, `${path}[${index}]`, ctx);
    }
  }
}

function editBlockItems(
  seq: YAMLSeq,
  writes: Extract<WriteNode, { type: 'items' }>,
  where: string,
  ctx: EditContext,
): void {
  assertEditable(seq, where);
  const dashIndent = columnOf(ctx.text, rangeOf(seq)[0]);
  const lines: string[] = [];
  for (const [value, item] of writes.items) {
    const path = `${where}[${writes.match}=${value}]`;
    const found = seq.items.find((it) => scalarValue(it, writes.match) === value);
    if (found === undefined) {
      lines.push(...blockItemLines(writes.match, value, item, dashIndent, ctx.layout, ctx.style));
    } else if (isMap(found)) {
      if (found.flow) editFlowMap(found, item, path, ctx);
      else editBlockMap(found, item, path, ctx);
    } else throw new UnsupportedEditError(`${path} is not a map`);
  }
  insertLines(lines, lineAfter(ctx.text, seq), ctx);
}
