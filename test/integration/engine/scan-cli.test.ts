import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ResourceScan, ScanResult } from '../../../src/core/recommend/model.js';
import { runCli } from '../../support/cli/run-cli.js';
import {
  engineScanArgs,
  startEngineEnvironment,
  type EngineEnvironment,
} from '../../support/engine-environment.js';
import { SIMPLE, SIMPLE_LIMIT_CPU } from './expectations.js';

// `krr-mcp scan` as a real process against the real Prometheus (backfilled history) and the Kubernetes
// API simulator, checked against hand-computed expectations.

let env: EngineEnvironment;
before(async () => {
  env = await startEngineEnvironment();
});
after(async () => {
  await env?.stop();
});

const key = (s: ResourceScan) =>
  `${s.object.namespace}/${s.object.kind}/${s.object.name}/${s.object.container}`;

function baseArgs(...extra: string[]): string[] {
  return engineScanArgs(env, '-f', 'json', ...extra);
}

async function scan(...extra: string[]): Promise<Map<string, ResourceScan> & { result: ScanResult }> {
  const run = await runCli(baseArgs(...extra));
  assert.equal(run.code, 0, `scan failed: ${run.stderr}`);
  const result = JSON.parse(run.stdout) as ScanResult;
  return Object.assign(new Map(result.scans.map((s) => [key(s), s])), { result });
}

describe('simple (krr defaults)', () => {
  let rows: Awaited<ReturnType<typeof scan>>;
  before(async () => {
    rows = await scan('simple');
  });

  test('finds exactly the expected (workload, container) rows; kube-system is left out', () => {
    assert.deepEqual([...rows.keys()].sort(), Object.keys(SIMPLE).sort());
  });

  for (const [name, expected] of Object.entries(SIMPLE)) {
    test(`${name}: ${JSON.stringify([expected.cpu, expected.memory])}`, () => {
      const row = rows.get(name);
      assert.ok(row, `${name} missing`);
      const r = row.recommended;
      assert.deepEqual(
        [r.requests.cpu.value, r.limits.cpu.value, r.requests.memory.value, r.limits.memory.value],
        [expected.cpu, expected.cpuLimit, expected.memory, expected.memory],
      );
      assert.equal(r.info.cpu, expected.cpuInfo ?? null);
      assert.equal(r.info.memory, expected.memoryInfo ?? null);
      if (expected.pods)
        assert.deepEqual(
          row.object.pods.map((p) => [p.name, p.deleted]),
          expected.pods,
        );
      assert.deepEqual([...row.object.warnings].sort(), [...(expected.warnings ?? [])].sort());
    });
  }

  test("krr's JSON shape: current allocations, HPA data, severities, score, strategy and no errors", () => {
    const { result } = rows;
    assert.deepEqual(Object.keys(result), [
      'scans',
      'score',
      'resources',
      'description',
      'strategy',
      'errors',
      'clusterSummary',
      'config',
    ]);
    assert.equal(result.strategy.name, 'simple');
    assert.equal(result.strategy.settings.cpu_percentile, 95);
    assert.deepEqual(result.errors, []);
    assert.ok(Number.isInteger(result.score) && result.score >= 0 && result.score <= 100);
    const postgres = rows.get('shop/StatefulSet/postgres/postgres')!;
    assert.deepEqual(postgres.object.allocations.requests, { cpu: 1, memory: 2 * 1024 ** 3 });
    assert.deepEqual(postgres.object.allocations.limits, { cpu: null, memory: 2 * 1024 ** 3 });
    // 1 core → 150m is 0.85 cores off: CRITICAL; 2 GiB → 1727 MiB is 321 MiB off: WARNING.
    assert.equal(postgres.recommended.requests.cpu.severity, 'CRITICAL');
    assert.equal(postgres.recommended.requests.memory.severity, 'WARNING');
    assert.equal(postgres.severity, 'CRITICAL');
    const agent = rows.get('monitoring/DaemonSet/log-agent/agent')!;
    assert.equal(agent.recommended.requests.cpu.severity, 'WARNING', 'unset → 50m');
    const checkout = rows.get('shop/Deployment/checkout/app')!;
    assert.deepEqual(checkout.object.hpa, {
      min_replicas: 2,
      max_replicas: 10,
      current_replicas: 2,
      desired_replicas: 2,
      target_cpu_utilization_percentage: 70,
      target_memory_utilization_percentage: null,
    });
    assert.equal(checkout.recommended.requests.cpu.severity, 'UNKNOWN');
    assert.deepEqual(rows.get('shop/Deployment/web/app')!.object.labels, { app: 'web', tier: 'frontend' });
    assert.equal(result.clusterSummary.cluster_cpu !== undefined, true);
  });
});

