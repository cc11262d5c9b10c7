import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runInProcess } from '../../support/cli/run-in-process.js';

function run(argv: string[], env: NodeJS.ProcessEnv = {}) {
  return runInProcess(argv, env);
}

const dir = mkdtempSync(join(tmpdir(), 'krr-mcp-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const kubeconfig = join(dir, 'config');
writeFileSync(
  kubeconfig,
  `apiVersion: v1
kind: Config
clusters: [{ name: c1, cluster: { server: "http://127.0.0.1:9", insecure-skip-tls-verify: true } }]
users: [{ name: u1, user: { token: secret-token } }]
contexts: [{ name: dev, context: { cluster: c1, user: u1 } }, { name: prod, context: { cluster: c1, user: u1 } }]
current-context: dev
`,
);

test('usage errors exit 2 with one clear line and no stack trace', async () => {
  const cases: Array<[string[], RegExp]> = [
    [['scan', '--bogus'], /Unknown option '--bogus'/],
    [['scan', 'fancy'], /Unknown strategy "fancy"/],
    [['scan', '-f', 'xml'], /Unknown format "xml"/],
    [['scan', '--cpu-percentile', 'abc'], /--cpu-percentile: "abc" is not a number/],
    [['scan', '--cpu_percentile=0'], /--cpu-percentile/],
    [['scan', '--memory-buffer-percentage', '0'], /--memory-buffer-percentage/],
    [['scan', 'simple', '--cpu-request', '50'], /does not apply to the simple strategy/],
    [['scan', '-r', 'Pod'], /Unknown resource kind "Pod"/],
    [['scan', '--at', 'yesterday-ish'], /--at/],
    [['scan', '-w', '0'], /--max-workers/],
    [['scan', '-l', 'prod'], /--prometheus-label/],
    [['scan', '-H', 'no-colon'], /Name: value/],
    [['frobnicate'], /Unknown command "frobnicate"/],
  ];
  for (const [argv, message] of cases) {
    const { code, stderr, stdout } = await run([
      ...argv,
      '--kubeconfig',
      kubeconfig,
      '-p',
      'http://127.0.0.1:9',
    ]);
    assert.equal(code, 2, `${argv.join(' ')} → ${stderr}`);
    assert.match(stderr, message);
    assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
    assert.equal(stdout, '');
  }
});

test('krr spellings work: --history_duration and --history-duration, positional strategy', async () => {
  // Parsing succeeds; the run then fails on the unreachable API server (exit 1, not 2).
  const { code, stderr } = await run([
    'scan',
    'simple_limit',
    '--history_duration',
    '48',
    '--cpu_limit=90',
    '--kubeconfig',
    kubeconfig,
    '-p',
    'http://127.0.0.1:9',
  ]);
  assert.equal(code, 1);
  assert.match(stderr, /Cannot reach the Kubernetes API at http:\/\/127\.0\.0\.1:9/);
});

test('an unknown context lists the available ones', async () => {
  const { code, stderr } = await run([
    'scan',
    '--kubeconfig',
    kubeconfig,
    '--context',
    'staging',
    '-p',
    'http://127.0.0.1:9',
  ]);
  assert.equal(code, 1);
  assert.match(stderr, /Unknown context "staging"\. Available contexts: dev, prod\./);
});

test('a missing kubeconfig says where it looked; KUBECONFIG lists are honoured', async () => {
  const missing = await run(['scan', '-p', 'http://127.0.0.1:9'], { KUBECONFIG: '/nope/a:/nope/b' });
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /No kubeconfig found \(looked at \/nope\/a, \/nope\/b\)/);
  const viaEnv = await run(['scan', '-p', 'http://127.0.0.1:9', '--context', 'prod'], {
    KUBECONFIG: `/nope/a:${kubeconfig}`,
  });
  assert.match(viaEnv.stderr, /Cannot reach the Kubernetes API/);
});

test('an auth header given as an argument is accepted with a warning; secrets never appear in output', async () => {
  const { stderr } = await run([
    'scan',
    '--prometheus-auth-header',
    'Bearer hunter2',
    '--kubeconfig',
    kubeconfig,
    '-p',
    'http://127.0.0.1:9',
  ]);
  assert.match(stderr, /visible to other users/);
  assert.doesNotMatch(stderr, /hunter2|secret-token/);
});

test('help and version', async () => {
  const help = await run(['scan', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /--history-duration HOURS/);
  assert.match((await run(['--help'])).stdout, /krr-mcp scan/);
  assert.match((await run(['version'])).stdout, /^\d+\.\d+\.\d+/);
});
