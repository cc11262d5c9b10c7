import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runInProcess } from '../../support/cli/run-in-process.js';

// Every command the README and docs/ tell a reader to type must exist: npm scripts in package.json,
// `krr-mcp` subcommands and their flags in the CLI's own --help.

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const DOCS = [
  'README.md',
  'CONTRIBUTING.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => join('docs', f)),
];
const SCRIPTS = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: object }).scripts;

/** Lines of the fenced sh/bash blocks, with continuation lines joined and comments removed. */
function shellLines(markdown: string): string[] {
  const lines: string[] = [];
  for (const block of markdown.matchAll(/```(?:sh|bash|shell)\n([\s\S]*?)```/g)) {
    const joined = block[1]!.replace(/\\\n\s*/g, ' ');
    for (const line of joined.split('\n')) {
      const command = line.replace(/\s+#.*$/, '').trim();
      if (command && !command.startsWith('#')) lines.push(command);
    }
  }
  return lines;
}

async function help(command: string): Promise<string> {
  const { code, stdout } = await runInProcess([command, '--help']);
  assert.equal(code, 0, `krr-mcp ${command} --help`);
  return stdout;
}

const commands = DOCS.flatMap((file) =>
  shellLines(readFileSync(join(ROOT, file), 'utf8')).map((line) => ({ file, line })),
);

test('the docs show commands to check (the extraction works)', () => {
  assert.ok(commands.some((c) => /npm run demo/.test(c.line)));
  assert.ok(commands.some((c) => /krr-mcp scan/.test(c.line)));
});

test('every `npm run <script>` in the README and docs exists in package.json', () => {
  const missing = commands.flatMap(({ file, line }) =>
    [...line.matchAll(/npm run ([\w:-]+)/g)]
      .map((m) => m[1]!)
      .filter((script) => !(script in SCRIPTS))
      .map((script) => `${file}: npm run ${script}`),
  );
  assert.deepEqual(missing, []);
});

test('every `krr-mcp <command> --flag` in the README and docs is a real command and flag', async () => {
  const problems: string[] = [];
  const helps = new Map<string, string>();
  for (const { file, line } of commands) {
    // At the start of a command (after `&&`, `;` or environment assignments): `krr-mcp`, `npx krr-mcp`,
    // `node …/dist/cli.cjs` or `npm run scan|demo --`.
    const invocation =
      /(?:^|&&\s*|;\s*)(?:[A-Z_]+=\S+\s+)*(?:npx (?:--\S+ \S+ )?krr-mcp|krr-mcp|node \S*dist\/cli\.cjs|npm run (?:scan|demo) --)\s+(.*)$/.exec(
        line,
      );
    if (!invocation) continue;
    const viaScript = /npm run (scan|demo) --/.exec(line)?.[1];
    const words = invocation[1]!.split(/\s+/);
    const command = viaScript ?? words[0]!;
    if (['version', 'help', '--help', '--version'].includes(command)) continue;
    if (!['scan', 'manifests', 'serve', 'audit', 'demo'].includes(command)) {
      problems.push(`${file}: unknown command in "${line}"`);
      continue;
    }
    if (!helps.has(command)) helps.set(command, await help(command));
    const text = helps.get(command)!;
    for (const flag of words.filter((w) => /^--[a-z]/.test(w)).map((w) => w.split('=')[0]!)) {
      // krr's underscore spellings are accepted as dashes.
      if (!text.includes(flag.replace(/_/g, '-')))
        problems.push(`${file}: ${flag} is not a flag of ${command}`);
    }
  }
  assert.deepEqual(problems, []);
});
