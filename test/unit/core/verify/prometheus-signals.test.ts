import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PrometheusClient, type Series } from '../../../../src/core/prometheus/client.js';
import { prometheusSignals } from '../../../../src/core/verify/prometheus-signals.js';

// The verification's queries after a change select the changed pods exactly, and in a Prometheus several
// clusters share only the changed cluster's: a same-named pod elsewhere must not decide the verdict.

/** A client whose range queries are recorded and answered from `answer`. */
function recordingClient(cluster?: { name: string; value: string }) {
  const queries: string[] = [];
  const client = new PrometheusClient({ url: 'http://prometheus.test', ...(cluster ? { cluster } : {}) });
  client.rangeQuery = async (query: string): Promise<Series[]> => {
    queries.push(query);
    return query.startsWith('max by')
      ? [
          {
            metric: { pod: 'web-1.a', container: 'app' },
            timestamps: Array.from({ length: 20 }, (_, i) => i * 30),
            values: Array<number>(20).fill(100 * 2 ** 20),
          },
        ]
      : [];
  };
  return { client, queries };
}

const window = {
  namespace: 'shop',
  pods: [
    {
      metadata: { name: 'web-1.a' },
      spec: { containers: [{ name: 'app', resources: { limits: { memory: '128Mi' } } }] },
    },
  ],
  from: 0,
  to: 600_000,
  minSamples: 10,
};

test("a shared Prometheus: both queries select the changed cluster's series", async () => {
  const { client, queries } = recordingClient({ name: 'cluster', value: 'prod-eu' });
  const evidence = await prometheusSignals(client, window);
  assert.equal(queries.length, 2);
  for (const query of queries) assert.match(query, /cluster="prod-eu"/);
  assert.ok(evidence.some((e) => e.kind === 'memory' && /78% of the new limit 128Mi/.test(e.message)));
});

test('pod names match exactly (a dot is not a wildcard); no cluster matcher without a shared Prometheus', async () => {
  const { client, queries } = recordingClient();
  await prometheusSignals(client, window);
  for (const query of queries) {
    assert.match(query, /namespace="shop", pod=~"web-1\\\\.a"/);
    assert.doesNotMatch(query, /cluster=/);
  }
});
