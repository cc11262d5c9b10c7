// The Prometheus fixture must store exactly the history the cluster model describes, or every recommendation test
// built on it checks the wrong numbers. These tests query a real Prometheus loaded from a tiny hand-written cluster.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FixtureCluster } from '../../../src/demo/cluster-model.js';
import { startPrometheus, type RunningPrometheus } from '../../../src/demo/prometheus/prometheus-process.js';
import { parseQuantity } from '../../../src/demo/prometheus/quantity.js';

const MIB = 1024 * 1024;
// A multiple of 150 s, so that 75 s rate windows at multiples of 150 s start between two samples.
const END = 1_763_899_950;
const HISTORY = 6 * 3600;
const START = END - HISTORY;
const STEP = 30;

const cluster: FixtureCluster = {
  name: 'prometheus-fixture-test',
  namespaces: ['shop', 'data'],
  rolloutsCrd: false,
  endTime: END,
  historySeconds: HISTORY,
  scrapeIntervalSeconds: STEP,
  hpas: [],
  workloads: [
    {
      kind: 'Deployment',
      namespace: 'shop',
      name: 'web',
      labels: { app: 'web' },
      replicas: 1,
      containers: [{ name: 'app', requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '512Mi' } }],
      replicaSets: ['web-6b7c8d9f5', 'web-5d8f7c9b6'],
      pods: [
        {
          name: 'web-6b7c8d9f5-old01',
          startSecond: -3600,
          endSecond: 10_800,
          node: 'node-1',
          owner: { kind: 'ReplicaSet', name: 'web-6b7c8d9f5' },
          usage: {
            app: {
              cpuCores: [{ fromSecond: -3600, value: 0.1 }],
              memoryBytes: [{ fromSecond: -3600, value: 50 * MIB }],
            },
          },
        },
        {
          name: 'web-5d8f7c9b6-abcde',
          startSecond: 10_800,
          node: 'node-2',
          owner: { kind: 'ReplicaSet', name: 'web-5d8f7c9b6' },
          usage: {
            app: {
              cpuCores: [{ fromSecond: 10_800, value: 0.25 }],
              memoryBytes: [
                { fromSecond: 10_800, value: 100 * MIB },
                { fromSecond: 14_400, value: 300 * MIB },
                { fromSecond: 18_000, value: 150 * MIB },
              ],
            },
          },
          oomKilledAtSecond: { app: 15_000 },
        },
      ],
    },
    {
      kind: 'StatefulSet',
      namespace: 'data',
      name: 'db',
      labels: { app: 'db' },
      replicas: 1,
      containers: [{ name: 'postgres' }],
      inKubeStateMetrics: false,
      pods: [
        {
          name: 'db-0',
          startSecond: -86_400,
          node: 'node-1',
          owner: { kind: 'StatefulSet', name: 'db' },
          usage: {
            postgres: {
              cpuCores: [{ fromSecond: -86_400, value: 0.5 }],
              memoryBytes: [{ fromSecond: -86_400, value: 1024 * MIB }],
            },
          },
        },
      ],
    },
  ],
};

interface Sample {
  metric: Record<string, string>;
  value?: [number, string];
  values?: Array<[number, string]>;
}

