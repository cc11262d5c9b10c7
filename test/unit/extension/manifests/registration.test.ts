import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import { activate } from '../../../../src/extension/activate.js';
import { double } from '../../../support/vscode-double/vscode.js';
import { fakeExtensionContext } from '../extension-context.js';
import { startFeatures, stopFeatures } from './manifest-workspace.js';

beforeEach(() => double.reset());

test('one call registers the providers, the diagnostics, the commands and a watcher; dispose undoes it', async () => {
  const { disposables } = await startFeatures();
  assert.equal(double.codeLensProviders.length, 1);
  assert.equal(double.codeActionProviders.length, 1);
  assert.deepEqual(
    double.diagnosticCollections.map((c) => c.name),
    ['krr-mcp'],
  );
  assert.ok(double.commands.has('krrMcp.applyToManifests'));
  assert.ok(double.commands.has('krrMcp.applyRecommendationToManifest'));
  assert.equal(double.fileWatchers.length, 1);
  assert.ok(disposables.length > 0);
  stopFeatures();
  assert.equal(double.codeLensProviders.length, 0);
  assert.equal(double.codeActionProviders.length, 0);
  assert.equal(double.diagnosticCollections[0]!.disposed, true);
  assert.equal(double.fileWatchers[0]!.disposed, true);
  assert.ok(!double.commands.has('krrMcp.applyToManifests'));
});

test("activation wires the feature in, and the extension's disposal removes it", async () => {
  const context = fakeExtensionContext();
  activate(context as never);
  assert.equal(double.codeLensProviders.length, 1);
  assert.equal(double.codeActionProviders.length, 1);
  assert.ok(double.commands.has('krrMcp.applyToManifests'));
  for (const d of context.subscriptions) d.dispose();
  assert.equal(double.codeLensProviders.length, 0);
});
