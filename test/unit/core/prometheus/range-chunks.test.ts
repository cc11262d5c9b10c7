import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { PrometheusClient } from '../../../../src/core/prometheus/client.js';
import { concatenateChunks, rangeChunks } from '../../../../src/core/prometheus/range-chunks.js';

// A server that evaluates range queries the way Prometheus does (points at start + k·step up to end) and
// refuses, with Prometheus' own words, any query over 11,000 steps.
const requests: Array<{ start: number; end: number; step: number }> = [];
let server: Server;
let url: string;

/** Two series; "late" exists only in the second half of the window, as a pod started mid-history. */
function evaluate(start: number, end: number, step: number) {
  const points = (from: number, value: (t: number) => number) => {
    const values: Array<[number, string]> = [];
    for (let t = start; t <= end; t += step) if (t >= from) values.push([t, String(value(t))]);
    return values;
  };
  return [
    { metric: { pod: 'early' }, values: points(0, (t) => t % 997) },
    { metric: { pod: 'late' }, values: points(1_700_600_000, (t) => t % 13) },
  ].filter((s) => s.values.length > 0);
}

before(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const form = new URLSearchParams(body);
      const start = Number(form.get('start'));
      const end = Number(form.get('end'));
      const step = Number(form.get('step')!.replace(/s$/, ''));
      requests.push({ start, end, step });
      res.writeHead(Math.floor((end - start) / step) > 11_000 ? 400 : 200, {
        'content-type': 'application/json',
      });
      if (Math.floor((end - start) / step) > 11_000) {
        return res.end(
          JSON.stringify({
            status: 'error',
            errorType: 'bad_data',
            error:
              'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)',
          }),
        );
      }
      res.end(
        JSON.stringify({
          status: 'success',
          data: { resultType: 'matrix', result: evaluate(start, end, step) },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => new Promise<void>((resolve) => server.close(() => resolve())));

test('a window within the limit is one chunk; a longer one is split without gaps or shared points', () => {
  assert.deepEqual(rangeChunks(0, 75 * 11_000, 75), [{ start: 0, end: 75 * 11_000 }]);
  const chunks = rangeChunks(0, 336 * 3600, 75);
  assert.equal(chunks.length, 2);
  assert.deepEqual(chunks[0], { start: 0, end: 75 * 11_000 });
  assert.deepEqual(chunks[1], { start: 75 * 11_001, end: 336 * 3600 });
  // Every evaluation time of the whole window is in exactly one chunk.
  const times = chunks.flatMap((c) => {
    const out: number[] = [];
    for (let t = c.start; t <= c.end; t += 75) out.push(t);
    return out;
  });
  assert.equal(times.length, (336 * 3600) / 75 + 1);
  assert.equal(new Set(times).size, times.length);
  // 90 days at 75 s: 103,680 steps in 10 chunks.
  assert.equal(rangeChunks(0, 90 * 86_400, 75).length, 10);
  assert.throws(() => rangeChunks(0, 10, 0), RangeError);
});

test('chunks are joined series by series, also when a series starts in a later chunk', () => {
  const joined = concatenateChunks([
    [{ metric: { pod: 'a', job: 'k' }, values: [1, 2], timestamps: [0, 1] }],
    [
      { metric: { job: 'k', pod: 'a' }, values: [3], timestamps: [2] },
      { metric: { pod: 'b' }, values: [9], timestamps: [2] },
    ],
  ]);
  assert.deepEqual(joined, [
    { metric: { pod: 'a', job: 'k' }, values: [1, 2, 3], timestamps: [0, 1, 2] },
    { metric: { pod: 'b' }, values: [9], timestamps: [2] },
  ]);
});

test("a 14-day read at krr's 75 s step, refused by Prometheus in one query, returns every point", async () => {
  requests.length = 0;
  const client = new PrometheusClient({ url });
  const start = 1_700_000_000;
  const end = start + 336 * 3600;
  const series = await client.rangeQuery('rate(x[75s])', start, end, 75);
  assert.equal(requests.length, 2, 'two requests, each within the limit');
  const whole = evaluate(start, end, 75);
  assert.deepEqual(
    series.map((s) => ({ metric: s.metric, values: s.timestamps.map((t, i) => [t, String(s.values[i])]) })),
    whole,
    'identical to what one unlimited query would return',
  );
});

test('a short window is a single request', async () => {
  requests.length = 0;
  const series = await new PrometheusClient({ url }).rangeQuery('x', 1_700_000_000, 1_700_086_400, 75);
  assert.equal(requests.length, 1);
  assert.equal(series[0]!.values.length, 86_400 / 75 + 1);
});
