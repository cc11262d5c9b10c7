import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  ExtensionSettingsSchema,
  readSettings,
  serverEnvironmentOf,
} from '../../../src/extension/settings.js';

const reader = (values: Record<string, unknown>) => ({
  get: <T>(key: string) => values[key] as T | undefined,
});

test('defaults apply when nothing is set', () => {
  const result = readSettings(reader({}));
  assert.equal(result.ok, true);
  if (result.ok) {
    assert.equal(result.value.strategy, 'simple');
    assert.equal(result.value.maxResourceChangePercent, 500);
    assert.deepEqual(result.value.productionNamespacePatterns, ['prod', 'production', 'live']);
  }
});

test('invalid settings are reported with their names', () => {
  const result = readSettings(reader({ prometheusUrl: 'ftp://x', strategy: 'fancy' }));
  assert.equal(result.ok, false);
  if (!result.ok) {
    assert.match(result.error, /krrMcp\.prometheusUrl/);
    assert.match(result.error, /krrMcp\.strategy/);
  }
});

test('every setting in package.json has a schema field and the reverse', () => {
  const manifest = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'));
  const contributed = Object.keys(manifest.contributes.configuration.properties).map((k) =>
    k.replace(/^krrMcp\./, ''),
  );
  assert.deepEqual(contributed.sort(), Object.keys(ExtensionSettingsSchema.shape).sort());
});

test('a shared Prometheus: the label name must be a label name, and reaches the MCP server with its values', () => {
  const bad = readSettings(reader({ prometheusClusterLabelName: 'cluster"} or up{' }));
  assert.equal(bad.ok, false);
  if (!bad.ok) assert.match(bad.error, /krrMcp\.prometheusClusterLabelName: must be a Prometheus label name/);
  const emptyValue = readSettings(reader({ prometheusClusterLabelValues: { east: '' } }));
  assert.equal(emptyValue.ok, false);
  if (!emptyValue.ok) assert.match(emptyValue.error, /krrMcp\.prometheusClusterLabelValues\.east/);

  const none = readSettings(reader({}));
  assert.ok(none.ok);
  assert.equal(serverEnvironmentOf(none.value).PROMETHEUS_CLUSTER_LABEL_NAME, undefined);
  const shared = readSettings(
    reader({ prometheusClusterLabelName: 'cluster', prometheusClusterLabelValues: { 'arn:x/shop': 'shop' } }),
  );
  assert.ok(shared.ok);
  const env = serverEnvironmentOf(shared.value);
  assert.equal(env.PROMETHEUS_CLUSTER_LABEL_NAME, 'cluster');
  assert.deepEqual(JSON.parse(env.PROMETHEUS_CLUSTER_LABEL_VALUES!), { 'arn:x/shop': 'shop' });
});

test('the settings that decide whose usage the evidence is are user settings only', () => {
  const manifest = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'));
  const properties = manifest.contributes.configuration.properties;
  for (const key of ['krrMcp.prometheusClusterLabelName', 'krrMcp.prometheusClusterLabelValues'])
    assert.equal(properties[key].scope, 'application', key);
});
