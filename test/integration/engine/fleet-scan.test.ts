import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { FixtureCluster, UsageProfile } from '../../../src/demo/cluster-model.js';
import { kubeconfigYaml } from '../../../src/demo/kube-simulator/kubeconfig.js';
import { startPrometheus, type RunningPrometheus } from '../../../src/demo/prometheus/prometheus-process.js';
import type { ResourceScan, ScanResult } from '../../../src/core/recommend/model.js';
import { runCli } from '../../support/cli/run-cli.js';
import { connectMcpServer } from '../../support/mcp-stdio-client.js';
import { startEngineEnvironment, type EngineEnvironment } from '../../support/engine-environment.js';
import { alignedEndTime, engineTestCluster } from '../../support/fixture/engine-test-cluster.js';

// `krr-mcp scan` over a fleet: two simulated clusters, each with its own Prometheus (found through its API
// server, as krr does) and both in one shared Prometheus that tells them apart by a `cluster` label. The
// fleet's rows are exactly each cluster's own scan; a cluster that cannot be reached is an entry in
// `errors` and the others are still scanned.

const end = alignedEndTime();
const east: FixtureCluster = { ...engineTestCluster(end), name: 'east' };
// Another cluster running some of the same workloads under the same names, as fleets do.
const westBase = engineTestCluster(end);
/** Twice the usage: a scan that read the other cluster's series too would show it. */
const doubled = (profile: UsageProfile): UsageProfile => profile.map((p) => ({ ...p, value: p.value * 2 }));
const west: FixtureCluster = {
  ...westBase,
  name: 'west',
  namespaces: ['shop'],
  workloads: westBase.workloads
    .filter((w) => w.namespace === 'shop')
    .map((w) => ({
      ...w,
      pods: w.pods.map((pod) => ({
        ...pod,
        usage: Object.fromEntries(
          Object.entries(pod.usage).map(([c, u]) => [
            c,
            { cpuCores: doubled(u.cpuCores), memoryBytes: doubled(u.memoryBytes) },
          ]),
        ),
      })),
    })),
  hpas: westBase.hpas.filter((h) => h.namespace === 'shop'),
};

let eastEnv: EngineEnvironment;
let westEnv: EngineEnvironment;
let shared: RunningPrometheus;
let dir: string;
let kubeconfig: string;

before(async () => {
  [eastEnv, westEnv, shared] = await Promise.all([
    startEngineEnvironment(east),
    startEngineEnvironment(west),
    startPrometheus({
      clusters: [
        // `region` names the clusters otherwise than their contexts, as an EKS ARN's series say `shop-prod`.
        { ...east, prometheusLabels: { cluster: 'east', region: 'us-east-1' } },
        { ...west, prometheusLabels: { cluster: 'west', region: 'eu-west-1' } },
      ],
    }),
  ]);
  dir = mkdtempSync(join(tmpdir(), 'krr-mcp-fleet-'));
  const file = (name: string, yaml: string) => {
    const path = join(dir, `${name}.yaml`);
    writeFileSync(path, yaml, { mode: 0o600 });
    return path;
  };
  // Four files merged as kubectl merges KUBECONFIG; "down" and "gone" point at ports nothing listens on.
  kubeconfig = [
    file(
      'east',
      kubeconfigYaml(eastEnv.kube.url, 'engine-test-token', { contextName: 'east', userName: 'east' }),
    ),
    file(
      'west',
      kubeconfigYaml(westEnv.kube.url, 'engine-test-token', { contextName: 'west', userName: 'west' }),
    ),
    file('down', kubeconfigYaml('http://127.0.0.1:9', 'nothing', { contextName: 'down', userName: 'down' })),
    file('gone', kubeconfigYaml('http://127.0.0.1:7', 'nothing', { contextName: 'gone', userName: 'gone' })),
  ].join(delimiter);
});

