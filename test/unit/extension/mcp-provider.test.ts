import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { EventEmitter, McpStdioServerDefinition } from '../../support/vscode-double/vscode.js';
import { KrrMcpServerProvider, MCP_PROVIDER_ID } from '../../../src/extension/mcp-provider.js';

const manifest = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
  contributes: { mcpServerDefinitionProviders: Array<{ id: string }> };
};

function provider(overrides: Partial<ConstructorParameters<typeof KrrMcpServerProvider>[0]> = {}) {
  const changed = new EventEmitter<void>();
  let context = 'dev';
  let issued = 0;
  const instance = new KrrMcpServerProvider({
    cliPath: '/ext/dist/cli.cjs',
    extensionVersion: '1.2.3',
    issueSecret: async () => ({
      secret: `secret-${++issued}`.padEnd(64, '0'),
      ipcPath: '/run/krr-mcp-0/a.sock',
    }),
    kube: () => ({ kubeconfigPaths: ['/home/u/.kube/config'], context }),
    serverEnvironment: () => ({ PROMETHEUS_URL: 'http://prom:9090' }),
    secretEnvironment: async () => ({ PROMETHEUS_BEARER_TOKEN: 'prom-token' }),
    onDidChange: changed.event,
    ...overrides,
  });
  return { instance, changed, setContext: (c: string) => (context = c) };
}

test('the provider id in code is the one package.json contributes', () => {
  assert.deepEqual(
    manifest.contributes.mcpServerDefinitionProviders.map((p) => p.id),
    [MCP_PROVIDER_ID],
  );
});

test("the definition runs our CLI with the editor's Node and carries no secret in its arguments", () => {
  const { instance } = provider();
  const [definition] = instance.provideMcpServerDefinitions();
  assert.equal(definition!.command, process.execPath);
  assert.deepEqual(definition!.args, ['/ext/dist/cli.cjs', 'serve']);
  assert.equal(definition!.env.ELECTRON_RUN_AS_NODE, '1');
  assert.equal(definition!.env.KRR_MCP_IPC_SECRET, undefined, 'no secret before VS Code starts the server');
});

test('resolving adds a fresh single-use secret, the socket, kubeconfig, context and Prometheus settings, all in env', async () => {
  const { instance } = provider();
  const first = await instance.resolveMcpServerDefinition(
    new McpStdioServerDefinition('krr-mcp', 'node', ['cli', 'serve'], {}) as never,
  );
  const second = await instance.resolveMcpServerDefinition(
    new McpStdioServerDefinition('krr-mcp', 'node', ['cli', 'serve'], {}) as never,
  );
  assert.equal(first.env.KRR_MCP_IPC_PATH, '/run/krr-mcp-0/a.sock');
  assert.notEqual(first.env.KRR_MCP_IPC_SECRET, second.env.KRR_MCP_IPC_SECRET);
  assert.equal(first.env.KUBECONFIG, '/home/u/.kube/config');
  assert.equal(first.env.KUBERNETES_CONTEXT, 'dev');
  assert.equal(first.env.PROMETHEUS_URL, 'http://prom:9090');
  assert.equal(first.env.PROMETHEUS_BEARER_TOKEN, 'prom-token');
  assert.ok(!first.args.some((a) => a.includes('secret') || a.includes('prom-token')));
});

test('the version changes with the context, and changes are announced', () => {
  const { instance, changed, setContext } = provider();
  const before = instance.version();
  let announced = 0;
  instance.onDidChangeMcpServerDefinitions(() => announced++);
  setContext('prod');
  changed.fire();
  assert.notEqual(instance.version(), before);
  assert.match(instance.version(), /^1\.2\.3\+[0-9a-f]{12}$/);
  assert.equal(announced, 1);
});

test("without this window's authority, the server gets no IPC variables and looks for another window's broker", async () => {
  const failures: string[] = [];
  const { instance } = provider({
    issueSecret: () => Promise.reject(new Error('another process writes this audit log (pid 42)')),
    onIssueFailure: (error) => failures.push(error.message),
  });
  const resolved = await instance.resolveMcpServerDefinition(
    new McpStdioServerDefinition('krr-mcp', 'node', ['cli', 'serve'], {}) as never,
  );
  assert.equal(resolved.env.KRR_MCP_IPC_PATH, undefined);
  assert.equal(resolved.env.KRR_MCP_IPC_SECRET, undefined);
  assert.equal(resolved.env.KUBERNETES_CONTEXT, 'dev');
  assert.deepEqual(failures, ['another process writes this audit log (pid 42)']);
});
