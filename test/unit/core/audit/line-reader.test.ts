import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  readLinesBackward,
  readLinesForward,
  type FileLine,
} from '../../../../src/core/audit/line-reader.js';
import { tempDirs } from './fixtures.js';

const tempDir = tempDirs();

async function both(content: string): Promise<{ forward: FileLine[]; backward: FileLine[] }> {
  const path = join(tempDir(), 'lines.txt');
  writeFileSync(path, content);
  const handle = await open(path, 'r');
  try {
    const size = (await handle.stat()).size;
    const forward: FileLine[] = [];
    for await (const line of readLinesForward(handle, size)) forward.push(line);
    const backward: FileLine[] = [];
    for await (const line of readLinesBackward(handle, size)) backward.push(line);
    return { forward, backward };
  } finally {
    await handle.close();
  }
}

test('both directions give the same lines, offsets and termination, across chunk boundaries', async () => {
  const long = 'x'.repeat(200_000); // longer than a read chunk
  const cases: Array<[string, Array<[string, number, boolean]>]> = [
    ['', []],
    ['\n', [['', 0, true]]],
    [
      'a\nbb\n',
      [
        ['a', 0, true],
        ['bb', 2, true],
      ],
    ],
    [
      'a\n\nb',
      [
        ['a', 0, true],
        ['', 2, true],
        ['b', 3, false],
      ],
    ],
    [
      '\na',
      [
        ['', 0, true],
        ['a', 1, false],
      ],
    ],
    [
      `${long}\né\n${long}`,
      [
        [long, 0, true],
        ['é', 200_001, true],
        [long, 200_004, false],
      ],
    ],
  ];
  for (const [content, lines] of cases) {
    const { forward, backward } = await both(content);
    const expected = lines.map(([text, offset, terminated]) => ({
      text,
      offset,
      bytes: Buffer.byteLength(text),
      terminated,
    }));
    assert.deepEqual(forward, expected, JSON.stringify(content.slice(0, 20)));
    assert.deepEqual(backward, [...expected].reverse(), JSON.stringify(content.slice(0, 20)));
  }
});
