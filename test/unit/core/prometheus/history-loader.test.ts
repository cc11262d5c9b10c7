import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, test } from 'node:test';
import { PrometheusClient } from '../../../../src/core/prometheus/client.js';
import { loadHistory, type HistoryBatch } from '../../../../src/core/prometheus/history-loader.js';
import { PrometheusError } from '../../../../src/core/prometheus/errors.js';
import { QuerySlots } from '../../../../src/core/prometheus/query-slots.js';

// A Prometheus double that answers the loader's three kinds of request: the series index, krr's exact
// (grouped) usage query and the ungrouped one. The grouped query answers 2 GiB for every pod it names, the
// ungrouped one 1 GiB for every pod, so each pod's value says which query it was read with.

const TIME = 1_700_000_000;
const GROUPED = 'by (namespace, container, pod, job)';
let server: Server;
let url: string;
let seriesAnswer: { status: number; body: unknown };
let countAnswer: string[];
const requests: Array<{ path: string; form: URLSearchParams }> = [];

const cadvisor = (name: string, pod: string, extra: Record<string, string> = {}) => ({
  __name__: name,
  namespace: 'shop',
  pod,
  container: 'app',
  job: 'kubelet',
  instance: 'node-1',
  ...extra,
});
const vector = (pods: string[], value: string) => ({
  status: 'success',
  data: {
    resultType: 'vector',
    result: pods.map((pod) => ({
      metric: { namespace: 'shop', pod, container: 'app', job: 'kubelet' },
      value: [TIME, value],
    })),
  },
});

