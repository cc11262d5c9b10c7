import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { DEFAULT_SAFETY_RULES } from '../../../src/core/changes/safety-rules.js';
import type { ResourceScan, ScanResult } from '../../../src/core/recommend/model.js';
import { loadServerConfig } from '../../../src/mcp/config.js';
import { jsonLogger } from '../../../src/mcp/logger.js';
import { createMcpServer } from '../../../src/mcp/server.js';
import { createServerContext, type ServerContext } from '../../../src/mcp/server-context.js';
import { runInProcess } from '../../support/cli/run-in-process.js';
import { startEngineEnvironment, type EngineEnvironment } from '../../support/engine-environment.js';
import { riskEndTime, riskSignalsCluster } from '../../support/fixture/risk-signals-cluster.js';

// Where the risk signals show, against the real Prometheus and the API simulator: `krr-mcp scan` (krr's
// JSON untouched unless --with-signals; the table's "!" and legend) and the MCP tools' structured output
// (scan_recommendations items, preview_changes workloads and their risk reasons).

let env: EngineEnvironment;
before(async () => {
  env = await startEngineEnvironment(riskSignalsCluster(riskEndTime()));
});
after(async () => {
  await env?.stop();
});

const AT_RISK = ['api', 'cache', 'worker', 'web', 'calmxv1'];

describe('krr-mcp scan', () => {
  const scan = (...extra: string[]) =>
    runInProcess([
      'scan',
      '--kubeconfig',
      env.kubeconfig,
      '-p',
      env.prometheus.url,
      '--at',
      String(env.cluster.endTime),
      '--history-duration',
      '24',
      ...extra,
    ]);

  test("--with-signals adds `signals` to each row and nothing else: without it, krr's bytes", async () => {
    const plain = await scan('-f', 'json');
    const withSignals = await scan('-f', 'json', '--with-signals');
    assert.equal(plain.code, 0, plain.stderr);
    assert.equal(withSignals.code, 0, withSignals.stderr);
    assert.doesNotMatch(plain.stdout, /"signals"|at_risk/);
    type Row = ResourceScan & { signals?: { at_risk: boolean; reasons: string[]; restarts: number } };
    const parsed = JSON.parse(withSignals.stdout) as Omit<ScanResult, 'scans'> & { scans: Row[] };
    const atRisk = parsed.scans.filter((s) => s.signals?.at_risk).map((s) => s.object.name);
    assert.deepEqual(atRisk.sort(), [...AT_RISK].sort());
    const worker = parsed.scans.find((s) => s.object.name === 'worker')!;
    assert.equal(worker.signals!.restarts, 4);
    // Without the signals, the flagged output is the plain output byte for byte (the config block included).
    const stripped = { ...parsed, scans: parsed.scans.map(({ signals: _signals, ...row }) => row) };
    assert.equal(`${JSON.stringify(stripped, null, 2)}\n`, plain.stdout);
  });

  test('the table marks at-risk rows with "!" and says why under the table', async () => {
    const run = await scan('-f', 'table');
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.split('\n');
    const mark = lines[0]!.indexOf('  !  ') + 2;
    assert.ok(mark > 2, `no "!" column in ${lines[0]}`);
    const rowOf = (name: string) =>
      lines.find((l) => new RegExp(`\\s${name.replace('.', '\\.')}\\s`).test(l))!;
    for (const name of AT_RISK) assert.equal(rowOf(name)[mark], '!', `${name} is marked`);
    assert.equal(rowOf('calm.v1')[mark], ' ', 'calm.v1 is not');
    const legend = run.stdout.slice(run.stdout.indexOf('! already at risk'));
    assert.match(legend, /shop\/api app: CPU throttled in up to 60% of its CFS periods/);
    assert.match(legend, /shop\/cache redis: OOM-killed 2 times in the last day/);
    assert.match(legend, /shop\/worker app: restarted 4 times in the last day/);
    assert.match(
      legend,
      /shop\/web app: its HorizontalPodAutoscaler web-autoscaler sat at its maximum replicas/,
    );
    assert.doesNotMatch(legend, /calm\.v1/);
  });

  test('--with-signals is refused where it cannot apply', async () => {
    const csv = await scan('-f', 'csv', '--with-signals');
    assert.equal(csv.code, 2);
    assert.match(csv.stderr, /--with-signals applies to json, yaml and table/);
  });
});

