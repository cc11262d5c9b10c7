import * as vscode from 'vscode';
import type { TextChange } from '../../core/manifests/index.js';

/**
 * The engine speaks in offsets into the text it read; a WorkspaceEdit speaks in lines and characters.
 * Lines end at "\r\n", "\r" or "\n", as in VS Code's text model, so a position computed here names the
 * same place in the editor's copy of that text even when VS Code normalises its line endings on load.
 * Offsets and characters are both UTF-16 code units, so no other conversion is needed.
 */
export class TextPositions {
  private readonly starts: number[] = [0];

  constructor(private readonly text: string) {
    for (const lineBreak of text.matchAll(/\r\n|\r|\n/g))
      this.starts.push(lineBreak.index + lineBreak[0].length);
  }

  positionAt(offset: number): vscode.Position {
    if (!Number.isInteger(offset) || offset < 0 || offset > this.text.length)
      throw new RangeError(`offset ${offset} is outside the text (${this.text.length} characters)`);
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.starts[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    // Between "\r" and "\n" there is no editor position: the change would split a line break.
    if (this.text[offset] === '\n' && this.text[offset - 1] === '\r')
      throw new RangeError(`offset ${offset} splits a "\\r\\n" line break`);
    return new vscode.Position(low, offset - this.starts[low]!);
  }

  rangeOf(change: TextChange): vscode.Range {
    return new vscode.Range(this.positionAt(change.offset), this.positionAt(change.offset + change.length));
  }

  /** The 1-based line's text without its line break, for ranges that end where the line's content ends. */
  lineText(line: number): string {
    const start = this.starts[line - 1];
    if (start === undefined) return '';
    const next = this.starts[line];
    return this.text.slice(start, next ?? this.text.length).replace(/\r?\n$|\r$/, '');
  }
}
