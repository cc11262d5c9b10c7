/**
 * A failure a broker handler reports to the caller with a code the caller can branch on. The message
 * goes to an agent: say what to do next. Any other thrown error reaches the caller as 'internal' with
 * a generic message, so internals (paths, stack traces) do not leak to the MCP process.
 */
export class BrokerError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'BrokerError';
  }
}

/**
 * Client-side failures: a reply with ok=false (the broker's or the handler's code), or the client's own
 * 'timeout', 'connection-closed', 'message-too-large', 'invalid-message'.
 */
export class BrokerCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'BrokerCallError';
  }
}
