import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runInProcess } from '../../support/cli/run-in-process.js';

// docs/configuration.md must name every setting, every environment variable the code reads and every
// flag the CLI's help shows. Each list is found in the code itself, so a new setting, variable or flag
// fails this test until the reference documents it.

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const REFERENCE = readFileSync(join(ROOT, 'docs', 'configuration.md'), 'utf8');

/** Inline code spans of the reference: a name counts as documented only when written as code. */
const CODE = new Set([...REFERENCE.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!));

function missingFromReference(names: Iterable<string>): string[] {
  return [...new Set(names)].filter((name) => !CODE.has(name)).sort();
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true })
    .map((f) => join(dir, String(f)))
    .filter((f) => f.endsWith('.ts'));
}

const ENV_NAME = '[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*';

/**
 * Environment variable names in the sources: `env.X` / `process.env.X` / `(… ?? process.env).X`,
 * `env['X']`, string literals in files that index the environment by a variable (`env[variable]`, as the
 * server config and the safety rules do over a table of names), and the keys of the environment the
 * extension gives the server it starts.
 */
function environmentVariablesIn(files: Array<{ path: string; text: string }>): Set<string> {
  const names = new Set<string>();
  const add = (text: string, pattern: RegExp) => {
    for (const m of text.matchAll(pattern)) names.add(m[1]!);
  };
  for (const { path, text } of files) {
    add(text, new RegExp(`\\benv\\)?\\.(${ENV_NAME})\\b`, 'g'));
    add(text, new RegExp(`\\benv\\[\\s*['"](${ENV_NAME})['"]\\s*\\]`, 'g'));
    if (/\benv\[[a-z]\w*\]/.test(text)) {
      add(text, new RegExp(`['"](${ENV_NAME}_[A-Z0-9]+)['"]`, 'g'));
      add(text, new RegExp(`^\\s+(${ENV_NAME}_[A-Z0-9]+):`, 'gm'));
    }
    if (/src[\\/]extension[\\/](mcp-provider|settings)\.ts$/.test(path))
      add(text, new RegExp(`\\b(${ENV_NAME}(?:_[A-Z0-9]+)+)\\s*:`, 'g'));
  }
  return names;
}

async function cliOutput(argv: string[]): Promise<string> {
  const { code, stdout } = await runInProcess(argv);
  assert.equal(code, 0, `krr-mcp ${argv.join(' ')} exited ${code}`);
  return stdout;
}

test('every VS Code setting in package.json is documented', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    contributes: { configuration: { properties: Record<string, unknown> } };
  };
  const keys = Object.keys(pkg.contributes.configuration.properties);
  assert.ok(keys.length >= 10, `expected the extension's settings, found ${keys.join(', ')}`);
  assert.deepEqual(missingFromReference(keys), []);
});

test('every environment variable the code reads is documented', () => {
  const files = sourceFiles(join(ROOT, 'src')).map((path) => ({ path, text: readFileSync(path, 'utf8') }));
  const names = environmentVariablesIn(files);
  // The finder itself must keep finding the kinds of reads the code uses.
  for (const known of [
    'KUBECONFIG', // `(options.env ?? process.env).KUBECONFIG`
    'PROMETHEUS_BEARER_TOKEN', // `env.X`
    'SCAN_CACHE_SECONDS', // the server config's table of names
    'CRITICAL_WORKLOAD_PATTERNS', // the safety rules' list of names
    'ELECTRON_RUN_AS_NODE', // what the extension sets for the server
  ])
    assert.ok(names.has(known), `the finder no longer sees ${known}`);
  assert.deepEqual(missingFromReference(names), []);
});

test('every flag of every CLI command is documented', async () => {
  const help = await cliOutput(['--help']);
  const commands = [...(help.split(/^Commands:$/m)[1] ?? '').matchAll(/^ {2}([a-z][a-z-]*) {2,}/gm)].map(
    (m) => m[1]!,
  );
  for (const expected of ['scan', 'serve', 'audit']) assert.ok(commands.includes(expected), expected);
  const flags: string[] = [];
  for (const command of commands) {
    const text = await cliOutput([command, '--help']);
    for (const line of text.split('\n')) {
      // Flag lines: "  -k, --kubeconfig FILE   …" or "      --json   …".
      const m = /^\s+(?:-[a-zA-Z], )?(--[a-z][a-z0-9-]*)/.exec(line);
      if (m) flags.push(m[1]!);
    }
  }
  for (const expected of ['--prometheus-url', '--log-level', '--file']) assert.ok(flags.includes(expected));
  assert.deepEqual(missingFromReference(flags), []);
});

test('the finder sees each form of environment read (self-check)', () => {
  const names = environmentVariablesIn([
    { path: 'src/a.ts', text: 'if (io.env.A_ONE) x(); const k = (o.env ?? process.env).B_TWO;' },
    { path: 'src/b.ts', text: "const v = env['C_THREE'];" },
    {
      path: 'src/c.ts',
      text: "const T = {\n  D_FOUR: { key: 'd' },\n};\nfor (const n of ['E_FIVE']) env[n];",
    },
    { path: 'src/extension/mcp-provider.ts', text: 'server.env = { F_SIX: "1" };' },
    { path: 'src/d.ts', text: "const code = 'EAI_AGAIN'; const X_Y = 1;" },
  ]);
  assert.deepEqual([...names].sort(), ['A_ONE', 'B_TWO', 'C_THREE', 'D_FOUR', 'E_FIVE', 'F_SIX']);
});
