import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TextPositions } from '../../../../src/extension/manifests/text-positions.js';
import { Position, TextDocumentDouble, Uri } from '../../../support/vscode-double/vscode.js';

const at = (p: Position) => [p.line, p.character];

test('offsets become lines and characters for LF, CRLF and lone CR line ends', () => {
  const lf = new TextPositions('ab\ncd\n');
  assert.deepEqual(
    [0, 2, 3, 5, 6].map((o) => at(lf.positionAt(o))),
    [
      [0, 0],
      [0, 2],
      [1, 0],
      [1, 2],
      [2, 0],
    ],
  );
  const crlf = new TextPositions('ab\r\ncd\r\n');
  assert.deepEqual(
    [2, 4, 6, 8].map((o) => at(crlf.positionAt(o))),
    [
      [0, 2],
      [1, 0],
      [1, 2],
      [2, 0],
    ],
  );
  const cr = new TextPositions('ab\rcd');
  assert.deepEqual(at(cr.positionAt(3)), [1, 0]);
});

test('the positions name the same place as the editor document of that text', () => {
  const text = 'a: 1\r\nbé: "ü𝄞"\rc: 3\nd: 4';
  const positions = new TextPositions(text);
  const document = new TextDocumentDouble(Uri.file('/x.yaml'), text);
  for (let offset = 0; offset <= text.length; offset++) {
    if (text[offset] === '\n' && text[offset - 1] === '\r') continue;
    const position = positions.positionAt(offset);
    assert.equal(document.offsetAt(position), offset, `offset ${offset} → ${at(position).join(':')}`);
  }
});

test('an offset inside a CRLF pair or outside the text is refused, not guessed', () => {
  const positions = new TextPositions('a\r\nb');
  assert.throws(() => positions.positionAt(2), /splits a "\\r\\n" line break/);
  assert.throws(() => positions.positionAt(5), /outside the text/);
  assert.throws(() => positions.positionAt(-1), /outside the text/);
});

test('rangeOf covers the replaced characters; lineText is a 1-based line without its line break', () => {
  const positions = new TextPositions('x:\r\n  cpu: 500m # launch\r\n');
  const range = positions.rangeOf({ offset: 11, length: 4, text: '120m' });
  assert.deepEqual(
    [at(range.start), at(range.end)],
    [
      [1, 7],
      [1, 11],
    ],
  );
  assert.equal(positions.lineText(2), '  cpu: 500m # launch');
  assert.equal(positions.lineText(9), '');
});
