import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { afterTheClickGuide, WORKSPACE_README } from '../../../src/demo/demo-guide.js';
import { CLI_PATH, runCli, type CliRun } from '../../support/cli/run-cli.js';

// `krr-mcp demo --no-editor` as CI and a newcomer without VS Code run it: a real Prometheus backfilled with the
// demo cluster's 14 days, the API simulator, then the scan. The numbers come from the demo's generated history;
// what is checked is what the demo promises: which workloads are over- or under-provisioned, the HPA, the kinds.

interface Scan {
  object: {
    namespace: string;
    name: string;
    kind: string;
    container: string;
    pods: Array<{ name: string; deleted: boolean }>;
    allocations: { requests: { cpu: number | null; memory: number | null } };
  };
  recommended: {
    requests: { cpu: { value: number | '?' | null }; memory: { value: number | '?' | null } };
    info: { cpu: string | null; memory: string | null };
  };
  severity: string;
}

const MIB = 1024 * 1024;
const demoDirs = (): string[] => readdirSync(tmpdir()).filter((name) => name.startsWith('krr-mcp-demo-'));

describe('krr-mcp demo --no-editor', () => {
  let run: CliRun;
  let scans: Scan[];
  let dirsBefore: string[];
  const find = (namespace: string, name: string, container: string): Scan => {
    const scan = scans.find(
      (s) => s.object.namespace === namespace && s.object.name === name && s.object.container === container,
    );
    assert.ok(scan, `${namespace}/${name}/${container} is in the scan`);
    return scan;
  };
  const numeric = (value: number | '?' | null): number => {
    assert.equal(typeof value, 'number', `a number, got ${String(value)}`);
    return value as number;
  };

  before(async () => {
    dirsBefore = demoDirs();
    // The first start of the hour writes and backfills 14 days of history: about 45 s on two cores.
    run = await runCli(['demo', '--no-editor', '-f', 'json'], {}, 300_000);
    assert.equal(run.code, 0, run.stderr);
    scans = (JSON.parse(run.stdout) as { scans: Scan[] }).scans;
  });

  test('finds every workload of the demo cluster, each kind, in four namespaces', () => {
    const workloads = new Set(scans.map((s) => `${s.object.kind} ${s.object.namespace}/${s.object.name}`));
    assert.deepEqual([...workloads].sort(), [
      'CronJob prod/db-backup',
      'CronJob prod/nightly-report',
      'DaemonSet logging/fluent-bit',
      'DaemonSet monitoring/node-exporter',
      'Deployment prod/checkout-api',
      'Deployment prod/payments-worker',
      'Deployment prod/recommendation-engine',
      'Deployment prod/storefront',
      'Deployment staging/checkout-api',
      'Deployment staging/storefront',
      'StatefulSet prod/postgres',
    ]);
    assert.equal(scans.length, 14, 'containers');
    // A DaemonSet on each of three nodes; the storefront's rollout left three old pods in the history.
    assert.equal(find('monitoring', 'node-exporter', 'node-exporter').object.pods.length, 3);
    const storefront = find('prod', 'storefront', 'web').object.pods;
    assert.equal(storefront.filter((p) => !p.deleted).length, 3);
    assert.equal(storefront.filter((p) => p.deleted).length, 3);
    // One Job a night for 14 nights.
    assert.ok(find('prod', 'nightly-report', 'report').object.pods.length >= 14);
  });

  test('prod/checkout-api is over-provisioned: far less CPU and memory than it asks for', () => {
    const api = find('prod', 'checkout-api', 'api');
    assert.equal(api.object.allocations.requests.cpu, 1);
    assert.ok(numeric(api.recommended.requests.cpu.value) < 0.25);
    assert.ok(numeric(api.recommended.requests.memory.value) < 1024 * MIB);
    assert.equal(api.severity, 'CRITICAL');
  });

  test('prod/payments-worker is under-provisioned: more CPU and memory than it asks for', () => {
    const worker = find('prod', 'payments-worker', 'worker');
    assert.ok(numeric(worker.recommended.requests.cpu.value) > 0.3);
    assert.ok(numeric(worker.recommended.requests.memory.value) > 256 * MIB);
  });

  test('prod/storefront is scaled by an HPA on CPU: no CPU recommendation, a memory one', () => {
    const web = find('prod', 'storefront', 'web');
    assert.equal(web.recommended.requests.cpu.value, '?');
    assert.equal(web.recommended.info.cpu, 'HPA detected');
    numeric(web.recommended.requests.memory.value);
  });

  test('the OOMKilled model server needs more memory than its 512Mi limit', () => {
    const model = find('prod', 'recommendation-engine', 'model-server');
    assert.ok(numeric(model.recommended.requests.memory.value) > 512 * MIB);
  });

  test('staging hardly uses what it asks for', () => {
    const web = find('staging', 'storefront', 'web');
    assert.ok(numeric(web.recommended.requests.cpu.value) < 0.1);
  });

  test('stops what it started: Prometheus no longer answers, its directory is gone', async () => {
    const url = /Prometheus (http:\/\/127\.0\.0\.1:\d+) ready/.exec(run.stderr)?.[1];
    assert.ok(url, run.stderr);
    await assert.rejects(fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(2000) }));
    assert.deepEqual(demoDirs(), dirsBefore);
  });
});