describe('other strategies and settings', () => {
  test('simple_limit: pooled percentiles for CPU request and limit, memory as in simple', async () => {
    const rows = await scan('simple_limit', '--history_duration', '72');
    for (const [name, [request, limit]] of Object.entries(SIMPLE_LIMIT_CPU)) {
      const r = rows.get(name)!.recommended;
      assert.deepEqual([r.requests.cpu.value, r.limits.cpu.value], [request, limit], name);
    }
    assert.equal(
      rows.get('shop/Deployment/web/app')!.recommended.requests.memory.value,
      SIMPLE['shop/Deployment/web/app']!.memory,
    );
    assert.equal(rows.get('batch/CronJob/nightly-report/report')!.recommended.info.cpu, 'Not enough data');
    assert.equal(rows.result.strategy.settings.cpu_request, 66);
  });

  test('--use-oomkill-data: postgres gets 1.25 × its 2 GiB OOMKilled limit', async () => {
    const rows = await scan('--use-oomkill-data');
    const r = rows.get('shop/StatefulSet/postgres/postgres')!.recommended;
    assert.equal(r.requests.memory.value, 2560 * 1024 * 1024);
    assert.equal(r.limits.memory.value, 2560 * 1024 * 1024);
    assert.equal(r.info.memory, 'OOMKill detected');
    // Without an OOM kill nothing changes (krr then warns NoPrometheusMemoryMetrics for the empty OOM loader).
    assert.equal(
      rows.get('shop/Deployment/web/app')!.recommended.requests.memory.value,
      SIMPLE['shop/Deployment/web/app']!.memory,
    );
  });

  test('--allow-hpa recommends what the HPAs scale on', async () => {
    const rows = await scan('--allow-hpa');
    assert.equal(rows.get('shop/Deployment/checkout/app')!.recommended.requests.cpu.value, 0.4);
    assert.equal(
      rows.get('shop/Deployment/cart/app')!.recommended.requests.memory.value,
      Math.ceil(181 * 1.15) * 1024 * 1024,
    );
  });

  test('--cpu-percentile, --memory-buffer-percentage, --cpu-min and --mem-min change the numbers as krr would', async () => {
    const rows = await scan(
      '--cpu-percentile',
      '50',
      '--memory-buffer-percentage',
      '50',
      '--cpu-min',
      '500',
      '--mem-min',
      '1000',
    );
    const web = rows.get('shop/Deployment/web/app')!.recommended;
    assert.equal(web.requests.cpu.value, 0.5, '0.3995 → the 500m minimum');
    assert.equal(
      web.requests.memory.value,
      1000 * 1024 * 1024,
      '401 × 1.5 = 601.5 MiB → the 1000 MiB minimum',
    );
    const postgres = rows.get('shop/StatefulSet/postgres/postgres')!.recommended;
    assert.equal(postgres.requests.memory.value, Math.ceil(1501 * 1.5) * 1024 * 1024);
  });
});

