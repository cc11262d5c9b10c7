import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runAudit } from '../../../src/cli/commands/audit.js';
import { UsageError } from '../../../src/cli/usage-error.js';
import { AuditLog } from '../../../src/core/audit/audit-log.js';
import { runInProcess } from '../../support/cli/run-in-process.js';

const dir = mkdtempSync(join(tmpdir(), 'krr-mcp-audit-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function run(argv: string[], env: NodeJS.ProcessEnv = {}) {
  return runInProcess(argv, env, runAudit);
}

let logs = 0;
async function logWith(count: number): Promise<string> {
  const path = join(dir, `audit-${++logs}.jsonl`);
  const log = await AuditLog.open(path);
  for (let i = 0; i < count; i++) await log.append({ operation: 'patch', status: 'ok', details: { i } });
  await log.close();
  return path;
}

const NOTE = /cannot prove nothing was cut from the end/;

test('an intact log: exit 0, a summary with the newest hash and the truncation caveat', async () => {
  const path = await logWith(3);
  const { code, stdout, stderr } = await run(['verify', '--file', path]);
  assert.equal(code, 0, stderr);
  assert.match(stdout, new RegExp(`Audit log ${path}: 3 records, chain intact\\.`));
  assert.match(stdout, /Newest record: seq 3 at \S+, hash [0-9a-f]{64}/);
  assert.match(stdout, NOTE);
  assert.equal(stderr, '');
});

test('--json prints the verification as JSON', async () => {
  const path = await logWith(2);
  const { code, stdout } = await run(['verify', '--json', '--file', path]);
  assert.equal(code, 0);
  const result = JSON.parse(stdout) as Record<string, unknown>;
  assert.equal(result.file, path);
  assert.equal(result.ok, true);
  assert.equal(result.records, 2);
  assert.deepEqual(result.problems, []);
  assert.match(String(result.note), NOTE);
});

test('tampering: exit 1 and each problem on its own line', async () => {
  const path = await logWith(4);
  const lines = readFileSync(path, 'utf8').split('\n');
  lines[1] = lines[1]!.replace('"i":1', '"i":7');
  writeFileSync(path, [lines[0], lines[1], lines[3], ''].join('\n'));
  const { code, stdout } = await run(['verify', '--file', path]);
  assert.equal(code, 1);
  assert.match(stdout, /3 records, 2 problems found:/);
  assert.match(stdout, /line 2: edited: /);
  assert.match(stdout, /line 3: deleted: 1 record \(seq 3\) missing/);

  const json = JSON.parse((await run(['verify', '--file', path, '--json'])).stdout) as { ok: boolean };
  assert.equal(json.ok, false);
});

test('a torn last line alone: exit 0 with a warning', async () => {
  const path = await logWith(2);
  appendFileSync(path, '{"details":{"i":2');
  const { code, stdout, stderr } = await run(['verify', '--file', path]);
  assert.equal(code, 0);
  assert.match(stderr, /^Warning: line 3 is torn: .*not tampering/);
  assert.match(stdout, /2 records, chain intact/);
});

test('a file that is not an audit log is refused with what was found, not "0 records, chain intact"', async () => {
  const cases: Array<[string, RegExp]> = [
    ['not json\n', /line 1: not JSON/],
    ['not json', /line 1: not JSON/],
    ['{"some":"json"}\n{"other":1}\n', /line 1: not an audit record/],
    ['# notes\nhello\n', /line 1: not valid JSON/],
  ];
  for (const [content, found] of cases) {
    const path = join(dir, `other-${logs++}.txt`);
    writeFileSync(path, content);
    const { code, stdout } = await run(['verify', '--file', path]);
    assert.equal(code, 1, content);
    assert.match(
      stdout,
      new RegExp(
        `^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not a krr-mcp audit log: no line is an audit record`,
      ),
    );
    assert.match(stdout, found);
    assert.doesNotMatch(stdout, /chain intact/);
  }
  // A crash during the very first append is still a (torn) audit log, not another file.
  const firstWrite = join(dir, 'first-write.jsonl');
  writeFileSync(firstWrite, '{"details":{"i":0');
  const torn = await run(['verify', '--file', firstWrite]);
  assert.equal(torn.code, 0);
  assert.match(torn.stdout, /0 records, chain intact/);
  // An empty file is a new log.
  const empty = join(dir, 'empty.jsonl');
  writeFileSync(empty, '');
  assert.equal((await run(['verify', '--file', empty])).code, 0);
});

test('a missing or unreadable file: exit 1 with one clear line and no stack trace', async () => {
  const missing = join(dir, 'missing.jsonl');
  const gone = await run(['verify', '--file', missing]);
  assert.equal(gone.code, 1);
  assert.equal(gone.stdout, '');
  assert.equal(
    gone.stderr,
    `Error: cannot read the audit log ${missing}: no such file (pass --file PATH or set KRR_MCP_AUDIT_LOG)\n`,
  );
  const directory = await run(['verify', '--file', dir]);
  assert.equal(directory.code, 1);
  assert.match(directory.stderr, /^Error: cannot read the audit log .*: it is a directory\n$/);
});

test('the default path is KRR_MCP_AUDIT_LOG, then ~/.krr-mcp/audit.jsonl', async () => {
  const path = await logWith(1);
  const fromEnv = await run(['verify'], { KRR_MCP_AUDIT_LOG: path });
  assert.equal(fromEnv.code, 0);
  assert.match(fromEnv.stdout, new RegExp(`Audit log ${path}: 1 record, chain intact`));

  const home = join(dir, 'home');
  mkdirSync(join(home, '.krr-mcp'), { recursive: true });
  writeFileSync(join(home, '.krr-mcp', 'audit.jsonl'), readFileSync(path));
  const fromHome = await run(['verify'], { HOME: home });
  assert.equal(fromHome.code, 0);
  assert.match(fromHome.stdout, new RegExp(`${join(home, '.krr-mcp', 'audit.jsonl')}: 1 record`));
});

test('usage errors are UsageErrors (exit 2 in main); --help prints the usage', async () => {
  const cases: Array<[string[], RegExp]> = [
    [[], /Missing subcommand/],
    [['check'], /Unknown audit subcommand "check"/],
    [['verify', 'extra'], /Unexpected arguments: extra/],
    [['verify', '--bogus'], /Unknown option '--bogus'/],
    [['verify', '--file'], /--file/],
  ];
  for (const [argv, message] of cases) {
    await assert.rejects(run(argv), (error: Error) => {
      assert.ok(error instanceof UsageError, `${argv.join(' ')}: ${error.message}`);
      assert.match(error.message, message);
      return true;
    });
  }
  const help = await run(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /Usage: krr-mcp audit verify \[--file PATH\] \[--json\]/);
});
