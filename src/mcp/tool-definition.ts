import type { CallToolResult, ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import type { ServerContext } from './server-context.js';

/** What a tool handler can use besides its arguments: progress reporting and cancellation. */
export interface ToolCall {
  signal: AbortSignal;
  progress(message: string, progress?: number, total?: number): Promise<void>;
  /**
   * The folders the client works in (MCP roots, e.g. VS Code's workspace folders), as file paths; undefined
   * when the client declares no roots.
   */
  workspaceRoots(): Promise<string[] | undefined>;
}

/**
 * One MCP tool: its schemas and annotations beside its handler. The same definitions are registered
 * with the SDK and rendered by generate_documentation, so the documentation is the live schema.
 */
export interface ToolDefinition<In extends z.ZodObject = z.ZodObject, Out extends z.ZodObject = z.ZodObject> {
  name: string;
  title: string;
  description: string;
  inputSchema: In;
  outputSchema: Out;
  annotations: ToolAnnotations;
  handler(args: z.infer<In>, context: ServerContext, call: ToolCall): Promise<z.infer<Out>>;
}

/** A result that is an error an agent can act on (MCP `isError`), with an optional hint. */
export class ToolError extends Error {
  override name = 'ToolError';
}

export function structuredResult(value: Record<string, unknown>, text?: string): CallToolResult {
  return {
    content: [{ type: 'text', text: text ?? JSON.stringify(value, null, 2) }],
    structuredContent: value,
  };
}

export function errorResult(message: string): CallToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}

export function defineTool<In extends z.ZodObject, Out extends z.ZodObject>(
  tool: ToolDefinition<In, Out>,
): ToolDefinition<In, Out> {
  return tool;
}
