import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { PrometheusClient } from '../../../../src/core/prometheus/client.js';
import { PrometheusError } from '../../../../src/core/prometheus/errors.js';
import { CLI_PARAMETER_NAMES } from '../../../../src/cli/parameter-names.js';
import { MCP_PARAMETER_NAMES } from '../../../../src/mcp/parameter-names.js';

// A local HTTP server playing a (mis)behaving Prometheus, one path per behaviour.
let server: Server;
let base: string;
const seen: Array<{ url: string; body: string; auth?: string }> = [];
let flaky = 0;

before(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({
        url: req.url ?? '',
        body,
        ...(req.headers.authorization ? { auth: req.headers.authorization } : {}),
      });
      const json = (status: number, value: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      const path = req.url ?? '';
      if (path.startsWith('/ok/'))
        return json(200, {
          status: 'success',
          data: {
            resultType: 'vector',
            result: [
              { metric: { pod: 'a' }, value: [1, '0.25'] },
              { metric: { pod: 'b' }, value: [1, 'NaN'] },
            ],
          },
        });
      if (path.startsWith('/matrix/'))
        return json(200, {
          status: 'success',
          data: {
            resultType: 'matrix',
            result: [
              {
                metric: { pod: 'a' },
                values: [
                  [1, '1'],
                  [2, '+Inf'],
                ],
              },
            ],
          },
        });
      if (path.startsWith('/series/'))
        return json(200, {
          status: 'success',
          data: [
            { __name__: 'up', job: 'a' },
            { __name__: 'up', job: 'b', pod: 'x' },
          ],
        });
      if (path.startsWith('/badseries/')) return json(200, { status: 'success', data: [{ job: 1 }] });
      if (path.startsWith('/unauthorized/')) return json(401, { error: 'no' });
      if (path.startsWith('/forbidden/')) return json(403, { error: 'no' });
      if (path.startsWith('/html/')) {
        res.writeHead(200, { 'content-type': 'text/html' });
        return res.end('<html>login</html>');
      }
      if (path.startsWith('/wrongjson/')) return json(200, { hello: 'world' });
      if (path.startsWith('/malformed/'))
        return json(200, {
          status: 'success',
          data: { resultType: 'vector', result: [{ metric: {}, value: 'x' }] },
        });
      if (path.startsWith('/badquery/'))
        return json(400, { status: 'error', errorType: 'bad_data', error: 'parse error at char 3' });
      if (path.startsWith('/flaky/'))
        return ++flaky < 3
          ? json(503, { status: 'error', error: 'busy' })
          : json(200, { status: 'success', data: { resultType: 'vector', result: [] } });
      if (path.startsWith('/down/')) return json(503, 'maintenance');
      if (path.startsWith('/slow/')) return; // never answers
      json(404, {});
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => {
  server.closeAllConnections();
  server.close();
});

async function failure(promise: Promise<unknown>): Promise<PrometheusError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof PrometheusError, `expected a PrometheusError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a failure');
}

test('POSTs the query as a form with the time, sends headers, parses NaN and Inf', async () => {
  const client = new PrometheusClient({ url: base + '/ok/', headers: { Authorization: 'Bearer t0ken' } });
  const samples = await client.instantQuery('up{job="x"}', 1700000000);
  assert.equal(samples[0]!.value, 0.25);
  assert.ok(Number.isNaN(samples[1]!.value));
  const last = seen.at(-1)!;
  assert.equal(last.url, '/ok/api/v1/query');
  assert.equal(new URLSearchParams(last.body).get('query'), 'up{job="x"}');
  assert.equal(new URLSearchParams(last.body).get('time'), '1700000000');
  assert.equal(last.auth, 'Bearer t0ken');
  const series = await new PrometheusClient({ url: `${base}/matrix` }).rangeQuery('x', 0, 10, 75);
  assert.deepEqual(series[0]!.values, [1, Infinity]);
  assert.equal(new URLSearchParams(seen.at(-1)!.body).get('step'), '75s');
});

test('series: every selector a match[] of one POSTed form with the window; the label sets; one query', async () => {
  const client = new PrometheusClient({ url: `${base}/series` });
  const series = await client.seriesLabels(['up{job="a"}', 'up{job=~"b|c"}'], 1699913000, 1700000000);
  assert.deepEqual(series, [
    { __name__: 'up', job: 'a' },
    { __name__: 'up', job: 'b', pod: 'x' },
  ]);
  const last = seen.at(-1)!;
  assert.equal(last.url, '/series/api/v1/series');
  const form = new URLSearchParams(last.body);
  assert.deepEqual(form.getAll('match[]'), ['up{job="a"}', 'up{job=~"b|c"}']);
  assert.equal(form.get('start'), '1699913000');
  assert.equal(form.get('end'), '1700000000');
  assert.equal(client.queryCount, 1);
  const malformed = await failure(
    new PrometheusClient({ url: `${base}/badseries` }).seriesLabels(['up'], 0, 1),
  );
  assert.equal(malformed.kind, 'bad-response');
  const rejected = await failure(
    new PrometheusClient({ url: `${base}/badquery` }).seriesLabels(['up{'], 0, 1),
  );
  assert.equal(rejected.kind, 'query');
  assert.match(rejected.message, /parse error at char 3/);
});

test('invalid URLs are rejected before any request, with the reason', () => {
  for (const url of ['not a url', 'ftp://x', 'http://user:pass@host:9090']) {
    assert.throws(
      () => new PrometheusClient({ url }),
      (e: unknown) => e instanceof PrometheusError && e.kind === 'invalid-url',
    );
  }
});

test('401 and 403 say what to do', async () => {
  const unauthorized = await failure(
    new PrometheusClient({ url: `${base}/unauthorized` }).instantQuery('up', 1),
  );
  assert.equal(unauthorized.kind, 'unauthorized');
  assert.match(
    unauthorized.explain(CLI_PARAMETER_NAMES),
    /PROMETHEUS_AUTH_HEADER \(or --prometheus-auth-header\)/,
  );
  assert.match(
    unauthorized.explain(MCP_PARAMETER_NAMES),
    /PROMETHEUS_AUTH_HEADER or PROMETHEUS_BEARER_TOKEN/,
  );
  assert.equal(
    (await failure(new PrometheusClient({ url: `${base}/forbidden` }).instantQuery('up', 1))).kind,
    'forbidden',
  );
});

test('garbage answers are reported as such: HTML, foreign JSON, malformed results', async () => {
  const html = await failure(new PrometheusClient({ url: `${base}/html` }).instantQuery('up', 1));
  assert.equal(html.kind, 'bad-response');
  assert.match(html.message, /not JSON/);
  assert.equal(
    (await failure(new PrometheusClient({ url: `${base}/wrongjson` }).instantQuery('up', 1))).kind,
    'bad-response',
  );
  assert.equal(
    (await failure(new PrometheusClient({ url: `${base}/malformed` }).instantQuery('up', 1))).kind,
    'bad-response',
  );
  assert.equal(
    (await failure(new PrometheusClient({ url: `${base}/ok` }).rangeQuery('up', 0, 1, 1))).kind,
    'bad-response',
  );
});

test("a rejected query carries Prometheus' own error", async () => {
  const error = await failure(new PrometheusClient({ url: `${base}/badquery` }).instantQuery('up{', 1));
  assert.equal(error.kind, 'query');
  assert.match(error.message, /parse error at char 3/);
});

test('transient 503s are retried with backoff; persistent ones fail after the retries', async () => {
  const client = new PrometheusClient({ url: `${base}/flaky`, retries: 2, retryBaseDelayMs: 10 });
  assert.deepEqual(await client.instantQuery('up', 1), []);
  assert.equal(client.queryCount, 3);
  const down = new PrometheusClient({ url: `${base}/down`, retries: 1, retryBaseDelayMs: 10 });
  assert.equal((await failure(down.instantQuery('up', 1))).status, 503);
  assert.equal(down.queryCount, 2);
});

test('a slow Prometheus fails within the timeout, without retries', async () => {
  const started = Date.now();
  const client = new PrometheusClient({ url: `${base}/slow`, timeoutMs: 300, retries: 3 });
  const error = await failure(client.instantQuery('up', 1));
  assert.equal(error.kind, 'timeout');
  assert.ok(Date.now() - started < 2000);
  assert.equal(client.queryCount, 1);
});

test(
  'cancelling stops the request in flight and refuses the next ones, without retries',
  { timeout: 10_000 },
  async () => {
    const abort = new AbortController();
    const client = new PrometheusClient({
      url: `${base}/slow`,
      timeoutMs: 60_000,
      retries: 3,
      signal: abort.signal,
    });
    const closed = new Promise<void>((resolve) =>
      server.once('request', (req: IncomingMessage) => req.socket.once('close', () => resolve())),
    );
    const pending = failure(client.instantQuery('up', 1));
    // Cancelled once the request reached the server (the server never answers /slow).
    await new Promise<void>((resolve) => server.once('request', () => resolve()));
    abort.abort();
    const error = await pending;
    assert.equal(error.kind, 'cancelled');
    await closed;
    const next = await failure(client.instantQuery('up', 1));
    assert.equal(next.kind, 'cancelled');
    assert.equal(client.queryCount, 1, 'no retry, and nothing sent after the cancel');
  },
);

test('an unreachable Prometheus fails fast and names the URL', async () => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise((resolve) => closed.close(resolve));
  const error = await failure(
    new PrometheusClient({ url: `http://127.0.0.1:${port}`, retries: 1, retryBaseDelayMs: 10 }).instantQuery(
      'up',
      1,
    ),
  );
  assert.equal(error.kind, 'unreachable');
  assert.match(error.message, new RegExp(`127\\.0\\.0\\.1:${port}`));
});