describe('MCP tools', () => {
  let client: Client;
  let context: ServerContext;
  type Signals = { at_risk: boolean; reasons: string[]; throttled_max: number | null; hpa_at_max: boolean };
  type Result = { isError?: boolean; content: Array<{ text?: string }>; structuredContent?: unknown };
  const call = async <T>(name: string, args: Record<string, unknown>): Promise<T> => {
    const result = (await client.callTool({ name, arguments: args })) as Result;
    assert.notEqual(result.isError, true, result.content.map((c) => c.text).join('\n'));
    return result.structuredContent as T;
  };

  before(async () => {
    const serverEnv = { KUBECONFIG: env.kubeconfig, PROMETHEUS_URL: env.prometheus.url, HOME: env.dir };
    context = createServerContext({
      config: loadServerConfig(serverEnv),
      safety: DEFAULT_SAFETY_RULES,
      log: jsonLogger('error', () => {}),
      version: 'test',
      env: serverEnv,
    });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await createMcpServer(context).connect(serverSide);
    client = new Client({ name: 'risk-signals-test', version: '1.0.0' });
    await client.connect(clientSide);
    // The client checks structured output against each tool's output schema once it has listed them.
    await client.listTools();
  });
  after(async () => {
    await client?.close();
  });

  test('scan_recommendations: every item has risk_signals, read once per scan', async () => {
    type Page = {
      items: Array<{ id: string; name: string; risk_signals: Signals | null }>;
      errors: string[];
    };
    const page = await call<Page>('scan_recommendations', { namespace: 'shop', limit: 100 });
    assert.deepEqual(page.errors, []);
    const byName = new Map(page.items.map((i) => [i.name, i.risk_signals]));
    for (const [name, signals] of byName) {
      assert.ok(signals, `${name} has signals`);
      assert.equal(signals.at_risk, AT_RISK.includes(name), name);
    }
    // 14 days at 68-minute steps: the 2-hour burst is read as step averages (the day-long tests pin 0.6).
    assert.ok(byName.get('api')!.throttled_max! > 0.25);
    assert.equal(byName.get('web')!.hpa_at_max, true);

    const prometheus = await context.prometheus(context.kube());
    const before = prometheus.queryCount;
    await call<Page>('scan_recommendations', { namespace: 'shop', limit: 100 });
    assert.equal(prometheus.queryCount, before, 'the cached scan keeps its signals');
  });

  test("preview_changes: each workload's risk_signals, and the trouble as a MEDIUM risk reason", async () => {
    type Plan = {
      risk: { reasons: Array<{ level: string; text: string }> };
      workloads: Array<{ name: string; risk_signals: Signals | null; risk: { level: string } }>;
    };
    const { items } = await call<{ items: Array<{ id: string; name: string }> }>('scan_recommendations', {
      namespace: 'shop',
      limit: 100,
    });
    const idOf = (name: string) => items.find((i) => i.name === name)!.id;
    const plan = await call<Plan>('preview_changes', {
      recommendation_ids: [idOf('worker'), idOf('calm.v1')],
    });
    const worker = plan.workloads.find((w) => w.name === 'worker')!;
    const calm = plan.workloads.find((w) => w.name === 'calm.v1')!;
    assert.equal(worker.risk_signals?.at_risk, true);
    assert.deepEqual(worker.risk_signals.reasons, ['app: restarted 4 times in the last 14 days']);
    assert.equal(calm.risk_signals?.at_risk, false);
    assert.deepEqual(
      plan.risk.reasons.filter((r) => r.text.includes('already at risk')),
      [
        {
          level: 'MEDIUM',
          text: 'Deployment shop/worker: already at risk: app: restarted 4 times in the last 14 days',
        },
      ],
    );
  });
});
