import { fileURLToPath } from 'node:url';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ZodError } from 'zod';
import { ExplainedError } from '../core/input/parameters.js';
import { MCP_PARAMETER_NAMES } from './parameter-names.js';
import type { ServerContext } from './server-context.js';
import {
  errorResult,
  structuredResult,
  ToolError,
  type ToolCall,
  type ToolDefinition,
} from './tool-definition.js';
import { allTools } from './tools/index.js';

const INSTRUCTIONS =
  'krr-mcp right-sizes Kubernetes CPU and memory with krr-compatible recommendations. Workflow: scan_recommendations → ' +
  'preview_changes (the exact patch, dry-run diff, risk) → request_confirmation (a person approves in VS Code; you cannot) → ' +
  'apply_recommendations with the token. rollback_changes undoes an apply. Never try to change resources another way.';

/**
 * Errors whose message is written for the caller; anything else is a bug and is logged. ExplainedErrors
 * (bad input, kubeconfig, Kubernetes API, Prometheus, no workloads…) name the tools' own parameters.
 */
const EXPECTED_ERRORS = [ToolError];

function describeError(error: unknown): { message: string; expected: boolean } {
  if (error instanceof ZodError) {
    return {
      message: `Invalid input: ${error.issues.map((i) => `${i.path.join('.') || 'value'}: ${i.message}`).join('; ')}`,
      expected: true,
    };
  }
  if (error instanceof ExplainedError) return { message: error.explain(MCP_PARAMETER_NAMES), expected: true };
  if (EXPECTED_ERRORS.some((type) => error instanceof type))
    return { message: (error as Error).message, expected: true };
  return { message: `Internal error: ${(error as Error)?.message ?? String(error)}`, expected: false };
}

/** The client's roots as local paths (file: URIs only); undefined when the client has none to offer. */
async function clientRoots(server: McpServer, signal: AbortSignal): Promise<string[] | undefined> {
  if (!server.server.getClientCapabilities()?.roots) return undefined;
  const { roots } = await server.server.listRoots(undefined, { signal, timeout: 10_000 });
  return roots.flatMap((root) => (root.uri.startsWith('file:') ? [fileURLToPath(root.uri)] : []));
}

export function createMcpServer(context: ServerContext, tools: ToolDefinition[] = allTools()): McpServer {
  // 10,000-element arrays and the like are refused before any handler runs.
  const server = new McpServer(
    { name: 'krr-mcp', version: context.version },
    { instructions: INSTRUCTIONS, maxToolInputElements: 5000 },
  );
  for (const tool of tools) {
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: tool.inputSchema,
        outputSchema: tool.outputSchema,
        annotations: tool.annotations,
      },
      async (args: unknown, extra) => {
        const started = Date.now();
        const progressToken = extra._meta?.progressToken;
        const call: ToolCall = {
          signal: extra.signal,
          progress: async (message, progress = 0, total) => {
            if (progressToken === undefined) return;
            await extra
              .sendNotification({
                method: 'notifications/progress',
                params: { progressToken, progress, message, ...(total !== undefined ? { total } : {}) },
              })
              .catch(() => {});
          },
          workspaceRoots: () => clientRoots(server, extra.signal),
        };
        try {
          const result = await tool.handler(args as never, context, call);
          context.log.info('tool call', { tool: tool.name, ok: true, ms: Date.now() - started });
          void context.approval.audit({
            operation: 'tool_call',
            status: 'ok',
            details: { tool: tool.name, ms: Date.now() - started },
          });
          return structuredResult(result as Record<string, unknown>);
        } catch (error) {
          const { message, expected } = describeError(error);
          (expected ? context.log.info : context.log.error)('tool call', {
            tool: tool.name,
            ok: false,
            ms: Date.now() - started,
            error: message,
          });
          void context.approval.audit({
            operation: 'tool_call',
            status: 'error',
            details: { tool: tool.name, error: message.slice(0, 500) },
          });
          return errorResult(message);
        }
      },
    );
  }
  return server;
}
