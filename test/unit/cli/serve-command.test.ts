import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runInProcess } from '../../support/cli/run-in-process.js';

function serve(env: NodeJS.ProcessEnv, ...args: string[]) {
  return runInProcess(['serve', ...args], env);
}

test('invalid configuration stops the server at start, naming the variable', async () => {
  const cases: Array<[NodeJS.ProcessEnv, RegExp]> = [
    [{ LOG_LEVEL: 'loud' }, /Invalid LOG_LEVEL="loud"/],
    [{ CONFIRMATION_TIMEOUT: 'abc' }, /Invalid CONFIRMATION_TIMEOUT="abc"/],
    [{ PROMETHEUS_URL: 'ftp://x' }, /Invalid PROMETHEUS_URL/],
    [{ MAX_RESOURCE_CHANGE_PERCENT: '-5' }, /MAX_RESOURCE_CHANGE_PERCENT/],
    [{ CRITICAL_WORKLOAD_PATTERNS: 'postgres,(unclosed' }, /CRITICAL_WORKLOAD_PATTERNS/],
    [{ CPU_PRICE_PER_CORE_HOUR: 'free' }, /CPU_PRICE_PER_CORE_HOUR/],
    [{ PROMETHEUS_INSECURE_SKIP_TLS_VERIFY: 'maybe' }, /Invalid PROMETHEUS_INSECURE_SKIP_TLS_VERIFY="maybe"/],
    // The label name is written into PromQL as it is: nothing but a label name may start the server.
    [
      { PROMETHEUS_CLUSTER_LABEL_NAME: 'cluster="a"} or up{' },
      /Invalid PROMETHEUS_CLUSTER_LABEL_NAME=.*must be a Prometheus label name/,
    ],
    [
      { PROMETHEUS_CLUSTER_LABEL_VALUES: '{east: west}' },
      /Invalid PROMETHEUS_CLUSTER_LABEL_VALUES: not JSON/,
    ],
    [
      { PROMETHEUS_CLUSTER_LABEL_VALUES: '{"east": ""}' },
      /Invalid PROMETHEUS_CLUSTER_LABEL_VALUES=.*not empty/,
    ],
    [{ PROMETHEUS_CLUSTER_LABEL_VALUES: '["east"]' }, /Invalid PROMETHEUS_CLUSTER_LABEL_VALUES=/],
  ];
  for (const [env, message] of cases) {
    const { code, stderr, stdout } = await serve(env);
    assert.equal(code, 2, JSON.stringify(env));
    assert.match(stderr, message);
    assert.equal(stdout, '', 'nothing on stdout: it belongs to the protocol');
  }
});

test('flags override the environment and are validated the same way', async () => {
  const { code, stderr } = await serve({ LOG_LEVEL: 'info' }, '--log-level', 'chatty');
  assert.equal(code, 2);
  assert.match(stderr, /--log-level/);
});

test('an IPC path without its secret is refused before anything starts', async () => {
  const { code, stderr } = await serve({ KRR_MCP_IPC_PATH: '/nonexistent.sock' });
  assert.equal(code, 1);
  assert.match(stderr, /KRR_MCP_IPC_PATH and KRR_MCP_IPC_SECRET must be set together/);
});

test('serve --help lists the environment it reads', async () => {
  const { code, stdout } = await serve({}, '--help');
  assert.equal(code, 0);
  for (const name of [
    'KUBECONFIG',
    'PROMETHEUS_URL',
    'PROMETHEUS_CLUSTER_LABEL_NAME',
    'PROMETHEUS_CLUSTER_LABEL_VALUES',
    'CONFIRMATION_TIMEOUT',
    'MAX_RESOURCE_CHANGE_PERCENT',
  ])
    assert.match(stdout, new RegExp(name));
});
