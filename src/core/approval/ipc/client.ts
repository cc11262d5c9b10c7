import { connect, type Socket } from 'node:net';
import { isValidProof, newChallenge } from './broker-proof.js';
import { BrokerCallError } from './errors.js';
import { encodeLine, LineDecoder, MessageTooLargeError, parseLine } from './framing.js';
import {
  brokerMessage,
  DEFAULT_HANDSHAKE_TIMEOUT_MS,
  MAX_MESSAGE_BYTES,
  type BrokerMessage,
} from './protocol.js';

export interface ConnectOptions {
  clientVersion?: string;
  handshakeTimeoutMs?: number;
  maxMessageBytes?: number;
}

export interface CallOptions {
  timeoutMs?: number;
  onProgress?: (message: string) => void;
}

export const DEFAULT_CALL_TIMEOUT_MS = 30_000;

interface PendingCall {
  resolve(result: unknown): void;
  reject(error: BrokerCallError): void;
  onProgress: ((message: string) => void) | undefined;
  timer: NodeJS.Timeout;
}

const CLOSED_MESSAGE =
  'The connection to the krr-mcp approval authority closed before it answered, so the outcome is unknown. Restart the MCP server (or VS Code) and check the change history before retrying.';

/**
 * The MCP server's end of the channel. It does not reconnect: a per-spawn secret admits one connection
 * only, and a call whose connection dropped may or may not have happened, which the caller must hear.
 */
export class BrokerClient {
  private readonly pending = new Map<number, PendingCall>();
  private nextId = 1;
  private closedWith: BrokerCallError | undefined;

  private constructor(
    private readonly socket: Socket,
    private readonly maxMessageBytes: number,
  ) {}

  /** Connects and authenticates; rejects with code 'unauthorized', 'timeout' or 'connection-closed'. */
  static async connect(ipcPath: string, secret: string, options: ConnectOptions = {}): Promise<BrokerClient> {
    const maxMessageBytes = options.maxMessageBytes ?? MAX_MESSAGE_BYTES;
    const socket = connect(ipcPath);
    const decoder = new LineDecoder(maxMessageBytes);
    const challenge = newChallenge();
    socket.once('connect', () => {
      socket.write(
        encodeLine({ type: 'hello', secret, challenge, clientVersion: options.clientVersion ?? 'unknown' }),
      );
    });
    const afterWelcome = await awaitWelcome(
      socket,
      decoder,
      options.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS,
      (proof) => isValidProof(secret, challenge, proof),
    );
    const client = new BrokerClient(socket, maxMessageBytes);
    client.attach(decoder, afterWelcome);
    return client;
  }

  get closed(): boolean {
    return this.closedWith !== undefined;
  }

