import { chmod, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import type { z } from 'zod';
import { BrokerConnection } from './broker-connection.js';
import type { BrokerLog } from './broker-log.js';
import { HandlerTable, type BrokerHandler } from './handlers.js';
import { createIpcEndpoint, type IpcEndpoint } from './ipc-path.js';
import { DEFAULT_HANDSHAKE_TIMEOUT_MS, MAX_MESSAGE_BYTES } from './protocol.js';
import { SecretRegistry } from './secrets.js';

export interface BrokerOptions {
  /** Where the private `krr-mcp-<uid>` socket directory goes; default $XDG_RUNTIME_DIR or the temp dir. */
  baseDir?: string;
  handshakeTimeoutMs?: number;
  maxMessageBytes?: number;
  log?: BrokerLog;
}

/** What a client needs to connect: hand both to exactly one process (env only, never argv). */
export interface IssuedSecret {
  secret: string;
  ipcPath: string;
}

/**
 * The approval authority's end of the IPC channel: a Unix socket in a private directory (a named pipe
 * on Windows) that admits only clients presenting a secret this broker issued, and dispatches their
 * requests to registered handlers.
 */
export class ApprovalBroker {
  private readonly secrets = new SecretRegistry();
  private readonly handlers = new HandlerTable();
  private readonly connections = new Set<BrokerConnection>();
  private nextConnectionId = 1;
  private refusedCount = 0;
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly server: Server,
    private readonly endpoint: IpcEndpoint,
  ) {}

  static async listen(options: BrokerOptions = {}): Promise<ApprovalBroker> {
    const endpoint = await createIpcEndpoint(options.baseDir ? { baseDir: options.baseDir } : {});
    const log = options.log ?? (() => {});
    const server = createServer();
    const broker = new ApprovalBroker(server, endpoint);
    server.on('connection', (socket: Socket) => broker.accept(socket, options, log));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(endpoint.path, () => {
        server.off('error', reject);
        resolve();
      });
    });
    // The 0700 directory already keeps other users out; the socket's own mode is a second fence.
    if (endpoint.isSocketFile) await chmod(endpoint.path, 0o600);
    return broker;
  }

  get ipcPath(): string {
    return this.endpoint.path;
  }

  /** Connections refused for a missing, wrong, used or late secret. */
  get unauthorizedAttempts(): number {
    return this.refusedCount;
  }

  /** A secret for one spawned MCP server: it admits exactly one connection, ever. */
  issueSecret(): IssuedSecret {
    return { secret: this.secrets.issue('per-spawn'), ipcPath: this.ipcPath };
  }

  /**
   * A secret for the broker descriptor only (agents started outside VS Code): it admits any number of
   * connections, one at a time, until revoked. See SecretRegistry for the trade-off.
   */
  issueStandingSecret(): IssuedSecret {
    return { secret: this.secrets.issue('standing'), ipcPath: this.ipcPath };
  }

  /** Stops the secret admitting new connections; an open connection that used it stays open. */
  revokeSecret(secret: string): void {
    this.secrets.revoke(secret);
  }

  handle<S extends z.ZodType>(method: string, schema: S, handler: BrokerHandler<z.output<S>>): void {
    this.handlers.add(method, schema, handler);
  }

  /** Stops listening, drops every connection (aborting in-flight handlers) and removes the socket. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const stopped = new Promise<void>((resolve) => this.server.close(() => resolve()));
      for (const connection of this.connections) connection.destroy();
      await stopped;
      if (this.endpoint.isSocketFile) await rm(this.endpoint.path, { force: true });
    })();
    return this.closing;
  }

  private accept(socket: Socket, options: BrokerOptions, log: BrokerLog): void {
    if (this.closing) {
      socket.destroy();
      return;
    }
    const connection: BrokerConnection = new BrokerConnection(socket, {
      id: this.nextConnectionId++,
      secrets: this.secrets,
      handlers: this.handlers,
      handshakeTimeoutMs: options.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS,
      maxMessageBytes: options.maxMessageBytes ?? MAX_MESSAGE_BYTES,
      log,
      onUnauthorized: () => this.refusedCount++,
      onClosed: () => this.connections.delete(connection),
    });
    this.connections.add(connection);
  }
}
