// Editing flow collections (`resources: {limits: {cpu: 1, memory: 1Gi}}`) in flow syntax: values are
// replaced in place, entries removed with their comma, new entries appended before the closing brace.

import { isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import {
  assertEditable,
  findPair,
  rangeOf,
  replaceScalar,
  scalarValue,
  WRITTEN_BEFORE,
  type EditContext,
} from './edit-context.js';
import { flowEntries, flowItem, flowValue, UnsupportedEditError } from './render-writes.js';
import { writesSomething, type MapWrites, type WriteNode } from './write-tree.js';
import { quantityQuoteStyle, type QuoteStyle } from './yaml-layout.js';

function itemRange(pair: Pair<Node, Node | null>): [number, number] {
  return [rangeOf(pair.key)[0], rangeOf(pair.value ?? pair.key)[1]];
}

/** Removes entries with their separators: runs of removed entries go with the comma that joins them. */
function removeEntries(ranges: Array<[number, number]>, removed: boolean[], ctx: EditContext): void {
  for (let i = 0; i < ranges.length;) {
    if (!removed[i]) {
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < ranges.length && removed[j + 1]) j++;
    let from: number;
    let to: number;
    if (j + 1 < ranges.length) [from, to] = [ranges[i]![0], ranges[j + 1]![0]];
    else if (i > 0) [from, to] = [ranges[i - 1]![1], ranges[j]![1]];
    else [from, to] = [ranges[0]![0], ranges[j]![1]];
    ctx.out.push({ offset: from, length: to - from, text: '' });
    i = j + 1;
  }
}

/** Appends entries after the last one (or inside empty braces). */
function appendEntries(
  collection: YAMLMap | YAMLSeq,
  ranges: Array<[number, number]>,
  kept: number,
  entries: string[],
  ctx: EditContext,
): void {
  if (entries.length === 0) return;
  if (ranges.length === 0) {
    ctx.out.push({ offset: rangeOf(collection)[0] + 1, length: 0, text: entries.join(', ') });
    return;
  }
  const end = ranges[ranges.length - 1]![1];
  ctx.out.push({ offset: end, length: 0, text: `${kept > 0 ? ', ' : ''}${entries.join(', ')}` });
}

export function editFlowMap(map: YAMLMap, writes: MapWrites, where: string, ctx: EditContext): void {
  assertEditable(map, where);
  const style = quantityQuoteStyle(map) ?? ctx.style;
  const pairs = map.items as Array<Pair<Node, Node | null>>;
  const removed = pairs.map(() => false);
  const added: string[] = [];
  for (const [key, node] of writes.children) {
    const pair = findPair(map, key);
    const path = where === '' ? key : `${where}.${key}`;
    if (!pair) {
      if (!writesSomething(node)) continue;
      const entry = flowEntries(new Map([[key, node]]), style).join(', ');
      const successor = WRITTEN_BEFORE[key] !== undefined ? findPair(map, WRITTEN_BEFORE[key]) : undefined;
      if (successor && !writes.children.has(WRITTEN_BEFORE[key]!))
        ctx.out.push({ offset: rangeOf(successor.key)[0], length: 0, text: `${entry}, ` });
      else added.push(entry);
      continue;
    }
    assertEditable(pair.value, path);
    editFlowValue(pair, node, path, style, ctx, () => (removed[pairs.indexOf(pair)] = true));
  }
  const ranges = pairs.map(itemRange);
  removeEntries(ranges, removed, ctx);
  appendEntries(map, ranges, removed.filter((r) => !r).length, added, ctx);
}

function editFlowValue(
  pair: Pair<Node, Node | null>,
  node: WriteNode,
  path: string,
  style: QuoteStyle,
  ctx: EditContext,
  remove: () => void,
): void {
  const value = pair.value;
  if (node.type === 'leaf') {
    if (node.write.op === 'delete') remove();
    else if (isScalar(value)) replaceScalar(value, node.write, style, ctx);
    else throw new UnsupportedEditError(`${path} is not a single value`);
  } else if (node.type === 'map') {
    if (isMap(value)) editFlowMap(value, node, path, { ...ctx, style });
    else if (isScalar(value) && value.value === null && writesSomething(node)) {
      const [start, end] = rangeOf(value);
      ctx.out.push({
        offset: start,
        length: end - start,
        text: `${start === end ? ' ' : ''}${flowValue(node, style)}`,
      });
    } else if (writesSomething(node)) throw new UnsupportedEditError(`${path} is not a map`);
  } else if (node.type === 'items') {
    if (isSeq(value)) editFlowItems(value, node, path, { ...ctx, style });
    else if (writesSomething(node)) throw new UnsupportedEditError(`${path} is not a list`);
  } else {
    throw new UnsupportedEditError(`${path}: list indexes in flow style are not edited`);
  }
}

export function editFlowItems(
  seq: YAMLSeq,
  writes: Extract<WriteNode, { type: 'items' }>,
  where: string,
  ctx: EditContext,
): void {
  assertEditable(seq, where);
  const added: string[] = [];
  for (const [value, item] of writes.items) {
    const found = seq.items.find((it) => scalarValue(it, writes.match) === value);
    const path = `${where}[${writes.match}=${value}]`;
    if (found === undefined) {
      if (item.children.size === 0 || writesSomething(item))
        added.push(flowItem(writes.match, value, item, ctx.style));
    } else if (isMap(found)) {
      editFlowMap(found, item, path, ctx);
    } else throw new UnsupportedEditError(`${path} is not a map`);
  }
  const ranges = seq.items.map((it) => rangeOf(it as Node));
  appendEntries(seq, ranges, ranges.length, added, ctx);
}