after(async () => {
  await Promise.allSettled([eastEnv?.stop(), westEnv?.stop(), shared?.stop()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function scan(...args: string[]): Promise<{ result: ScanResult; stderr: string }> {
  const run = await runCli(['scan', '-f', 'json', '--at', String(end), ...args], { KUBECONFIG: kubeconfig });
  assert.equal(run.code, 0, `scan ${args.join(' ')} failed: ${run.stderr}`);
  return { result: JSON.parse(run.stdout) as ScanResult, stderr: run.stderr };
}

const rowsOf = (result: ScanResult, cluster: string): ResourceScan[] =>
  result.scans.filter((s) => s.object.cluster === cluster);

describe('each cluster with its own Prometheus, found through its API server', () => {
  let alone: { east: ScanResult; west: ScanResult };
  before(async () => {
    alone = { east: (await scan('-c', 'east')).result, west: (await scan('-c', 'west')).result };
    assert.ok(alone.east.scans.length > alone.west.scans.length && alone.west.scans.length > 0);
    const cpu = (r: ScanResult) =>
      r.scans.find((s) => s.object.name === 'web' && s.object.container === 'app')?.recommended.requests.cpu
        .value;
    assert.notDeepEqual(cpu(alone.west), cpu(alone.east), "west's usage differs from east's");
  });

  test('-c east -c west: every row of each cluster, exactly as its own scan, named by object.cluster', async () => {
    const { result } = await scan('-c', 'east', '-c', 'west');
    assert.deepEqual(rowsOf(result, 'east'), alone.east.scans);
    assert.deepEqual(rowsOf(result, 'west'), alone.west.scans);
    assert.equal(result.scans.length, alone.east.scans.length + alone.west.scans.length);
    assert.deepEqual(result.config.clusters, ['east', 'west']);
    assert.deepEqual(result.errors, []);
  });

  test('--all-clusters scans every context; one that is down is reported in errors, the others stand', async () => {
    const { result, stderr } = await scan('--all-clusters');
    assert.deepEqual(rowsOf(result, 'east'), alone.east.scans);
    assert.deepEqual(rowsOf(result, 'west'), alone.west.scans);
    assert.deepEqual(
      result.errors.map((e) => [e.name, 'cluster' in e ? e.cluster : null]),
      [
        ['ClusterScanError', 'down'],
        ['ClusterScanError', 'gone'],
      ],
    );
    assert.match(stderr, /Warning: cluster "down" could not be scanned: /);
  });

  test('when no cluster can be scanned: exit 1 with each reason, no stack trace; an unknown context is a usage error', async () => {
    const run = await runCli(['scan', '-c', 'down', '-c', 'gone', '-f', 'json'], { KUBECONFIG: kubeconfig });
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /No cluster could be scanned:\n {2}down: .+\n {2}gone: /);
    assert.equal(run.stdout, '');
    const unknown = await runCli(['scan', '-c', 'down', '-c', 'nowhere', '-f', 'json'], {
      KUBECONFIG: kubeconfig,
    });
    assert.equal(unknown.code, 2, unknown.stderr);
    assert.match(unknown.stderr, /no context "nowhere" in the kubeconfig/);
    assert.doesNotMatch(run.stderr + unknown.stderr, /\n\s+at /, 'no stack trace');
  });
});

describe('--krr-binary over several clusters', () => {
  test('krr gets every context (its own -c, repeated); one -p for several is refused before krr runs', async () => {
    const fake = join(dir, 'krr');
    const empty = {
      scans: [],
      score: 100,
      resources: ['cpu', 'memory'],
      description: 'x',
      strategy: { name: 'simple', settings: {} },
      errors: [],
      clusterSummary: {},
      config: {},
    };
    writeFileSync(fake, `#!/bin/sh\necho "$@" > "$0.args"\necho '${JSON.stringify(empty)}'\n`, {
      mode: 0o755,
    });
    const run = await runCli(['scan', '-c', 'east', '-c', 'west', '--krr-binary', fake, '-f', 'json'], {
      KUBECONFIG: kubeconfig,
    });
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      readFileSync(`${fake}.args`, 'utf8'),
      /^simple -f json -q --logtostderr --context east --context west /,
    );
    const withP = await runCli(
      [
        'scan',
        '-c',
        'east',
        '-c',
        'west',
        '--krr-binary',
        fake,
        '-p',
        shared.url,
        '--prometheus-label',
        'cluster',
      ],
      { KUBECONFIG: kubeconfig },
    );
    assert.equal(withP.code, 2);
    assert.match(
      withP.stderr,
      /--krr-binary scans several clusters only with the Prometheus krr finds in each/,
    );
  });
});

describe('one shared Prometheus, clusters told apart by a label', () => {
  test('-p URL --prometheus-label cluster: each cluster reads only its own series; same rows as alone', async () => {
    const own = (await scan('-c', 'east', '-c', 'west')).result;
    const { result } = await scan(
      '-c',
      'east',
      '-c',
      'west',
      '-p',
      shared.url,
      '--prometheus-label',
      'cluster',
    );
    assert.deepEqual(rowsOf(result, 'east'), rowsOf(own, 'east'));
    assert.deepEqual(rowsOf(result, 'west'), rowsOf(own, 'west'));
    assert.equal(result.config.prometheus_label, 'cluster');
  });

  test("without --prometheus-label one URL cannot serve several clusters (krr's rule), said before any scan", async () => {
    const run = await runCli(['scan', '-c', 'east', '-c', 'west', '-p', shared.url], {
      KUBECONFIG: kubeconfig,
    });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /Cannot scan multiple clusters for this prometheus/);
    const withL = await runCli(
      ['scan', '-c', 'east', '-c', 'west', '-p', shared.url, '--prometheus-label', 'cluster', '-l', 'east'],
      { KUBECONFIG: kubeconfig },
    );
    assert.equal(withL.code, 2);
    assert.match(withL.stderr, /-l\/--prometheus-cluster-label names one cluster/);
  });
});

describe('over MCP: scan_recommendations with contexts / all_contexts', () => {
  type Page = {
    total: number;
    items: Array<{ id: string; context?: string }>;
    errors: string[];
    clusters?: Array<{ context: string; error: string | null }>;
  };
  type Result = { isError?: boolean; content: Array<{ text?: string }>; structuredContent?: unknown };
  let client: Client;
  let withUrl: Client;
  let sharedWithLabel: Client;
  let eastUrl: Client;
  const call = async (c: Client, args: Record<string, unknown>) =>
    (await c.callTool({ name: 'scan_recommendations', arguments: args }, undefined, {
      timeout: 180_000,
    })) as Result;
  const page = (r: Result) => {
    assert.notEqual(r.isError, true, r.content.map((c) => c.text).join('\n'));
    return r.structuredContent as Page;
  };
  const serverEnv = (extra: Record<string, string> = {}) => ({
    PATH: process.env.PATH ?? '',
    HOME: dir,
    KUBECONFIG: kubeconfig,
    KRR_MCP_STATE_DIR: join(dir, 'state'),
    KRR_MCP_AUDIT_LOG: join(dir, 'audit.jsonl'),
    ...extra,
  });
  before(async () => {
    ({ client } = await connectMcpServer(serverEnv()));
    ({ client: withUrl } = await connectMcpServer(serverEnv({ PROMETHEUS_URL: shared.url })));
    ({ client: eastUrl } = await connectMcpServer(serverEnv({ PROMETHEUS_URL: eastEnv.prometheus.url })));
    ({ client: sharedWithLabel } = await connectMcpServer(
      serverEnv({
        PROMETHEUS_URL: shared.url,
        PROMETHEUS_CLUSTER_LABEL_NAME: 'region',
        PROMETHEUS_CLUSTER_LABEL_VALUES: JSON.stringify({ east: 'us-east-1', west: 'eu-west-1' }),
      }),
    ));
  });
  after(async () => {
    await Promise.allSettled([client?.close(), withUrl?.close(), sharedWithLabel?.close(), eastUrl?.close()]);
  });

  test("contexts: both clusters' items, ranked together, each naming its context; the same as each alone", async () => {
    const each = {
      east: page(await call(client, { context: 'east', limit: 500 })),
      west: page(await call(client, { context: 'west', limit: 500 })),
    };
    const both = page(await call(client, { contexts: ['east', 'west'], limit: 500 }));
    assert.equal(both.total, each.east.total + each.west.total);
    for (const name of ['east', 'west'] as const) {
      const mine = both.items.filter((i) => i.context === name);
      assert.deepEqual(mine.map((i) => i.id).sort(), each[name].items.map((i) => i.id).sort());
      assert.ok(mine.every((i) => i.id.startsWith(`${name}/`)));
    }
    assert.deepEqual(
      both.clusters?.map((c) => [c.context, c.error]),
      [
        ['east', null],
        ['west', null],
      ],
    );
  });

  test('one shared PROMETHEUS_URL with PROMETHEUS_CLUSTER_LABEL_NAME: each context reads only its own series, mapped values and all', async () => {
    const own = page(await call(client, { contexts: ['east', 'west'], limit: 500 }));
    const viaShared = page(await call(sharedWithLabel, { contexts: ['east', 'west'], limit: 500 }));
    assert.ok(own.total > 0);
    // The same items, values, severities and risk signals as each cluster read from its own Prometheus.
    assert.deepEqual(viaShared.items, own.items);
    assert.deepEqual(viaShared.errors, []);
    const westAlone = page(await call(sharedWithLabel, { context: 'west', limit: 500 }));
    assert.deepEqual(
      westAlone.items,
      own.items.filter((i) => i.context === 'west').map(({ context: _context, ...item }) => item),
    );
  });

  test("PROMETHEUS_URL is the server's own context's: another context an agent names reads its own cluster's Prometheus", async () => {
    // `eastUrl` was started for east (the kubeconfig's current context) with east's own Prometheus, where
    // west's workloads have namesakes at half west's usage.
    const westOwn = page(await call(client, { context: 'west', limit: 500 }));
    const westViaEastServer = page(await call(eastUrl, { context: 'west', limit: 500 }));
    assert.ok(westOwn.total > 0);
    assert.deepEqual(westViaEastServer.items, westOwn.items);
    const eastOwn = page(await call(client, { context: 'east', limit: 500 }));
    assert.deepEqual(page(await call(eastUrl, { context: 'east', limit: 500 })).items, eastOwn.items);
  });

  test('all_contexts: the clusters that are down are named with their reason; the others are scanned', async () => {
    const all = page(await call(client, { all_contexts: true, limit: 5 }));
    assert.deepEqual(
      all.clusters?.filter((c) => c.error !== null).map((c) => c.context),
      ['down', 'gone'],
    );
    assert.ok(all.items.length === 5 && all.total > 5);
    assert.ok(all.errors.some((e) => /Context "down" could not be scanned: /.test(e)));
  });

  test('mistakes name the parameters: two ways at once, an unknown context, one Prometheus for several', async () => {
    const twice = await call(client, { context: 'east', contexts: ['west'] });
    assert.equal(twice.isError, true);
    assert.match(twice.content[0]!.text!, /Give one of context, contexts or all_contexts/);
    const unknown = await call(client, { contexts: ['east', 'nowhere'] });
    assert.equal(unknown.isError, true);
    assert.match(unknown.content[0]!.text!, /contexts: no context "nowhere" in the kubeconfig/);
    const shared = await call(withUrl, { contexts: ['east', 'west'] });
    assert.equal(shared.isError, true);
    assert.match(shared.content[0]!.text!, /contexts: this server reads one Prometheus \(PROMETHEUS_URL\)/);
  });
});
