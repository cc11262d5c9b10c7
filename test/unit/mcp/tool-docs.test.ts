import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { toolsMarkdown } from '../../../src/mcp/tools/generate-documentation.js';
import { allTools } from '../../../src/mcp/tools/index.js';

test('docs/tools.md is what generate_documentation produces from the live schemas', () => {
  const committed = readFileSync(new URL('../../../docs/tools.md', import.meta.url), 'utf8');
  assert.equal(
    committed,
    toolsMarkdown(allTools(), 'this version'),
    'docs/tools.md drifted: run `npm run docs:tools`',
  );
});

test('every tool has annotations, a description that leads the agent, and object schemas', () => {
  for (const tool of allTools()) {
    assert.ok(tool.description.length > 60, tool.name);
    assert.equal(typeof tool.annotations.readOnlyHint, 'boolean', tool.name);
    assert.equal(tool.inputSchema.type, 'object');
    assert.equal(tool.outputSchema.type, 'object');
  }
  const names = allTools().map((t) => t.name);
  assert.equal(new Set(names).size, names.length);
});
