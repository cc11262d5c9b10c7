import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ListRootsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { CLI_PATH } from './cli/run-cli.js';
import type { EngineEnvironment } from './engine-environment.js';

/** What a `krr-mcp serve` spawned for an engine environment reads: its cluster, Prometheus and state. */
export function engineServerEnv(env: EngineEnvironment): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: env.dir,
    KUBECONFIG: env.kubeconfig,
    PROMETHEUS_URL: env.prometheus.url,
    KRR_MCP_STATE_DIR: join(env.dir, 'state'),
    KRR_MCP_AUDIT_LOG: join(env.dir, 'audit.jsonl'),
  };
}

/**
 * The real SDK client on a freshly spawned `krr-mcp serve` (the built CLI), as an agent connects. `roots`:
 * the folders the client offers as its MCP roots (a workspace). The caller closes the client.
 */
export async function connectMcpServer(
  serverEnv: Record<string, string>,
  options: { name?: string; roots?: string[] } = {},
): Promise<{ client: Client; stderr: () => string }> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI_PATH, 'serve'],
    env: serverEnv,
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (c: Buffer) => (stderr += c));
  const client = new Client(
    { name: options.name ?? 'krr-mcp-test', version: '1.0.0' },
    options.roots ? { capabilities: { roots: {} } } : {},
  );
  if (options.roots) {
    const roots = options.roots.map((path) => ({ uri: pathToFileURL(path).href }));
    client.setRequestHandler(ListRootsRequestSchema, () => ({ roots }));
  }
  await client.connect(transport);
  return { client, stderr: () => stderr };
}