describe('filters', () => {
  test('a selector on a name with a regex metacharacter never picks up the look-alike pod', async () => {
    const rows = await scan('-s', 'app=api.v2');
    assert.deepEqual([...rows.keys()], ['shop/Deployment/api.v2/app']);
    assert.equal(rows.get('shop/Deployment/api.v2/app')!.recommended.requests.cpu.value, 0.1);
  });

  test('-n and -r restrict namespaces and kinds; regex namespaces are expanded', async () => {
    assert.deepEqual(
      [...(await scan('-n', 'batch', '-r', 'CronJob')).keys()],
      ['batch/CronJob/nightly-report/report'],
    );
    const regex = await scan('-n', 'mon.*');
    assert.deepEqual([...regex.keys()], ['monitoring/DaemonSet/log-agent/agent']);
    const kubeSystem = await scan('-n', 'kube-system');
    assert.deepEqual([...kubeSystem.keys()], ['kube-system/Deployment/coredns/coredns']);
  });

  test('an http:// API server (kubectl proxy) works without insecure-skip-tls-verify, as with kubectl', async () => {
    const proxyLike = join(env.dir, 'kubeconfig-http');
    writeFileSync(
      proxyLike,
      readFileSync(env.kubeconfig, 'utf8').replace(/^\s*insecure-skip-tls-verify: true\n/m, ''),
    );
    assert.doesNotMatch(readFileSync(proxyLike, 'utf8'), /insecure/);
    assert.match(readFileSync(proxyLike, 'utf8'), /server: http:\/\//);
    const run = await runCli([
      'scan',
      '--kubeconfig',
      proxyLike,
      '-p',
      env.prometheus.url,
      '-n',
      'monitoring',
      '-f',
      'json',
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal((JSON.parse(run.stdout) as ScanResult).scans.length, 1);
  });

  test('--fileoutput writes the result there and nothing to stdout', async () => {
    const file = join(env.dir, 'out.json');
    const run = await runCli(baseArgs('-n', 'monitoring', '--fileoutput', file));
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, '');
    assert.equal((JSON.parse(readFileSync(file, 'utf8')) as ScanResult).scans.length, 1);
  });

  test('a namespace without workloads is a clear error (exit 1)', async () => {
    const run = await runCli(baseArgs('-n', 'empty'));
    assert.equal(run.code, 1);
    assert.match(run.stderr, /No workloads to scan in namespace\(s\) empty/);
    assert.equal(run.stdout, '');
  });
});

describe('Prometheus discovery and failures', () => {
  test('without -p, Prometheus is found through the API server proxy and gives the same numbers', async () => {
    const run = await runCli([
      'scan',
      '--kubeconfig',
      env.kubeconfig,
      '--at',
      String(env.cluster.endTime),
      '-f',
      'json',
      '-n',
      'monitoring',
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stderr,
      /Using Prometheus service monitoring\/prometheus-server:9090 through the Kubernetes API server/,
    );
    const result = JSON.parse(run.stdout) as ScanResult;
    assert.equal(
      result.scans[0]!.recommended.requests.memory.value,
      SIMPLE['monitoring/DaemonSet/log-agent/agent']!.memory,
    );
  });

  test('an unreachable Prometheus fails fast with the URL and what to check', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const run = await runCli([
      'scan',
      '--kubeconfig',
      env.kubeconfig,
      '-p',
      `http://127.0.0.1:${port}`,
      '-n',
      'monitoring',
    ]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, new RegExp(`Cannot reach Prometheus at http://127\\.0\\.0\\.1:${port}`));
    assert.doesNotMatch(run.stderr, /\n\s+at /);
    assert.ok(run.ms < 15_000, `took ${run.ms} ms`);
  });

  test('a slow Prometheus fails after one --prometheus-timeout, and says how the timeout applies', async () => {
    let requests = 0;
    const slow = createServer(() => requests++);
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    try {
      const run = await runCli([
        'scan',
        '--kubeconfig',
        env.kubeconfig,
        '-p',
        `http://127.0.0.1:${(slow.address() as AddressInfo).port}`,
        '--prometheus-timeout',
        '1',
        '-n',
        'monitoring',
      ]);
      assert.equal(run.code, 1);
      assert.match(
        run.stderr,
        /did not answer within 1 s \(--prometheus-timeout, the limit for each request; a request that times out is not retried\)/,
      );
      // The first request's timeout ends the scan: no later phase waits for a timeout of its own.
      assert.equal(requests, 1);
    } finally {
      slow.closeAllConnections();
      slow.close();
    }
  });

  test('something that is not Prometheus (a login page) is reported as such', async () => {
    const page = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html><body>Sign in</body></html>');
    });
    await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(page.address() as AddressInfo).port}`;
      const run = await runCli(['scan', '--kubeconfig', env.kubeconfig, '-p', url, '-n', 'monitoring']);
      assert.equal(run.code, 1);
      assert.match(
        run.stderr,
        /answered something that is not JSON .*Is this URL a Prometheus-compatible API\?/,
      );
    } finally {
      page.close();
    }
  });

  test('401 and 403 from the Kubernetes API are explained', async () => {
    const wrongToken = join(env.dir, 'wrong-token');
    env.kube.writeKubeconfig(wrongToken, { contextName: 'engine-test', token: 'not-the-token' });
    const unauthorized = await runCli([
      'scan',
      '--kubeconfig',
      wrongToken,
      '-p',
      env.prometheus.url,
      '-n',
      'monitoring',
    ]);
    assert.equal(unauthorized.code, 1);
    assert.match(unauthorized.stderr, /rejected the credentials .*401 Unauthorized/);

    env.kube.setRbac([
      { verbs: ['get', 'list'], apiGroups: [''], resources: ['namespaces', 'pods', 'services'] },
    ]);
    try {
      const forbidden = await runCli(baseArgs('-n', 'monitoring'));
      assert.equal(forbidden.code, 1);
      assert.match(forbidden.stderr, /403 Forbidden.*cannot list resource/);
    } finally {
      env.kube.setRbac(undefined);
    }
  });

  test('an optional krr binary is run and its JSON read back (a stand-in krr printing a fixture)', async () => {
    const fake = join(env.dir, 'krr');
    const fixture = {
      scans: [
        {
          object: {
            cluster: 'c',
            name: 'w',
            container: 'app',
            pods: [{ name: 'w-1', deleted: false }],
            hpa: null,
            namespace: 'ns',
            kind: 'Deployment',
            allocations: {
              requests: { cpu: '50m', memory: '2048Mi' },
              limits: { cpu: 2.0, memory: null },
              info: {},
            },
            warnings: [],
          },
          recommended: {
            requests: {
              cpu: { value: 0.0065, severity: 'GOOD' },
              memory: { value: '?', severity: 'UNKNOWN' },
            },
            limits: {
              cpu: { value: null, severity: 'WARNING' },
              memory: { value: '?', severity: 'UNKNOWN' },
            },
            info: { cpu: null, memory: 'Not enough data' },
          },
          severity: 'WARNING',
        },
      ],
      score: 30,
      resources: ['cpu', 'memory'],
      description: 'x',
      strategy: { name: 'simple', settings: {} },
      errors: [],
      clusterSummary: {},
      config: {},
    };
    writeFileSync(
      fake,
      `#!/bin/sh\necho "$@" > "$0.args"\ncat <<'JSON'\n${JSON.stringify(fixture)}\nJSON\n`,
      { mode: 0o755 },
    );
    const run = await runCli([
      'scan',
      '--kubeconfig',
      env.kubeconfig,
      '--krr-binary',
      fake,
      '-f',
      'json',
      '-n',
      'shop',
      '--cpu-percentile',
      '90',
    ]);
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout) as ScanResult;
    assert.deepEqual(result.scans[0]!.object.allocations.requests, { cpu: 0.05, memory: 2048 * 1024 * 1024 });
    const { readFileSync } = await import('node:fs');
    assert.match(
      readFileSync(`${fake}.args`, 'utf8'),
      /^simple -f json -q --logtostderr --context engine-test -n shop .*--cpu_percentile 90/,
    );
    writeFileSync(fake, '#!/bin/sh\necho "not json"\n', { mode: 0o755 });
    const garbage = await runCli(['scan', '--kubeconfig', env.kubeconfig, '--krr-binary', fake]);
    assert.equal(garbage.code, 1);
    assert.match(garbage.stderr, /did not print JSON/);
  });
});

describe('formats', () => {
  test('yaml, table and csv render the same scan', async () => {
    const base = [
      'scan',
      '--kubeconfig',
      env.kubeconfig,
      '-p',
      env.prometheus.url,
      '--at',
      String(env.cluster.endTime),
      '-n',
      'monitoring',
    ];
    const table = await runCli([...base, '-f', 'table']);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /log-agent .* agent .* unset -> 50m/);
    assert.match((await runCli([...base, '-f', 'yaml'])).stdout, /^scans:\n/);
    assert.match(
      (await runCli([...base, '-f', 'csv'])).stdout,
      /^Namespace,Name,Pods,Old Pods,Type,Container,Severity,/,
    );
  });
});
