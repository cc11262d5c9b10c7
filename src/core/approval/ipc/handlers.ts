import type { z } from 'zod';
import type { SecretKind } from './secrets.js';

/** What a handler knows about the call besides its params. */
export interface HandlerContext {
  /** Sends a progress note to the caller while the call runs (ignored once it has ended). */
  progress(message: string): void;
  /** Aborted when the caller's connection closes or the broker shuts down: stop waiting then. */
  signal: AbortSignal;
  connectionId: number;
  /** 'standing' when the caller came through the broker descriptor rather than being spawned by us. */
  secretKind: SecretKind;
}

export type BrokerHandler<P> = (params: P, ctx: HandlerContext) => Promise<unknown>;

export interface HandlerRegistration {
  schema: z.ZodType;
  handler: BrokerHandler<unknown>;
}

/** Handlers by method name; params are validated against the method's schema before the handler runs. */
export class HandlerTable {
  private readonly byMethod = new Map<string, HandlerRegistration>();

  add<S extends z.ZodType>(method: string, schema: S, handler: BrokerHandler<z.output<S>>): void {
    if (this.byMethod.has(method)) throw new Error(`a handler for '${method}' is already registered`);
    this.byMethod.set(method, { schema, handler: handler as BrokerHandler<unknown> });
  }

  get(method: string): HandlerRegistration | undefined {
    return this.byMethod.get(method);
  }
}
