import type { Socket } from 'node:net';
import type { z } from 'zod';
import type { BrokerLog } from './broker-log.js';
import { brokerProof } from './broker-proof.js';
import { BrokerError } from './errors.js';
import { encodeLine, LineDecoder, MessageTooLargeError, parseLine } from './framing.js';
import type { HandlerTable } from './handlers.js';
import {
  helloMessage,
  PROTOCOL_VERSION,
  requestMessage,
  type BrokerMessage,
  type ProtocolErrorCode,
  type RequestMessage,
} from './protocol.js';
import type { SecretGrant, SecretRegistry } from './secrets.js';

export interface ConnectionDeps {
  id: number;
  secrets: SecretRegistry;
  handlers: HandlerTable;
  handshakeTimeoutMs: number;
  maxMessageBytes: number;
  log: BrokerLog;
  onUnauthorized(): void;
  onClosed(): void;
}

/**
 * One client connection: a handshake that must arrive in time with a secret the registry accepts,
 * then concurrent requests dispatched to handlers. Anything off-protocol closes the connection; a
 * well-formed request for something wrong (unknown method, bad params) only fails that request.
 */
export class BrokerConnection {
  private state: 'handshake' | 'open' | 'closed' = 'handshake';
  private grant: SecretGrant | undefined;
  private readonly decoder: LineDecoder;
  private readonly inFlight = new Map<number, AbortController>();
  private readonly handshakeTimer: NodeJS.Timeout;

  constructor(
    private readonly socket: Socket,
    private readonly deps: ConnectionDeps,
  ) {
    this.decoder = new LineDecoder(deps.maxMessageBytes);
    this.handshakeTimer = setTimeout(
      () => this.refuse('no hello before the deadline'),
      deps.handshakeTimeoutMs,
    );
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.closed());
    deps.log({ level: 'info', event: 'connected', connectionId: deps.id });
  }

  /** Ends the connection now, failing nothing: in-flight handlers see their signal abort. */
  destroy(): void {
    this.socket.destroy();
  }

  private receive(chunk: Buffer): void {
    let lines: string[];
    try {
      lines = this.decoder.push(chunk);
    } catch (error) {
      if (!(error instanceof MessageTooLargeError)) throw error;
      this.deps.log({ level: 'warn', event: 'message-too-large', connectionId: this.deps.id });
      return this.fail('message-too-large', `messages are limited to ${error.limit} bytes`);
    }
    for (const line of lines) {
      if (this.state === 'closed') return;
      if (this.state === 'handshake') this.handshake(line);
      else this.request(line);
    }
  }

  private handshake(line: string): void {
    const hello = helloMessage.safeParse(parseLine(line)?.value);
    if (!hello.success) return this.refuse('first message is not a valid hello');
    const grant = this.deps.secrets.claim(hello.data.secret);
    if (!grant) return this.refuse('unknown, used or busy secret');
    clearTimeout(this.handshakeTimer);
    this.grant = grant;
    this.state = 'open';
    this.deps.log({
      level: 'info',
      event: 'authenticated',
      connectionId: this.deps.id,
      detail: `${grant.kind} secret, client ${hello.data.clientVersion}`,
    });
    this.send({
      type: 'welcome',
      protocolVersion: PROTOCOL_VERSION,
      proof: brokerProof(hello.data.secret, hello.data.challenge),
    });
  }

  private request(line: string): void {
    const parsed = requestMessage.safeParse(parseLine(line)?.value);
    if (!parsed.success) {
      this.deps.log({ level: 'warn', event: 'protocol-violation', connectionId: this.deps.id });
      return this.fail('invalid-message', 'expected a request message');
    }
    const request = parsed.data;
    if (this.inFlight.has(request.id)) {
      return this.replyError(request.id, 'invalid-message', `request id ${request.id} is already in flight`);
    }
    void this.dispatch(request);
  }

  private async dispatch(request: RequestMessage): Promise<void> {
    const registration = this.deps.handlers.get(request.method);
    if (!registration) return this.replyError(request.id, 'unknown-method', `no method '${request.method}'`);
    const params = registration.schema.safeParse(request.params);
    if (!params.success) {
      return this.replyError(
        request.id,
        'invalid-params',
        `invalid params for '${request.method}': ${describe(params.error)}`,
      );
    }
    const controller = new AbortController();
    this.inFlight.set(request.id, controller);
    try {
      const result = await registration.handler(params.data, {
        progress: (message) => {
          if (this.inFlight.get(request.id) === controller)
            this.send({ type: 'progress', id: request.id, message });
        },
        signal: controller.signal,
        connectionId: this.deps.id,
        secretKind: this.grant?.kind ?? 'per-spawn',
      });
      this.inFlight.delete(request.id);
      this.reply({ type: 'reply', id: request.id, ok: true, result });
    } catch (error) {
      this.inFlight.delete(request.id);
      if (error instanceof BrokerError) return this.replyError(request.id, error.code, error.message);
      this.deps.log({
        level: 'warn',
        event: 'handler-failed',
        connectionId: this.deps.id,
        detail: `${request.method}: ${error instanceof Error ? error.message : String(error)}`,
      });
      this.replyError(
        request.id,
        'internal',
        `the approval authority failed while handling '${request.method}'; see its log`,
      );
    }
  }

  private replyError(id: number, code: string, message: string): void {
    this.reply({ type: 'reply', id, ok: false, error: { code, message } });
  }

  private reply(message: BrokerMessage & { type: 'reply' }): void {
    try {
      this.send(message);
    } catch (error) {
      if (!(error instanceof MessageTooLargeError)) throw error;
      this.send({
        type: 'reply',
        id: message.id,
        ok: false,
        error: { code: 'internal', message: `the reply exceeded ${error.limit} bytes` },
      });
    }
  }

  private send(message: BrokerMessage): void {
    if (this.state === 'closed' || this.socket.destroyed) return;
    this.socket.write(encodeLine(message, this.deps.maxMessageBytes));
  }

  /** Authentication failures get the same generic answer whatever the cause, and never echo the secret. */
  private refuse(why: string): void {
    this.deps.onUnauthorized();
    this.deps.log({ level: 'warn', event: 'unauthorized', connectionId: this.deps.id, detail: why });
    this.fail('unauthorized', 'unauthorized');
  }

  private fail(code: ProtocolErrorCode, message: string): void {
    if (this.state === 'closed') return;
    this.send({ type: 'fatal', error: { code, message } });
    this.state = 'closed';
    this.socket.end(() => this.socket.destroy());
    // A peer that never reads would keep the half-closed socket; do not wait for it.
    setTimeout(() => this.socket.destroy(), 1000).unref();
  }

  private closed(): void {
    this.state = 'closed';
    clearTimeout(this.handshakeTimer);
    for (const controller of this.inFlight.values()) controller.abort(new Error('the connection closed'));
    this.inFlight.clear();
    this.grant?.release();
    this.grant = undefined;
    this.deps.log({ level: 'info', event: 'disconnected', connectionId: this.deps.id });
    this.deps.onClosed();
  }
}

function describe(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(params)'}: ${issue.message}`)
    .join('; ');
}
