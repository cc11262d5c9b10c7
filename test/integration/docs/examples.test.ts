import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startDemoEnvironment, type DemoEnvironment } from '../../../src/demo/demo-environment.js';
import { runCli } from '../../support/cli/run-cli.js';

// Every `krr-mcp …` line of the README's and docs' shell blocks, run as written against the demo cluster (its
// kubeconfig and Prometheus are the reader's environment: KUBECONFIG, PROMETHEUS_URL), in order, in a folder
// that holds the demo cluster's manifests under deploy/ (as the docs' `manifests deploy/` examples expect).
// A line that cannot run here must match a rule below that says why; anything else that fails, fails the test.

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const DOCS = [
  'README.md',
  'CONTRIBUTING.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

const NOT_RUN_HERE: Array<[RegExp, string]> = [
  [/^demo\b/, 'starts a demo cluster of its own (test/integration/demo runs it)'],
  [/^serve\b/, 'the MCP stdio server (test/integration/mcp runs it)'],
  [/<[^>]+>|…/, 'a placeholder for the reader to fill in'],
  [/example\.com/, 'an example host'],
  [/--krr-binary/, 'needs a krr installation'],
];

/** The command's arguments when the line runs krr-mcp (any of the forms the docs use). */
function krrMcpArguments(line: string): string | undefined {
  const forms = [
    /^(?:npx\s+(?:--package\s+\S+\s+)?)?krr-mcp\s+(.*)$/,
    /^node\s+\S*dist\/cli\.cjs\s+(.*)$/,
    /^npm run scan\s+--\s+(.*)$/,
  ];
  for (const form of forms) {
    const match = form.exec(line);
    if (match) return form === forms[2] ? `scan ${match[1]}` : match[1];
  }
  return undefined;
}

/** Shell words: single and double quotes, no expansion (the docs' examples need none). */
function shellWords(text: string): string[] {
  const words: string[] = [];
  for (const match of text.matchAll(/'([^']*)'|"((?:[^"\\]|\\.)*)"|(\S+)/g))
    words.push(match[1] ?? match[2]?.replace(/\\(.)/g, '$1') ?? match[3]!);
  return words;
}

const examples = DOCS.flatMap((file) => {
  const markdown = readFileSync(join(ROOT, file), 'utf8');
  return [...markdown.matchAll(/```(?:sh|bash|shell)\n([\s\S]*?)```/g)].flatMap((block) =>
    block[1]!
      .replace(/\\\n\s*/g, ' ')
      .split('\n')
      .map((line) => line.replace(/\s+#.*$/, '').trim())
      .flatMap((line) => {
        const args = krrMcpArguments(line);
        return args === undefined ? [] : [{ file, line, args }];
      }),
  );
});

let dir: string;
let demo: DemoEnvironment;

/** The demo's manifests as committed: each `manifests` example starts from them (an earlier one may --write). */
function resetManifests(): void {
  rmSync(join(dir, 'deploy'), { recursive: true, force: true });
  for (const [path, text] of Object.entries(demo.manifests)) {
    mkdirSync(dirname(join(dir, 'deploy', path)), { recursive: true });
    writeFileSync(join(dir, 'deploy', path), text);
  }
}
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'krr-mcp-examples-'));
  demo = await startDemoEnvironment({ dir });
  resetManifests();
});
after(async () => {
  await demo?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test("the docs' krr-mcp lines are found, the README's scans among them", () => {
  const lines = examples.map((e) => e.line);
  assert.ok(
    lines.some((l) => /^krr-mcp scan simple -f json/.test(l)),
    lines.join('\n'),
  );
  assert.ok(
    lines.some((l) => /^krr-mcp scan simple_limit -n/.test(l)),
    lines.join('\n'),
  );
});

for (const example of examples) {
  const skip = NOT_RUN_HERE.find(([pattern]) => pattern.test(example.args));
  test(`${example.file}: ${example.line}`, { skip: skip?.[1] ?? false }, async () => {
    if (shellWords(example.args)[0] === 'manifests') resetManifests();
    const run = await runCli(
      shellWords(example.args),
      {
        KUBECONFIG: demo.kubeconfig,
        PROMETHEUS_URL: demo.prometheusUrl,
        HOME: dir,
      },
      120_000,
      dir,
    );
    assert.equal(run.code, 0, `exit ${run.code}: ${run.stderr}`);
    assert.doesNotMatch(run.stderr, /Error|Unexpected/);
    const args = shellWords(example.args);
    if (args[0] === 'manifests') {
      // The demo's manifests hold its workloads: the first run prints their diff, --write writes it.
      if (args.includes('--write')) assert.match(run.stderr, /Wrote \d+ files?: /);
      else assert.match(run.stdout, /^--- a\/deploy\//);
      return;
    }
    if (args[0] !== 'scan') return;
    const file = args.includes('--fileoutput') ? args[args.indexOf('--fileoutput') + 1]! : undefined;
    const output = file ? readFileSync(join(dir, file), 'utf8') : run.stdout;
    const format = args.includes('-f') ? args[args.indexOf('-f') + 1]! : 'table';
    if (format === 'json') assert.ok((JSON.parse(output) as { scans: unknown[] }).scans.length > 0);
    else if (format === 'csv') assert.match(output, /^Namespace,Name,Pods/);
    else assert.match(output, /Score \d+\/100/);
  });
}
