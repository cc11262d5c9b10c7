import { defaultStateDir, findBroker } from '../core/approval/broker-descriptor.js';
import { BrokerClient } from '../core/approval/ipc/client.js';
import { StandaloneGateway, type ApprovalGateway } from './approval-gateway.js';
import { BrokerGateway } from './broker-gateway.js';
import type { Logger } from './logger.js';
import type { PlanStore } from './plan-store.js';

export class ApprovalConnectionError extends Error {
  override name = 'ApprovalConnectionError';
}

/**
 * Finds the approval authority: the one that spawned us (socket path and secret in the environment, as
 * the VS Code extension does), else a running extension's broker published in the per-user state
 * directory, else none (standalone: read-only tools only). The secret is removed from our environment
 * once read, so no child process inherits it.
 */
export async function connectApproval(
  env: NodeJS.ProcessEnv,
  plans: PlanStore,
  waitMs: number,
  version: string,
  log: Logger,
): Promise<ApprovalGateway> {
  const ipcPath = env.KRR_MCP_IPC_PATH;
  const secret = env.KRR_MCP_IPC_SECRET;
  delete env.KRR_MCP_IPC_SECRET;
  if (ipcPath || secret) {
    if (!ipcPath || !secret)
      throw new ApprovalConnectionError('KRR_MCP_IPC_PATH and KRR_MCP_IPC_SECRET must be set together.');
    try {
      const client = await BrokerClient.connect(ipcPath, secret, { clientVersion: version });
      // connect() verified the broker's proof of the secret: this is the authority that spawned us.
      return new BrokerGateway(
        client,
        plans,
        waitMs,
        'the authority that started this server; it proved it holds the secret it gave this server',
      );
    } catch (error) {
      throw new ApprovalConnectionError(
        `Cannot connect to the krr-mcp approval authority at ${ipcPath}: ${(error as Error).message}`,
      );
    }
  }
  const found = await findBroker(defaultStateDir(env), { warn: (message) => log.warn(message) }).catch(
    () => undefined,
  );
  if (found) {
    try {
      const client = await BrokerClient.connect(found.ipcPath, found.secret, { clientVersion: version });
      log.info('connected to the approval broker of a running VS Code', {
        pid: found.pid,
        context: found.context,
      });
      return new BrokerGateway(
        client,
        plans,
        waitMs,
        `VS Code, pid ${found.pid}, which listens on the published socket and proved it holds the published secret`,
      );
    } catch (error) {
      log.warn('a VS Code approval broker was published but did not accept us', {
        pid: found.pid,
        error: (error as Error).message,
      });
    }
  }
  return new StandaloneGateway();
}
