/**
 * What a tool handler is handed besides its arguments, and the error it throws for the agent. Both are
 * used by the parts a tool reaches through its context (the approval gateway, the server context), so
 * they live apart from ToolDefinition, which depends on that context.
 */

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

/** A result that is an error an agent can act on (MCP `isError`), with an optional hint. */
export class ToolError extends Error {
  override name = 'ToolError';
}
