import { z } from 'zod';

/**
 * The broker protocol: newline-delimited JSON over a private socket. The client's first message is a
 * `hello` with its secret; after the broker's `welcome`, the client sends requests and the broker sends
 * replies (matched by id) and progress notes for long calls.
 */
export const PROTOCOL_VERSION = 2;
/** A plan with thousands of objects stays far below this; anything larger is a bug or an attack. */
export const MAX_MESSAGE_BYTES = 1024 * 1024;
export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 5000;

const secret = z.string().regex(/^[0-9a-f]{64}$/);
const requestId = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

export const helloMessage = z.object({
  type: z.literal('hello'),
  secret,
  /** Fresh random bytes the broker must answer with HMAC(secret, challenge) (broker-proof.ts). */
  challenge: secret,
  clientVersion: z.string().max(200),
});

export const requestMessage = z.object({
  type: z.literal('request'),
  id: requestId,
  method: z.string().min(1).max(200),
  params: z.unknown(),
});

export const clientMessage = z.discriminatedUnion('type', [helloMessage, requestMessage]);

const brokerError = z.object({ code: z.string().max(100), message: z.string() });

export const welcomeMessage = z.object({
  type: z.literal('welcome'),
  protocolVersion: z.number().int(),
  /** HMAC(secret, challenge): the broker holds the secret the client presented. */
  proof: secret,
});

/** A connection-level failure; the broker closes the connection after sending it. */
export const fatalMessage = z.object({ type: z.literal('fatal'), error: brokerError });

export const replyMessage = z.discriminatedUnion('ok', [
  z.object({ type: z.literal('reply'), id: requestId, ok: z.literal(true), result: z.unknown() }),
  z.object({ type: z.literal('reply'), id: requestId, ok: z.literal(false), error: brokerError }),
]);

export const progressMessage = z.object({
  type: z.literal('progress'),
  id: requestId,
  message: z.string(),
});

export const brokerMessage = z.discriminatedUnion('type', [
  welcomeMessage,
  fatalMessage,
  replyMessage,
  progressMessage,
]);

export type HelloMessage = z.infer<typeof helloMessage>;
export type RequestMessage = z.infer<typeof requestMessage>;
export type ClientMessage = z.infer<typeof clientMessage>;
export type BrokerMessage = z.infer<typeof brokerMessage>;
export type ReplyMessage = z.infer<typeof replyMessage>;

/**
 * Error codes on the wire. Handlers may send their own codes through `BrokerError`; these are the ones
 * the protocol itself uses.
 */
export type ProtocolErrorCode =
  | 'unauthorized'
  | 'invalid-message'
  | 'message-too-large'
  | 'invalid-params'
  | 'unknown-method'
  | 'internal'
  | 'shutting-down';
