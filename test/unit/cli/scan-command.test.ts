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
    // Written into every query as it is: anything but a label name would change the PromQL.
    [
      ['scan', '--prometheus-label', 'cluster="x"} or vector(1) #', '-l', 'prod'],
      /^Error: Invalid value for --prometheus-label: "cluster=\\"x\\"} or vector\(1\) #" must be a Prometheus label name/,
    ],
    [['scan', '-H', 'no-colon'], /Name: value/],
    [['frobnicate'], /Unknown command "frobnicate"/],
    // The first hour (issue #13): each of these was "Unexpected error" (rc 1) or a three-line parser message.
    [
      ['scan', '-n', '[bad'],
      /^Error: Invalid value for -n\/--namespace: "\[bad" is not a valid regular expression \(Unterminated character class\)\. Give a namespace name or a regex such as "team-\.\*"\.\n/,
    ],
    [
      ['scan', '-n', 'ok', '-n', '(a'],
      /Invalid value for -n\/--namespace: "\(a" is not a valid regular expression/,
    ],
    [
      ['scan', '--fileoutput', '/nonexistent/dir/out.json'],
      /^Error: Invalid value for --fileoutput: the folder \/nonexistent\/dir does not exist\.\n/,
    ],
    [
      ['scan', '--fileoutput', tmpdir()],
      /Invalid value for --fileoutput: .* is a folder; give a file name\./,
    ],
    [
      ['scan', '--history-duration', '-5'],
      /^Error: Invalid value for --history-duration: must be at least 1, got -5\n/,
    ],
    [
      ['scan', '--timeframe-duration', '0'],
      /Invalid value for --timeframe-duration: must be more than 0, got 0/,
    ],
    [
      ['scan', 'simple_limit', '--cpu-limit', '101'],
      /Invalid value for --cpu-limit: must be at most 100, got 101/,
    ],
    [
      ['scan', '--points-required', '1.5'],
      /Invalid value for --points-required: must be a whole number, got 1\.5/,
    ],
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
    assert.equal(stderr.split('\n').length, 3, `one line and the help hint: ${stderr}`);
    assert.equal(stdout, '');
  }
});

test('a broken kubeconfig is named with the place of the error, never its contents', async () => {
  const broken = join(dir, 'broken');
  writeFileSync(
    broken,
    'apiVersion: v1\nclusters:\n- cluster:\n    server: https://x\n  name: c\nusers:\n- name: u\n  user:\n    token: sk-SECRET-42\n      oops: indent\n',
  );
  const yaml = await run(['scan', '--kubeconfig', broken, '-p', 'http://127.0.0.1:9']);
  assert.equal(yaml.code, 1);
  assert.equal(
    yaml.stderr,
    `Error: Cannot use the kubeconfig ${broken}: it is not valid YAML at line 9, column 12 (the file is not shown: it may hold credentials).\n`,
  );
  const binary = join(dir, 'binary');
  writeFileSync(
    binary,
    Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00, 0xff, 0xfe, 0x1b, 0x5b, 0x32, 0x4a]),
  );
  const bytes = await run(['scan', '--kubeconfig', binary, '-p', 'http://127.0.0.1:9']);
  assert.equal(bytes.code, 1);
  assert.equal(
    bytes.stderr,
    `Error: Cannot use the kubeconfig ${binary}: it is not a text file (binary content); point at the kubeconfig YAML file.\n`,
  );
  const list = join(dir, 'list');
  writeFileSync(list, '- token: sk-SECRET-42\n');
  const notConfig = await run(['scan', '--kubeconfig', list, '-p', 'http://127.0.0.1:9']);
  assert.match(notConfig.stderr, /it is YAML but not a kubeconfig/);
  for (const r of [yaml, bytes, notConfig]) {
    assert.doesNotMatch(r.stderr, /SECRET/);
    assert.ok(!r.stderr.includes('\u001b') && !r.stderr.includes('\uFFFD'), 'no raw bytes');
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
  assert.match(
    stderr,
    /Invalid value for -c\/--context: no context "staging" in the kubeconfig\. Available contexts: dev, prod\./,
  );
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