  call<T = unknown>(method: string, params: unknown, options: CallOptions = {}): Promise<T> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    const id = this.nextId++;
    let line: string;
    try {
      line = encodeLine({ type: 'request', id, method, params }, this.maxMessageBytes);
    } catch (error) {
      if (!(error instanceof MessageTooLargeError)) throw error;
      return Promise.reject(
        new BrokerCallError('message-too-large', `the '${method}' request exceeds ${error.limit} bytes`),
      );
    }
    return new Promise<T>((resolve, reject) => {
      const timeoutMs = options.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(
          new BrokerCallError(
            'timeout',
            `the approval authority did not answer '${method}' within ${timeoutMs} ms`,
          ),
        );
      }, timeoutMs);
      this.pending.set(id, {
        resolve: resolve as (r: unknown) => void,
        reject,
        onProgress: options.onProgress,
        timer,
      });
      this.socket.write(line);
    });
  }

  close(): void {
    this.shutDown(new BrokerCallError('connection-closed', 'the client closed the connection'));
  }

  private attach(decoder: LineDecoder, buffered: string[]): void {
    this.socket.on('data', (chunk: Buffer) => {
      const lines = safePush(decoder, chunk);
      if (!lines)
        return this.shutDown(
          new BrokerCallError('message-too-large', 'the approval authority sent an oversized message'),
        );
      lines.forEach((line) => this.receive(line));
    });
    this.socket.on('error', () => this.socket.destroy());
    this.socket.on('close', () => this.shutDown(new BrokerCallError('connection-closed', CLOSED_MESSAGE)));
    buffered.forEach((line) => this.receive(line));
  }

  private receive(line: string): void {
    const parsed = brokerMessage.safeParse(parseLine(line)?.value);
    if (!parsed.success) {
      return this.shutDown(
        new BrokerCallError('invalid-message', 'the approval authority sent an invalid message'),
      );
    }
    this.dispatch(parsed.data);
  }

  private dispatch(message: BrokerMessage): void {
    switch (message.type) {
      case 'progress':
        this.pending.get(message.id)?.onProgress?.(message.message);
        return;
      case 'reply': {
        const call = this.pending.get(message.id);
        if (!call) return; // timed out already
        this.pending.delete(message.id);
        clearTimeout(call.timer);
        if (message.ok) call.resolve(message.result);
        else call.reject(new BrokerCallError(message.error.code, message.error.message));
        return;
      }
      case 'fatal':
        return this.shutDown(new BrokerCallError(message.error.code, message.error.message));
      case 'welcome':
        return;
    }
  }

  private shutDown(reason: BrokerCallError): void {
    if (this.closedWith) return;
    this.closedWith = reason;
    this.socket.destroy();
    for (const call of this.pending.values()) {
      clearTimeout(call.timer);
      call.reject(reason);
    }
    this.pending.clear();
  }
}

/** Resolves with any lines that arrived after the welcome; rejects (and destroys the socket) otherwise. */
function awaitWelcome(
  socket: Socket,
  decoder: LineDecoder,
  timeoutMs: number,
  proves: (proof: string) => boolean,
): Promise<string[]> {
  return new Promise<string[]>((resolve, reject) => {
    const finish = (error?: BrokerCallError, rest: string[] = []) => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('error', onError);
      socket.off('close', onClose);
      if (!error) return resolve(rest);
      socket.destroy();
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      const lines = safePush(decoder, chunk);
      if (!lines)
        return finish(new BrokerCallError('message-too-large', 'the handshake reply was oversized'));
      const [first, ...rest] = lines;
      if (first === undefined) return;
      const message = brokerMessage.safeParse(parseLine(first)?.value);
      if (!message.success) return finish(new BrokerCallError('invalid-message', 'invalid handshake reply'));
      if (message.data.type === 'fatal') {
        return finish(new BrokerCallError(message.data.error.code, message.data.error.message));
      }
      if (message.data.type !== 'welcome') {
        return finish(
          new BrokerCallError('invalid-message', 'the approval authority did not welcome the client'),
        );
      }
      if (!proves(message.data.proof)) {
        return finish(
          new BrokerCallError(
            'unverified',
            'the process behind this socket did not prove it holds the secret: it is not the krr-mcp approval authority',
          ),
        );
      }
      finish(undefined, rest);
    };
    const onError = (error: Error) =>
      finish(
        new BrokerCallError('connection-closed', `cannot reach the approval authority: ${error.message}`),
      );
    const onClose = () =>
      finish(new BrokerCallError('connection-closed', 'the approval authority closed the connection'));
    const timer = setTimeout(
      () =>
        finish(
          new BrokerCallError('timeout', 'the approval authority did not complete the handshake in time'),
        ),
      timeoutMs,
    );
    socket.on('data', onData);
    socket.on('error', onError);
    socket.on('close', onClose);
  });
}

function safePush(decoder: LineDecoder, chunk: Buffer): string[] | undefined {
  try {
    return decoder.push(chunk);
  } catch (error) {
    if (error instanceof MessageTooLargeError) return undefined;
    throw error;
  }
}
