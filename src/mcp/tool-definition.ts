import type { CallToolResult, ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import type { ServerContext } from './server-context.js';
import type { ToolCall } from './tool-call.js';

// The tools import everything tool-related from here.
export { ToolError, type ToolCall } from './tool-call.js';

/**
 * One MCP tool as the server registers it and generate_documentation renders it: its schemas and
 * annotations beside its handler. What differs between tools (the argument and answer types) is
 * erased here, so that a list of different tools is a plain `ToolDefinition[]`; defineTool is where
 * each tool's own types are checked.
 */
export interface ToolDefinition {
  name: string;
  title: string;
  description: string;
  inputSchema: z.ZodObject;
  outputSchema: z.ZodObject;
  annotations: ToolAnnotations;
  /** Takes the arguments as the client sent them; they are validated against inputSchema inside. */
  handler(args: unknown, context: ServerContext, call: ToolCall): Promise<Record<string, unknown>>;
}

/** A tool as it is written: the handler's arguments and answer are inferred from its schemas. */
export interface TypedToolDefinition<In extends z.ZodObject, Out extends z.ZodObject> extends Omit<
  ToolDefinition,
  'inputSchema' | 'outputSchema' | 'handler'
> {
  inputSchema: In;
  outputSchema: Out;
  handler(args: z.infer<In>, context: ServerContext, call: ToolCall): Promise<z.infer<Out>>;
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
  tool: TypedToolDefinition<In, Out>,
): ToolDefinition {
  return {
    ...tool,
    // The SDK has parsed the arguments with inputSchema already; parsing them again (no tool schema
    // transforms, so it is idempotent) turns that into a checked type instead of a cast, and holds for
    // any caller that is not the SDK.
    handler: (args, context, call) => tool.handler(tool.inputSchema.parse(args), context, call),
  };
}
