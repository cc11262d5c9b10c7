// A plain-text table that fits a terminal width: columns keep their natural width when there is room, and
// otherwise the widest columns wrap their cells onto more lines (as krr's rich table does), down to the
// longest word of the column so that values like "(-820m) 1.0 -> 180m" break only at spaces.

const GAP = '  ';
/** A column never gets narrower than this, even if a word has to be cut. */
const MIN_COLUMN = 4;

export interface TextTableOptions {
  /** Terminal columns; undefined: no limit (a file, a pipe). */
  width?: number;
}

export function textTable(header: string[], rows: string[][], options: TextTableOptions = {}): string {
  const all = [header, ...rows];
  const natural = header.map((_, c) => Math.max(...all.map((r) => (r[c] ?? '').length)));
  const widths = fitWidths(natural, minimumWidths(all, header.length), options.width);
  const lines: string[] = [];
  const emit = (cells: string[]) => {
    const wrapped = cells.map((cell, c) => wrap(cell, widths[c]!));
    const height = Math.max(...wrapped.map((w) => w.length));
    for (let i = 0; i < height; i++)
      lines.push(
        wrapped
          .map((w, c) => (w[i] ?? '').padEnd(widths[c]!))
          .join(GAP)
          .trimEnd(),
      );
  };
  emit(header);
  lines.push(widths.map((w) => '-'.repeat(w)).join(GAP));
  for (const row of rows) emit(row);
  return lines.join('\n');
}

/** Per column: its longest word, so that wrapping happens at spaces when the width allows. */
function minimumWidths(rows: string[][], columns: number): number[] {
  return Array.from({ length: columns }, (_, c) =>
    Math.max(MIN_COLUMN, ...rows.map((r) => Math.max(0, ...(r[c] ?? '').split(' ').map((w) => w.length)))),
  );
}

/** Shrinks the column with the most room to give, one character at a time, until the table fits. */
function fitWidths(natural: number[], minimum: number[], width: number | undefined): number[] {
  const widths = [...natural];
  if (width === undefined) return widths;
  const total = () => widths.reduce((a, b) => a + b, 0) + GAP.length * (widths.length - 1);
  const floor = minimum.map((m, c) => Math.min(m, natural[c]!));
  while (total() > width) {
    let widest = -1;
    for (let c = 0; c < widths.length; c++)
      if (widths[c]! > floor[c]! && (widest < 0 || widths[c]! - floor[c]! > widths[widest]! - floor[widest]!))
        widest = c;
    if (widest >= 0) {
      widths[widest]!--;
      continue;
    }
    // Every column is at its longest word: cut words, down to MIN_COLUMN.
    const cuttable = widths.findIndex((w) => w === Math.max(...widths) && w > MIN_COLUMN);
    if (cuttable < 0) break;
    widths[cuttable]!--;
    floor[cuttable] = widths[cuttable]!;
  }
  return widths;
}

/** Breaks text into lines of at most `width` characters, at spaces where possible. */
export function wrap(text: string, width: number): string[] {
  if (text.length <= width) return [text];
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    let rest = word;
    while (rest.length > width) {
      if (line) {
        lines.push(line);
        line = '';
      }
      lines.push(rest.slice(0, width));
      rest = rest.slice(width);
    }
    if (!line) line = rest;
    else if (line.length + 1 + rest.length <= width) line += ` ${rest}`;
    else {
      lines.push(line);
      line = rest;
    }
  }
  if (line) lines.push(line);
  return lines;
}
