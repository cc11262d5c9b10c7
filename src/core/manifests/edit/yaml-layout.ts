// How a YAML text is laid out where it is edited: columns, the ends of values, the indentation a document
// uses and how it quotes quantities, so that inserted lines look like their neighbours.

import { isCollection, isMap, isPair, isScalar, isSeq, parse, Scalar, type Node } from 'yaml';
import { checkQuantity } from '../../kube/quantity.js';

export function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** 0-based column; a byte order mark at the start of the text is not a column. */
export function columnOf(text: string, offset: number): number {
  const start = lineStartOf(text, offset);
  return offset - start - (start === 0 && text.charCodeAt(0) === 0xfeff && offset > 0 ? 1 : 0);
}

/** Whether only spaces (or a BOM) precede `offset` on its line. */
export function startsLine(text: string, offset: number): boolean {
  return /^\uFEFF? *$/.test(text.slice(lineStartOf(text, offset), offset));
}

/** The offset right after the end of a node's last value (block collections: of their last item). */
function contentEnd(node: Node): number {
  let current: Node = node;
  for (let depth = 0; depth < 1000; depth++) {
    if (!isCollection(current) || current.flow || current.items.length === 0) break;
    const last = current.items[current.items.length - 1];
    const next = isPair(last) ? (last.value ?? last.key) : last;
    if (!next || typeof next !== 'object' || !('range' in next) || !next.range) break;
    current = next as Node;
  }
  return current.range![1];
}

/**
 * Where lines go after a node: the start of the line after its last value. At the end of a text without
 * a final newline, inserted lines must start with one (and the missing newline stays missing).
 */
export function lineAfter(text: string, node: Node): { offset: number; atEndWithoutNewline: boolean } {
  const end = contentEnd(node);
  if (end > 0 && text[end - 1] === '\n') return { offset: end, atEndWithoutNewline: false };
  const lf = text.indexOf('\n', end);
  return lf < 0
    ? { offset: text.length, atEndWithoutNewline: true }
    : { offset: lf + 1, atEndWithoutNewline: false };
}

export interface Layout {
  /** Indentation added per nested map. */
  step: number;
  /** Columns from a key to the dash of its list items ("containers:\n- name" is 0). */
  sequenceIndent: number;
  newline: '\n' | '\r\n';
}

/** The indentation a document already uses (the first nested map and list found), else 2 and 2. */
export function detectLayout(root: Node | null, text: string, newline: '\n' | '\r\n'): Layout {
  let step: number | undefined;
  let sequenceIndent: number | undefined;
  const queue: Node[] = root ? [root] : [];
  for (let visited = 0; queue.length > 0 && visited < 5000; visited++) {
    const node = queue.shift()!;
    if (!isCollection(node) || node.flow) continue;
    for (const item of node.items) {
      if (
        isPair(item) &&
        isScalar(item.key) &&
        item.key.range &&
        isCollection(item.value) &&
        !item.value.flow
      ) {
        const value = item.value;
        const first = value.items[0];
        const keyColumn = columnOf(text, item.key.range[0]);
        if (step === undefined && isMap(value) && isPair(first) && isScalar(first.key) && first.key.range)
          step = columnOf(text, first.key.range[0]) - keyColumn;
        if (sequenceIndent === undefined && isSeq(value) && value.range)
          sequenceIndent = columnOf(text, value.range[0]) - keyColumn;
        queue.push(value);
      } else if (isCollection(item) && !item.flow) queue.push(item);
    }
    if (step !== undefined && sequenceIndent !== undefined) break;
  }
  const safeStep = step !== undefined && step > 0 ? step : 2;
  const safeSequence = sequenceIndent !== undefined && sequenceIndent >= 0 ? sequenceIndent : safeStep;
  return { step: safeStep, sequenceIndent: safeSequence, newline };
}

export type QuoteStyle = 'plain' | 'double' | 'single';

/** How the quantities under a node are quoted (the first one found), so that new ones match. */
export function quantityQuoteStyle(node: Node | null | undefined): QuoteStyle | undefined {
  const queue: unknown[] = node ? [node] : [];
  for (let visited = 0; queue.length > 0 && visited < 200; visited++) {
    const current = queue.shift();
    if (isScalar(current)) {
      if (current.value === null || !checkQuantity(String(current.value)).ok) continue;
      if (current.type === Scalar.QUOTE_DOUBLE) return 'double';
      if (current.type === Scalar.QUOTE_SINGLE) return 'single';
      if (current.type === Scalar.PLAIN) return 'plain';
    } else if (isPair(current)) queue.push(current.value);
    else if (isCollection(current)) queue.push(...current.items);
  }
  return undefined;
}

function plainReadsBack(text: string, stringOnly: boolean): boolean {
  if (text === '' || /^[\s]|[\s]$|[#:{}[\],&*!|>'"%@`]/.test(text)) return false;
  let value: unknown;
  try {
    value = parse(text);
  } catch {
    return false;
  }
  if (value === text) return true;
  // A quantity read as a YAML number is the same amount to the API server ("1" and 1).
  return !stringOnly && typeof value === 'number' && checkQuantity(text).ok;
}

/** A scalar's text in the given style; plain only where YAML reads it back as meant. */
export function formatScalar(text: string, style: QuoteStyle, stringOnly = false): string {
  if (style === 'single') return `'${text.replaceAll("'", "''")}'`;
  if (style === 'double' || !plainReadsBack(text, stringOnly)) return JSON.stringify(text);
  return text;
}
