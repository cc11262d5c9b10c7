import { spawn } from 'node:child_process';
import { VersionApi } from '@kubernetes/client-node';
import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { defineTool } from '../tool-definition.js';
import type { ServerContext } from '../server-context.js';

declare const __MCP_SDK_VERSION__: string | undefined;
const SDK_VERSION = typeof __MCP_SDK_VERSION__ === 'string' ? __MCP_SDK_VERSION__ : 'unknown (unbundled)';

const component = z.object({ version: z.string().nullable(), error: z.string().nullable() });

/** Runs `krr version` when a krr binary is configured (KRR_BINARY); at most 10 s. */
function krrVersion(binary: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, ['version'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out.trim().split('\n').pop() ?? '');
      else reject(new Error(`exited with ${code}`));
    });
  });
}

async function settle(
  work: () => Promise<string>,
): Promise<{ version: string | null; error: string | null }> {
  try {
    return { version: await work(), error: null };
  } catch (e) {
    return { version: null, error: (e as Error).message };
  }
}

export async function kubernetesVersion(context: ServerContext): Promise<string> {
  const kube = context.kube();
  const info = await kube.kubeConfig.makeApiClient(VersionApi).getCode();
  return info.gitVersion;
}

export async function prometheusVersion(context: ServerContext): Promise<string> {
  const info = await (await context.prometheus(context.kube())).buildInfo();
  return info.version ?? 'unknown';
}

export const getToolVersionsTool = defineTool({
  name: 'get_tool_versions',
  title: 'Versions of krr-mcp and what it talks to',
  description:
    'Reports the krr-mcp server, MCP SDK and protocol, Node.js, Kubernetes API server, Prometheus and (when configured with KRR_BINARY) krr CLI versions. Read-only.',
  inputSchema: z.strictObject({}),
  outputSchema: z.object({
    server: z.string(),
    mcp_sdk: z.string(),
    mcp_protocol: z.string(),
    node: z.string(),
    kubernetes: component,
    prometheus: component,
    krr_cli: component.nullable(),
  }),
  annotations: { readOnlyHint: true, openWorldHint: false, idempotentHint: true, destructiveHint: false },
  async handler(_args, context) {
    const [kubernetes, prometheus, krr] = await Promise.all([
      settle(() => kubernetesVersion(context)),
      settle(() => prometheusVersion(context)),
      context.env.KRR_BINARY ? settle(() => krrVersion(context.env.KRR_BINARY!)) : Promise.resolve(null),
    ]);
    return {
      server: context.version,
      mcp_sdk: SDK_VERSION,
      mcp_protocol: LATEST_PROTOCOL_VERSION,
      node: process.version,
      kubernetes,
      prometheus,
      krr_cli: krr,
    };
  },
});