describe('krr-mcp demo: Ctrl-C during a first start', () => {
  // A fresh TMPDIR has no cached history: the demo writes its TSDB blocks, promtool checks them, then
  // Prometheus starts. The signal is sent when the demo's own progress says the first start began (no fixed
  // sleep), and the time is measured from the signal to the exit. Writing the history used to block the
  // event loop for its whole duration (10 s, more under load), so Ctrl-C waited for it.
  const interrupt = async (step: RegExp) => {
    const tmp = mkdtempSync(join(tmpdir(), 'krr-mcp-demo-test-'));
    try {
      const child = spawn(process.execPath, [CLI_PATH, 'demo', '--no-editor'], {
        env: { PATH: process.env.PATH, HOME: '/nonexistent-home', TMPDIR: tmp },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      let reached: () => void = () => {};
      const stepReached = new Promise<void>((resolve) => (reached = resolve));
      child.stderr.on('data', (c: Buffer) => {
        stderr += c;
        if (step.test(stderr)) reached();
      });
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      await Promise.race([stepReached, exited]);
      assert.match(stderr, step, 'the demo reached the step');
      const sent = performance.now();
      child.kill('SIGINT');
      const code = await exited;
      const ms = performance.now() - sent;
      assert.equal(code, 130, stderr);
      assert.ok(ms < 10_000, `stopped ${Math.round(ms)} ms after the signal`);
      assert.match(stderr, /Stopped before the demo cluster was ready/);
      const left = spawnSync('pgrep', ['-f', tmp], { encoding: 'utf8' }).stdout.trim();
      assert.equal(left, '', 'no promtool or Prometheus works in the demo TMPDIR');
      assert.deepEqual(
        readdirSync(tmp).filter((name) => name.startsWith('krr-mcp-demo-')),
        [],
        'demo dir removed',
      );
      const cache = join(tmp, 'krr-mcp-tsdb-cache');
      // A history finished before the signal may stay cached (it is whole); a half-built one may not.
      assert.deepEqual(
        (existsSync(cache) ? readdirSync(cache) : []).filter((name) => name.startsWith('.build-')),
        [],
        'no half-built history left behind',
      );
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  };

  test('while the history is built: stops at once, leaves no process and no file behind', async () => {
    await interrupt(/Starting Prometheus with 14 days/);
  });
});

describe('krr-mcp demo: prerequisites and flags', () => {
  const noStackTrace = (text: string) => assert.doesNotMatch(text, /\n\s+at /);

  test('without Prometheus on PATH it says how to install it and starts nothing', async () => {
    const result = await runCli(['demo', '--no-editor'], { PATH: '/nonexistent' });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /prometheus and promtool not found on PATH/);
    assert.match(result.stderr, /apt-get install --no-install-recommends prometheus/);
    assert.match(result.stderr, /brew install prometheus/);
    noStackTrace(result.stderr);
  });

  test('without the requested editor it names what to install and offers --no-editor', async () => {
    const result = await runCli(['demo', '--editor', 'code'], { KRR_E2E_CACHE: '/nonexistent' });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /code not found/);
    // Not on PATH here: the hint is the command that runs this very CLI.
    assert.match(result.stderr, /or run the demo without an editor: node \S+cli\.cjs demo --no-editor/);
    noStackTrace(result.stderr);
    // From `npm run demo` in a clone, where krr-mcp is not on PATH: the npm script.
    const fromNpm = await runCli(['demo', '--editor', 'code'], {
      KRR_E2E_CACHE: '/nonexistent',
      npm_lifecycle_event: 'demo',
    });
    assert.match(fromNpm.stderr, /or run the demo without an editor: npm run demo -- --no-editor/);
  });

  test('bad flags are usage errors (exit 2)', async () => {
    for (const args of [
      ['--port', 'abc'],
      ['--editor', 'vim'],
      ['-f', 'json'],
      ['--no-editor', '-f', 'xml'],
      ['extra'],
    ]) {
      const result = await runCli(['demo', ...args]);
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, /Run `krr-mcp demo --help`/);
      noStackTrace(result.stderr);
    }
  });

  test('--help describes the demo', async () => {
    const result = await runCli(['demo', '--help']);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /--no-editor/);
    assert.match(result.stdout, /Ctrl-C stops everything/);
    // What happens after the click, and where to see it.
    assert.match(result.stdout, /Kubernetes 1\.33 with its controllers and kubelets in real time/);
    assert.match(result.stdout, /staging\/checkout-api\s+is OOMKilled after its memory cut/);
    assert.match(result.stdout, /prod\/recommendation-engine can be\s+resized in place/);
  });

  test('the guide (terminal and workspace README) names the workload that degrades and the one resized in place', () => {
    const terminal = afterTheClickGuide().join('\n');
    for (const text of [terminal, WORKSPACE_README]) {
      assert.match(text, /staging\/checkout-api/);
      assert.match(text, /OOMKilled/);
      assert.match(text, /degraded/);
      assert.match(text, /prod\/recommendation-engine/);
      assert.match(text, /Approve and\s+resize running pods/);
    }
    assert.match(WORKSPACE_README, /verified for 3 minutes \(`krrMcp\.verificationMinutes`/);
  });
});
