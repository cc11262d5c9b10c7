import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ExtensionSettingsSchema, readSettings } from '../../../src/extension/settings.js';

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
