import type { ChangeAuthority } from './change-authority.js';
import {
  ApplyParamsSchema,
  AuditParamsSchema,
  ConfirmParamsSchema,
  RollbackParamsSchema,
  StatusParamsSchema,
} from './change-protocol.js';
import { ForeignRequestError } from './authority.js';
import type { ApprovalBroker } from './ipc/broker.js';
import { BrokerError } from './ipc/errors.js';

/** Registers the change pipeline's methods on the broker the MCP servers connect to. */
export function registerAuthorityMethods(broker: ApprovalBroker, authority: ChangeAuthority): void {
  broker.handle('confirm', ConfirmParamsSchema, (params, ctx) => guard(() => authority.confirm(params, ctx)));
  broker.handle('apply', ApplyParamsSchema, (params) =>
    guard(() => authority.apply(params.token, params.dryRun)),
  );
  broker.handle('rollback', RollbackParamsSchema, (params, ctx) =>
    guard(() => authority.rollback(params, ctx)),
  );
  broker.handle('status', StatusParamsSchema, () => guard(() => authority.status()));
  broker.handle('audit', AuditParamsSchema, async (params) => {
    await authority.recordToolCall(params);
    return { ok: true };
  });
}

/** BrokerErrors carry their own message; anything unexpected becomes a clear, generic failure. */
async function guard<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof BrokerError) throw error;
    if (error instanceof ForeignRequestError) throw new BrokerError('not-your-request', error.message);
    const message = (error as Error)?.message ?? String(error);
    throw new BrokerError('failed', message);
  }
}