test('a root URL and a URL with a path prefix both reach /api/v1 exactly once', async () => {
  await new PrometheusClient({ url: `${base}/ok` }).instantQuery('up', 1);
  assert.equal(seen.at(-1)!.url, '/ok/api/v1/query');
  const root = new PrometheusClient({ url: base, retries: 0 });
  await assert.rejects(root.instantQuery('up', 1));
  assert.equal(seen.at(-1)!.url, '/api/v1/query', 'no double slash');
  await assert.rejects(new PrometheusClient({ url: `${base}/`, retries: 0 }).instantQuery('up', 1));
  assert.equal(seen.at(-1)!.url, '/api/v1/query');
});

test('https: verified against a CA file, refused without it, accepted with skip-verify', async () => {
  const { createServer: createHttpsServer } = await import('node:https');
  const { readFileSync } = await import('node:fs');
  const tls = (name: string) => new URL(`../../../support/tls/${name}`, import.meta.url);
  const server = createHttpsServer(
    { key: readFileSync(tls('localhost-key.pem')), cert: readFileSync(tls('localhost-cert.pem')) },
    (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [] } }));
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const untrusted = await failure(new PrometheusClient({ url, retries: 0 }).instantQuery('up', 1));
    assert.equal(untrusted.kind, 'tls');
    assert.match(untrusted.explain(CLI_PARAMETER_NAMES), /--prometheus-ca-file/);
    assert.deepEqual(
      await new PrometheusClient({ url, caFile: tls('localhost-cert.pem').pathname }).instantQuery('up', 1),
      [],
    );
    assert.deepEqual(
      await new PrometheusClient({ url, insecureSkipTlsVerify: true }).instantQuery('up', 1),
      [],
    );
    assert.throws(
      () => new PrometheusClient({ url, caFile: '/nonexistent/ca.pem' }),
      /Invalid value for prometheus ca file: cannot read \/nonexistent\/ca.pem \(no such file\)/,
    );
  } finally {
    server.closeAllConnections();
    server.close();
  }
});
