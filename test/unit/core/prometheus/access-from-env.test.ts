import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  PrometheusAccessError,
  prometheusAccessFromEnv,
} from '../../../../src/core/prometheus/access-from-env.js';

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

test('Authorization: PROMETHEUS_AUTH_HEADER, else username and password, else the bearer token', () => {
  assert.deepEqual(prometheusAccessFromEnv({}), { headers: {} });
  assert.equal(prometheusAccessFromEnv({ PROMETHEUS_BEARER_TOKEN: 't' }).headers.Authorization, 'Bearer t');
  assert.equal(
    prometheusAccessFromEnv({
      PROMETHEUS_BEARER_TOKEN: 't',
      PROMETHEUS_USERNAME: 'u',
      PROMETHEUS_PASSWORD: 'p',
    }).headers.Authorization,
    basic('u', 'p'),
  );
  assert.equal(
    prometheusAccessFromEnv({
      PROMETHEUS_AUTH_HEADER: 'Token abc',
      PROMETHEUS_BEARER_TOKEN: 't',
      PROMETHEUS_USERNAME: 'u',
      PROMETHEUS_PASSWORD: 'p',
    }).headers.Authorization,
    'Token abc',
  );
  // A username without a password is not half a credential.
  assert.equal(prometheusAccessFromEnv({ PROMETHEUS_USERNAME: 'u' }).headers.Authorization, undefined);
});

test('TLS: a CA file, and skipping verification only when asked for in so many words', () => {
  assert.equal(prometheusAccessFromEnv({ PROMETHEUS_CA_FILE: '/etc/ca.pem' }).caFile, '/etc/ca.pem');
  for (const yes of ['true', 'TRUE', '1'])
    assert.equal(
      prometheusAccessFromEnv({ PROMETHEUS_INSECURE_SKIP_TLS_VERIFY: yes }).insecureSkipTlsVerify,
      true,
    );
  for (const no of ['false', '0', ''])
    assert.equal(
      prometheusAccessFromEnv({ PROMETHEUS_INSECURE_SKIP_TLS_VERIFY: no }).insecureSkipTlsVerify,
      undefined,
    );
  assert.throws(
    () => prometheusAccessFromEnv({ PROMETHEUS_INSECURE_SKIP_TLS_VERIFY: 'yes please' }),
    (error: Error) => error instanceof PrometheusAccessError && /use true or false/.test(error.message),
  );
});
