import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { beforeEach, test } from 'node:test';
import { double } from '../../support/vscode-double/vscode.js';
import { activate } from '../../../src/extension/activate.js';
import { fakeExtensionContext } from './extension-context.js';

const manifest = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
  contributes: { commands: Array<{ command: string }> };
};

beforeEach(() => double.reset());

test('activation registers exactly the commands package.json contributes', () => {
  const context = fakeExtensionContext();
  activate(context as never);
  assert.deepEqual(
    [...double.commands.keys()].sort(),
    manifest.contributes.commands.map((c) => c.command).sort(),
  );
  assert.ok(context.subscriptions.length > 0, 'everything is disposed with the extension');
  assert.ok(double.logs.some((l) => /activated/.test(l.message)));
});

test('a scan with invalid settings shows the setting and does nothing else', async () => {
  activate(fakeExtensionContext() as never);
  double.configuration.set('krrMcp.prometheusUrl', 'ftp://nope');
  await double.commands.get('krrMcp.scan')!();
  assert.equal(double.messages.length, 1);
  assert.match(double.messages[0]!.message, /krrMcp\.prometheusUrl/);
  assert.equal(double.openedDocuments.length, 0);
});

test('activation registers the MCP server provider and shows the context in the status bar', () => {
  activate(fakeExtensionContext() as never);
  assert.ok(double.mcpProviders.has('krrMcp.server'));
  assert.equal(double.statusBarItems.length, 1);
  assert.equal(double.statusBarItems[0]!.command, 'krrMcp.selectContext');
});

test('Configure Prometheus keeps the URL in settings and the token in secret storage only', async () => {
  const context = fakeExtensionContext();
  activate(context as never);
  double.inputBoxAnswers.push('https://prometheus.example:9090', 's3cr3t');
  await double.commands.get('krrMcp.configurePrometheus')!();
  assert.equal(double.configuration.get('krrMcp.prometheusUrl'), 'https://prometheus.example:9090');
  assert.equal(context.secretValues.get('krrMcp.prometheusToken'), 's3cr3t');
  assert.ok(![...double.configuration.values()].includes('s3cr3t'));
  assert.ok(!double.logs.some((l) => l.message.includes('s3cr3t')));
});