describe('Prometheus fixture', () => {
  let prometheus: RunningPrometheus | undefined;

  before(async () => {
    prometheus = await startPrometheus({ cluster });
  });

  after(async () => {
    await prometheus?.stop();
  });

  async function query(expression: string, time: number): Promise<Sample[]> {
    const body = new URLSearchParams({ query: expression, time: String(time) });
    const response = await fetch(`${prometheus!.url}/api/v1/query`, { method: 'POST', body });
    const json = (await response.json()) as { status: string; data: { result: Sample[] }; error?: string };
    assert.equal(json.status, 'success', json.error);
    return json.data.result;
  }

  async function seriesNames(): Promise<string[]> {
    const parameters = new URLSearchParams({
      'match[]': '{__name__=~".+"}',
      start: String(START - 60),
      end: String(END),
    });
    const response = await fetch(`${prometheus!.url}/api/v1/series?${parameters}`);
    const json = (await response.json()) as { data: Array<Record<string, string>> };
    return json.data.map((labels) => labels.__name__!);
  }

  async function scalar(expression: string, time: number): Promise<number> {
    const result = await query(expression, time);
    assert.equal(result.length, 1, `${expression} → ${JSON.stringify(result)}`);
    return Number(result[0]!.value![1]);
  }

  it('stores every generated series and sample', async () => {
    // cAdvisor: 3 pods × (app + POD + "") × 2 metrics; machine: 2 nodes × 2; KSM (web only): 2 kube_pod_owner,
    // 2 kube_replicaset_owner, 2 × 5 phases, 2 × (cpu + memory) requests, 2 memory limits, 1 OOM reason; head series.
    const expectedSeries = 18 + 4 + (2 + 2 + 10 + 4 + 2 + 1) + 1;
    assert.equal(prometheus!.generated.series, expectedSeries);
    const names = await seriesNames();
    assert.equal(names.length, expectedSeries);
    let samples = 0;
    // Per metric name: functions drop __name__, and series of different metrics can share their other labels.
    for (const name of new Set(names))
      samples += await scalar(`sum(count_over_time({__name__="${name}"}[${HISTORY + 60}s]))`, END);
    assert.equal(samples, prometheus!.generated.samples);
  });

  it('makes rate() over 75 s return the configured cores exactly', async () => {
    const rate = await scalar(
      'rate(container_cpu_usage_seconds_total{pod="web-5d8f7c9b6-abcde",container="app"}[75s])',
      START + 14_400,
    );
    assert.ok(Math.abs(rate - 0.25) < 1e-9, `rate ${rate}`);
    const longRunning = await scalar(
      'rate(container_cpu_usage_seconds_total{pod="db-0",container="postgres"}[75s])',
      START + 150,
    );
    assert.ok(Math.abs(longRunning - 0.5) < 1e-9, `rate ${longRunning}`);
  });

  it("makes max_over_time of the working set the profile's maximum", async () => {
    const max = await scalar(
      `max_over_time(container_memory_working_set_bytes{pod="web-5d8f7c9b6-abcde",container="app"}[${HISTORY}s])`,
      END,
    );
    assert.equal(max, 300 * MIB);
  });

  it('writes the pause container and the pod total like cAdvisor, which queries must filter out', async () => {
    const selector = 'pod="web-5d8f7c9b6-abcde"';
    assert.equal(await scalar(`container_memory_working_set_bytes{${selector},container="POD"}`, END), MIB);
    assert.equal(
      await scalar(`container_memory_working_set_bytes{${selector},container=""}`, END),
      151 * MIB,
    );
    const total = await scalar(`rate(container_cpu_usage_seconds_total{${selector},container=""}[75s])`, END);
    assert.ok(Math.abs(total - 0.251) < 1e-9, `rate ${total}`);
  });

  it('has no samples of a deleted pod after its endSecond', async () => {
    const [series] = await query(
      `container_memory_working_set_bytes{pod="web-6b7c8d9f5-old01",container="app"}[${HISTORY}s]`,
      END,
    );
    const times = series!.values!.map(([time]) => time);
    assert.equal(times[0], START);
    assert.equal(times.at(-1), START + 10_800 - STEP);
    assert.equal(times.length, 10_800 / STEP);
    assert.deepEqual(
      await query('kube_pod_status_phase{pod="web-6b7c8d9f5-old01",phase="Running"} == 1', END),
      [],
    );
  });

  it('writes kube-state-metrics series from the container spec', async () => {
    const pod = 'pod="web-5d8f7c9b6-abcde"';
    assert.equal(
      await scalar(`kube_pod_container_resource_requests{${pod},resource="cpu",unit="core"}`, END),
      0.1,
    );
    assert.equal(
      await scalar(`kube_pod_container_resource_limits{${pod},resource="memory",unit="byte"}`, END),
      512 * MIB,
    );
    assert.deepEqual(await query(`kube_pod_container_resource_limits{${pod},resource="cpu"}`, END), []);
    assert.equal(await scalar(`kube_pod_status_phase{${pod},phase="Running"}`, END), 1);
    const owner = await query(`kube_replicaset_owner{replicaset="web-5d8f7c9b6"}`, END);
    assert.equal(owner[0]?.metric.owner_name, 'web');
    assert.equal(owner[0]?.metric.owner_kind, 'Deployment');
    const oom = await query(
      `kube_pod_container_status_last_terminated_reason{${pod},reason="OOMKilled"}[${HISTORY}s]`,
      END,
    );
    assert.equal(oom[0]?.values?.[0]?.[0], START + 15_000);
  });

  it('writes no kube-state-metrics series for workloads kube-state-metrics never saw', async () => {
    assert.deepEqual(await query(`{pod="db-0",job="kube-state-metrics"}[${HISTORY}s]`, END), []);
    assert.equal((await query('container_cpu_usage_seconds_total{pod="db-0"}', END)).length, 3);
  });

  it('writes the series krr reads outside the workloads', async () => {
    assert.equal(await scalar('sum(max by (instance) (machine_cpu_cores))', END), 8);
    assert.ok((await scalar('max(prometheus_tsdb_head_series)', END)) > 0);
  });
});

