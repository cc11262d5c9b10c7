// Writes docs/tools.md from the live tool schemas (the same text generate_documentation returns).
// `npm run docs:tools`; test/unit/mcp/tool-docs.test.ts fails when the file drifts from the code.
import { writeFileSync } from 'node:fs';
import { toolsMarkdown } from '../src/mcp/tools/generate-documentation.js';
import { allTools } from '../src/mcp/tools/index.js';

writeFileSync(new URL('../docs/tools.md', import.meta.url), toolsMarkdown(allTools(), 'this version'));
