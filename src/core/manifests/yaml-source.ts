// A parsed YAML text whose node offsets can be turned into offsets and positions in a workspace file:
// the file itself, or an inline Kustomize patch (a literal block scalar) inside one.

import { parseAllDocuments, type Document } from 'yaml';
import type { SourceLocation } from './model.js';

export const MAX_YAML_CHARACTERS = 2 * 1024 * 1024;

export interface YamlSource {
  /** The workspace file's path as given. */
  path: string;
  /** The text the documents were parsed from (the file's, or the inline patch's content). */
  text: string;
  docs: Document.Parsed[];
  newline: '\n' | '\r\n';
  /** File offset of the block scalar this source is the content of; undefined for a whole file. */
  inlineAt?: number;
  toFileOffset(offset: number): number;
  /** Inserted text as it must appear in the file at `fileOffset` (the block's indentation added). */
  toFileText(text: string, fileOffset: number): string;
  locate(offset: number): SourceLocation;
}

export function newlineOf(text: string): '\n' | '\r\n' {
  const lf = text.indexOf('\n');
  return lf > 0 && text[lf - 1] === '\r' ? '\r\n' : '\n';
}

/** Why a text cannot be read as YAML at all, before parsing it. */
function unreadableText(text: string): string | undefined {
  if (text.length > MAX_YAML_CHARACTERS) return 'larger than 2 MiB; not read';
  if (text.includes('\u0000')) return 'not a text file (it contains NUL characters)';
  return undefined;
}

export type ParsedYaml = { ok: true; docs: Document.Parsed[] } | { ok: false; message: string };

function firstLine(message: string): string {
  return message.split('\n')[0]!.trim().replace(/:$/, '');
}

/** Parses every document; any error (syntax, duplicate key, exhausted resources) makes the whole text bad. */
export function parseYamlText(text: string): ParsedYaml {
  const unreadable = unreadableText(text);
  if (unreadable) return { ok: false, message: unreadable };
  try {
    const docs = [...parseAllDocuments(text, { prettyErrors: true })];
    for (const doc of docs) {
      const error = doc.errors[0];
      if (error?.code === 'RESOURCE_EXHAUSTION')
        return { ok: false, message: `too deeply nested or too large to read (${firstLine(error.message)})` };
      if (error) return { ok: false, message: firstLine(error.message) };
    }
    return { ok: true, docs: docs as Document.Parsed[] };
  } catch (error) {
    return {
      ok: false,
      message: `cannot be parsed: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

export function fileSource(path: string, text: string): YamlSource | { error: string } {
  const parsed = parseYamlText(text);
  if (!parsed.ok) return { error: parsed.message };
  const lineStarts = lineStartsOf(text);
  return {
    path,
    text,
    docs: parsed.docs,
    newline: newlineOf(text),
    toFileOffset: (offset) => offset,
    toFileText: (inserted) => inserted,
    locate: (offset) => {
      const { line, column } = positionOf(lineStarts, offset);
      // A byte order mark is not a column an editor shows.
      const bom = line === 1 && text.charCodeAt(0) === 0xfeff && offset > 0 ? 1 : 0;
      return { path, line, column: column - bom };
    },
  };
}

export function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** The index of the last line start at or before `offset`. */
export function lineIndexOf(lineStarts: readonly number[], offset: number): number {
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (lineStarts[middle]! <= offset) low = middle;
    else high = middle - 1;
  }
  return low;
}

function positionOf(lineStarts: readonly number[], offset: number): { line: number; column: number } {
  const index = lineIndexOf(lineStarts, offset);
  return { line: index + 1, column: offset - lineStarts[index]! + 1 };
}
