import type { DecisionSurface } from '../../../src/core/approval/approval-request.js';
import { ApprovalAuthority, type AuthorityOptions } from '../../../src/core/approval/authority.js';
import {
  ApprovalBroker,
  type BrokerOptions,
  type IssuedSecret,
} from '../../../src/core/approval/ipc/broker.js';

export type {
  ApprovalInput,
  ApprovalOutcome,
  ApprovalRequest,
  Decision,
  DecisionSurface,
} from '../../../src/core/approval/approval-request.js';
export type { BoundObject, TokenBinding } from '../../../src/core/approval/token-binding.js';
export type { RedeemFailureReason, RedeemResult } from '../../../src/core/approval/tokens.js';

export interface HeadlessAuthorityOptions extends Omit<AuthorityOptions, 'surface'>, BrokerOptions {
  surface: DecisionSurface;
}

/**
 * The approval authority without VS Code: the real broker on a real private socket and the real token
 * authority, with the person replaced by any DecisionSurface (a scripted one in tests). The extension
 * host assembles the same two parts around its webview surface.
 *
 * It registers no methods: the change pipeline registers its own (request_confirmation, apply…) on
 * `broker`, building approval requests from a fresh read of the cluster.
 */
export class HeadlessAuthority {
  private constructor(
    readonly broker: ApprovalBroker,
    readonly authority: ApprovalAuthority,
  ) {}

  static async start(options: HeadlessAuthorityOptions): Promise<HeadlessAuthority> {
    const broker = await ApprovalBroker.listen(options);
    return new HeadlessAuthority(broker, new ApprovalAuthority(options));
  }

  get ipcPath(): string {
    return this.broker.ipcPath;
  }

  /** What a spawned MCP server gets in its environment. */
  issueSecret(): IssuedSecret {
    return this.broker.issueSecret();
  }

  async close(): Promise<void> {
    this.authority.close();
    await this.broker.close();
  }
}
