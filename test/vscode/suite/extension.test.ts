// Runs inside a real VS Code extension host (see test/vscode/run-tests.mjs): the built extension
// (dist/extension.cjs) as VS Code loads it, with the kubeconfig the runner wrote in KUBECONFIG.
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { MCP_PROVIDER_ID } from '../../../src/extension/mcp-provider.js';
import { test } from './harness.js';

const EXTENSION_ID = 'krr-mcp.krr-mcp';

interface Manifest {
  contributes: {
    commands: Array<{ command: string }>;
    mcpServerDefinitionProviders: Array<{ id: string }>;
    views: Record<string, Array<{ id: string }>>;
  };
}

function extension(): vscode.Extension<unknown> {
  const found = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(found, `${EXTENSION_ID} is loaded from the development path`);
  return found;
}

function manifest(): Manifest {
  return extension().packageJSON as Manifest;
}

function required(name: string): string {
  const value = process.env[name];
  assert.ok(value, `the runner sets ${name}`);
  return value;
}

async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not seen within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

test('the extension activates', async () => {
  await extension().activate();
  assert.equal(extension().isActive, true);
});

test('every command package.json contributes is registered', async () => {
  await extension().activate();
  const registered = new Set(await vscode.commands.getCommands(true));
  const missing = manifest()
    .contributes.commands.map((c) => c.command)
    .filter((command) => !registered.has(command));
  assert.deepEqual(missing, []);
});

test('the MCP server definition provider is declared under the id the code registers', async () => {
  assert.equal(
    typeof vscode.lm?.registerMcpServerDefinitionProvider,
    'function',
    'this VS Code has the MCP API',
  );
  assert.deepEqual(
    manifest().contributes.mcpServerDefinitionProviders.map((p) => p.id),
    [MCP_PROVIDER_ID],
  );
  // VS Code refuses an id the manifest does not declare when it is registered, so the activation above
  // (which registers MCP_PROVIDER_ID) could only succeed with the declared id.
  assert.throws(
    () =>
      vscode.lm.registerMcpServerDefinitionProvider('krrMcp.undeclared', {
        provideMcpServerDefinitions: () => [],
      }),
    /mcpServerDefinitionProviders/,
  );
});

test("the editor's kube context is the kubeconfig the runner wrote", async () => {
  await extension().activate();
  const expected = {
    context: required('KRR_VSCODE_TEST_CONTEXT'),
    server: required('KRR_VSCODE_TEST_SERVER'),
  };
  // The extension publishes its approval broker for the context it found (what the status bar shows);
  // the descriptor is the one observable trace of that context outside the extension.
  const brokers = join(required('KRR_MCP_STATE_DIR'), 'brokers');
  const published = await eventually('a broker descriptor from this extension host', async () => {
    const names = await readdir(brokers).catch(() => [] as string[]);
    for (const name of names.filter((n) => n.startsWith('broker-') && n.endsWith('.json'))) {
      const descriptor = JSON.parse(await readFile(join(brokers, name), 'utf8')) as {
        pid: number;
        context: string;
        server: string;
      };
      if (descriptor.pid === process.pid) return { context: descriptor.context, server: descriptor.server };
    }
    return undefined;
  });
  assert.deepEqual(published, expected);
});

test('the Recommendations view is contributed and can be shown', async () => {
  await extension().activate();
  const views = Object.values(manifest().contributes.views).flat();
  assert.ok(views.some((view) => view.id === 'krrMcp.recommendations'));
  const registered = new Set(await vscode.commands.getCommands(true));
  assert.ok(registered.has('krrMcp.recommendations.focus'), 'VS Code made a focus command for the view');
  await vscode.commands.executeCommand('krrMcp.recommendations.focus');
});
