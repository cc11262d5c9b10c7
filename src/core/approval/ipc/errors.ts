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

/** Client-side failures: a reply with ok=false, or the connection or the call's timer giving up. */
export type BrokerCallErrorCode = string;

export class BrokerCallError extends Error {
  constructor(
    readonly code: BrokerCallErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'BrokerCallError';
  }
}