describe('Prometheus lifecycle', () => {
  const started: RunningPrometheus[] = [];
  let scratch: string | undefined;

  after(async () => {
    await Promise.all(started.map((prometheus) => prometheus.stop()));
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('stop() leaves no process and no data behind', async () => {
    const prometheus = await startPrometheus({ cluster });
    started.push(prometheus);
    await prometheus.stop();
    assert.throws(() => process.kill(prometheus.pid, 0), { code: 'ESRCH' });
    assert.equal(existsSync(prometheus.dataDir), false);
  });

  it('kills a Prometheus whose stop() was forgotten when the test process exits', async () => {
    scratch ??= await mkdtemp(join(tmpdir(), 'krr-mcp-test-'));
    const script = join(scratch, 'forget-stop.mts');
    const moduleUrl = new URL('../../../src/demo/prometheus/prometheus-process.ts', import.meta.url).href;
    await writeFile(
      script,
      `import { startPrometheus } from ${JSON.stringify(moduleUrl)};\n` +
        `const cluster = JSON.parse(process.argv[2]);\n` +
        `const prometheus = await startPrometheus({ cluster });\n` +
        `console.log(prometheus.pid);\n` +
        `console.log(prometheus.dataDir);\n`,
    );
    const child = spawnSync(process.execPath, ['--import', 'tsx', script, JSON.stringify(cluster)], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(child.status, 0, child.stderr);
    const pid = Number(child.stdout.trim().split('\n')[0]);
    assert.ok(pid > 0, child.stdout);
    // SIGKILL is delivered asynchronously, and the orphan is reaped by init, not by us.
    assert.equal(await goneWithin(pid, 5_000), true, `Prometheus ${pid} still running`);
    assert.equal(existsSync(child.stdout.trim().split('\n')[1] ?? ''), false, 'work dir left behind');
  });

  it('says how to install Prometheus when it is missing', async () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      await assert.rejects(
        startPrometheus({ cluster }),
        /apt-get install -y --no-install-recommends prometheus/,
      );
    } finally {
      process.env.PATH = path;
    }
  });

  it('refuses a history in which promtool dropped out-of-order samples', async () => {
    scratch ??= await mkdtemp(join(tmpdir(), 'krr-mcp-test-'));
    const file = join(scratch, 'out-of-order.om');
    await writeFile(
      file,
      '# TYPE up gauge\nup{job="x"} 1 1000\nup{job="x"} 1 1060\nup{job="x"} 1 1030\n# EOF\n',
    );
    await assert.rejects(
      startPrometheus({ openMetricsFile: file }),
      /promtool stored 2 samples but 3 were generated/,
    );
  });
});

async function goneWithin(pid: number, ms: number): Promise<boolean> {
  for (const deadline = Date.now() + ms; Date.now() < deadline; await sleep(50)) {
    try {
      process.kill(pid, 0);
    } catch {
      return true;
    }
  }
  return false;
}

describe('parseQuantity', () => {
  it('reads the suffixes Kubernetes accepts', () => {
    assert.equal(parseQuantity('250m'), 0.25);
    assert.equal(parseQuantity('1.5'), 1.5);
    assert.equal(parseQuantity('2'), 2);
    assert.equal(parseQuantity('128Mi'), 128 * MIB);
    assert.equal(parseQuantity('1G'), 1e9);
    assert.equal(parseQuantity('1e3'), 1000);
    assert.equal(parseQuantity('1E'), 1e18);
    assert.equal(parseQuantity('1Ei'), 2 ** 60);
    assert.throws(() => parseQuantity('12 apples'), /not a Kubernetes quantity/);
  });
});
