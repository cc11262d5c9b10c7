// An inline Kustomize patch (`patch: |-` followed by YAML) read as YAML of its own. Its content is the
// block's lines without the block's indentation; offsets map back line by line, and inserted lines get
// the indentation back, so that the patch is edited in place like any file.

import { Scalar } from 'yaml';
import { lineIndexOf, newlineOf, parseYamlText, type YamlSource } from './yaml-source.js';

function styleName(type: Scalar['type']): string {
  switch (type) {
    case Scalar.BLOCK_FOLDED:
      return 'a folded block (>)';
    case Scalar.QUOTE_DOUBLE:
    case Scalar.QUOTE_SINGLE:
      return 'a quoted string';
    default:
      return 'a plain string';
  }
}

export function inlineSource(file: YamlSource, scalar: Scalar): YamlSource | { error: string } {
  const where = file.locate(scalar.range?.[0] ?? 0);
  const at = `the inline patch at ${file.path}:${where.line}`;
  if (file.inlineAt !== undefined || !scalar.range) return { error: `${at} cannot be located` };
  if (scalar.type !== Scalar.BLOCK_LITERAL)
    return { error: `${at} is ${styleName(scalar.type)}; only literal blocks (|) are edited in place` };
  const text = file.text;
  const header = text.slice(scalar.range[0], text.indexOf('\n', scalar.range[0]) >>> 0);
  if (/^\|[+-]?[1-9]/.test(header))
    return { error: `${at} has an explicit indentation indicator (${header.trim()}); edit it by hand` };
  const bodyStart = text.indexOf('\n', scalar.range[0]) + 1;
  const bodyEnd = Math.max(scalar.range[1], bodyStart);
  if (bodyStart === 0) return { error: `${at} is empty` };

  const body = text.slice(bodyStart, bodyEnd);
  const indent = /^( *)\S/m.exec(body)?.[1]?.length ?? 0;
  const contentStarts: number[] = [];
  const fileStarts: number[] = [];
  const stripped: number[] = [];
  let content = '';
  for (let start = bodyStart; start < bodyEnd;) {
    const lf = text.indexOf('\n', start);
    const end = lf < 0 || lf >= bodyEnd ? bodyEnd : lf + 1;
    const line = text.slice(start, end);
    const leading = /^ */.exec(line)![0].length;
    const strip = Math.min(indent, leading);
    contentStarts.push(content.length);
    fileStarts.push(start);
    stripped.push(strip);
    content += line.slice(strip);
    start = end;
  }

  const parsed = parseYamlText(content);
  if (!parsed.ok) return { error: `${at}: ${parsed.message}` };
  const toFileOffset = (offset: number): number => {
    if (offset >= content.length || contentStarts.length === 0) return bodyEnd;
    const i = lineIndexOf(contentStarts, offset);
    return fileStarts[i]! + stripped[i]! + (offset - contentStarts[i]!);
  };
  const pad = ' '.repeat(indent);
  return {
    path: file.path,
    text: content,
    docs: parsed.docs,
    newline: newlineOf(content.includes('\n') ? content : text),
    inlineAt: scalar.range[0],
    toFileOffset,
    toFileText: (inserted, fileOffset) => {
      const column = fileOffset - (text.lastIndexOf('\n', fileOffset - 1) + 1);
      // Inserting on a blank line of the block: that line has no indentation to build on.
      const lead =
        inserted !== '' && !inserted.startsWith('\n') && !inserted.startsWith('\r\n')
          ? ' '.repeat(Math.max(0, indent - column))
          : '';
      const indented = lead + inserted.replace(/\n/g, `\n${pad}`);
      // Lines added at the end of the block: what follows is the kustomization again, not the block.
      return fileOffset >= bodyEnd && inserted.endsWith('\n')
        ? indented.slice(0, -pad.length || undefined)
        : indented;
    },
    locate: (offset) => file.locate(toFileOffset(offset)),
  };
}
