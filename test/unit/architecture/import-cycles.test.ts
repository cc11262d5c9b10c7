import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { importCycles } from './import-cycles.js';
import { readSourceFiles, type SourceFile } from './module-graph.js';

// A cycle, even a type-only one, means two modules that cannot be understood (or moved) apart, and a
// value cycle makes load order decide what is undefined at startup.
const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

test('src/ has no import cycles, type-only imports included', () => {
  const files = readSourceFiles(repoRoot, 'src');
  assert.ok(files.length > 100, `only ${files.length} files under src/: is the path right?`);
  const cycles = importCycles(files).map((cycle) => cycle.join(' → '));
  assert.deepEqual(cycles, [], `import cycles:\n${cycles.join('\n')}`);
});

const file = (path: string, ...imports: string[]): SourceFile => ({
  path,
  imports: imports.map((target) => ({ kind: 'module', path: target })),
});

test('a planted cycle is found and printed as the path that closes it', () => {
  const graph = [
    file('a.ts', 'b.ts', 'x.ts'),
    file('b.ts', 'c.ts'),
    file('c.ts', 'a.ts', 'x.ts'),
    file('x.ts', 'y.ts'),
    file('y.ts'),
    file('self.ts', 'self.ts'),
  ];
  assert.deepEqual(importCycles(graph), [
    ['a.ts', 'b.ts', 'c.ts', 'a.ts'],
    ['self.ts', 'self.ts'],
  ]);
  assert.deepEqual(importCycles(graph.filter((f) => f.path !== 'c.ts')), [['self.ts', 'self.ts']]);
  assert.deepEqual(importCycles([file('p.ts', 'q.ts'), file('q.ts', 'outside.ts')]), []);
});