before(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const form = new URLSearchParams(body);
      requests.push({ path: req.url ?? '', form });
      const reply = (status: number, value: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(typeof value === 'string' ? value : JSON.stringify(value));
      };
      if (req.url === '/api/v1/series') return reply(seriesAnswer.status, seriesAnswer.body);
      const query = form.get('query') ?? '';
      if (query.includes('count_over_time') && query.includes('> 1'))
        return reply(200, vector(countAnswer, '2'));
      if (query.includes(GROUPED)) {
        const named = /pod=~"([^"]*)"/.exec(query)?.[1]?.split('|') ?? [];
        return reply(200, vector(named, String(2 * 1024 ** 3)));
      }
      return reply(200, vector(['a', 'b', 'c'], String(1024 ** 3)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => {
  server.closeAllConnections();
  server.close();
});

beforeEach(() => {
  requests.length = 0;
  countAnswer = [];
});

const batch: HistoryBatch = {
  namespaces: ['shop'],
  workloads: [
    {
      key: 'shop/Deployment/web',
      namespace: 'shop',
      containers: ['app'],
      pods: ['a', 'b', 'c'].map((name) => ({ name, deleted: false })),
    },
  ],
};
const options = {
  time: TIME,
  historyHours: 24,
  timeframeMinutes: 1.25,
  loaders: ['MaxMemoryLoader' as const],
};

/** A successful `/api/v1/series` answer with these label sets. */
const seriesIndex = (data: unknown[]) => ({ status: 200, body: { status: 'success', data } });

async function peaks(slots?: QuerySlots): Promise<Record<string, number>> {
  const history = await loadHistory(new PrometheusClient({ url, retries: 0 }), batch, {
    ...options,
    ...(slots ? { slots } : {}),
  });
  const values = history.get('shop/Deployment/web/app')!.MaxMemoryLoader!;
  return Object.fromEntries([...values].map(([pod, v]) => [pod, v[0]! / 1024 ** 3]));
}

test("the series index names the pods krr's merge changes; only they are read with krr's grouped query", async () => {
  seriesAnswer = seriesIndex([
    // Pod a: cAdvisor reported its container twice (two cgroup ids around a restart).
    cadvisor('container_memory_working_set_bytes', 'a', { id: '/one' }),
    cadvisor('container_memory_working_set_bytes', 'a', { id: '/two' }),
    cadvisor('container_cpu_usage_seconds_total', 'a'),
    // Pod b: one series per metric; the same labels under two metric names are not a duplicate.
    cadvisor('container_memory_working_set_bytes', 'b'),
    cadvisor('container_cpu_usage_seconds_total', 'b'),
    // Pod c: two jobs scrape it, one series each: krr groups by job, so nothing merges.
    cadvisor('container_memory_working_set_bytes', 'c'),
    cadvisor('container_memory_working_set_bytes', 'c', { job: 'cadvisor' }),
  ]);
  assert.deepEqual(await peaks(), { a: 2, b: 1, c: 1 });
  const series = requests.find((r) => r.path === '/api/v1/series')!;
  assert.deepEqual(series.form.getAll('match[]'), [
    'container_cpu_usage_seconds_total{namespace="shop", container!="", container!="POD"}',
    'container_memory_working_set_bytes{namespace="shop", container!="", container!="POD"}',
  ]);
  // The subquery's day, plus the rate window, the lookback and a margin (10 minutes), ending at the scan's time.
  assert.equal(series.form.get('start'), String(TIME - 86_400 - 600));
  assert.equal(series.form.get('end'), String(TIME));
  const queries = requests.map((r) => r.form.get('query') ?? '');
  assert.ok(!queries.some((q) => q.includes('count_over_time')), 'no sample is counted');
  assert.equal(queries.filter((q) => q.includes(GROUPED)).length, 1);
});

test('without duplicates, nothing is read twice', async () => {
  seriesAnswer = seriesIndex(['a', 'b', 'c'].map((p) => cadvisor('container_memory_working_set_bytes', p)));
  assert.deepEqual(await peaks(), { a: 1, b: 1, c: 1 });
  assert.equal(requests.filter((r) => (r.form.get('query') ?? '').includes(GROUPED)).length, 0);
});

test('a backend that refuses the series endpoint is asked with the counting query instead', async () => {
  seriesAnswer = { status: 404, body: '404 page not found' };
  countAnswer = ['b'];
  assert.deepEqual(await peaks(), { a: 1, b: 2, c: 1 });
  assert.ok(requests.some((r) => (r.form.get('query') ?? '').includes('count_over_time')));
  seriesAnswer = {
    status: 422,
    body: {
      status: 'error',
      errorType: 'execution',
      error: 'the number of matching timeseries exceeds 30000',
    },
  };
  countAnswer = ['c'];
  assert.deepEqual(await peaks(), { a: 1, b: 1, c: 2 });
});

test('credentials refused by the series endpoint fail the scan, as they would fail every query', async () => {
  seriesAnswer = { status: 401, body: { error: 'no' } };
  await assert.rejects(peaks(), (e: unknown) => e instanceof PrometheusError && e.kind === 'unauthorized');
});

test("with slots shared by a scan's batches, every request of the loader waits for a slot", async () => {
  seriesAnswer = seriesIndex([
    cadvisor('container_memory_working_set_bytes', 'a', { id: '/one' }),
    cadvisor('container_memory_working_set_bytes', 'a', { id: '/two' }),
  ]);
  let inFlight = 0;
  let most = 0;
  let ran = 0;
  class CountingSlots extends QuerySlots {
    override run<T>(query: () => Promise<T>): Promise<T> {
      return super.run(async () => {
        ran++;
        most = Math.max(most, ++inFlight);
        try {
          return await query();
        } finally {
          inFlight--;
        }
      });
    }
  }
  const slots = new CountingSlots(1);
  const [first, second] = await Promise.all([peaks(slots), peaks(slots)]);
  assert.deepEqual(first, { a: 2, b: 1, c: 1 });
  assert.deepEqual(second, first);
  // Per batch: the series index, the ungrouped loader query and krr's grouped one for pod a.
  assert.equal(ran, 6);
  assert.equal(requests.length, ran);
  assert.equal(most, 1);
});
