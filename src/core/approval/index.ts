// The approval authority's public surface: tokens, the IPC broker and client, broker discovery, and the
// authority. The extension host, the MCP server and tests import from here.
export { canonicalJson } from '../canonical-json.js';
export {
  ApprovalTokens,
  DEFAULT_TOKEN_TTL_SECONDS,
  tokenExpiry,
  type RedeemFailureReason,
  type RedeemResult,
} from './tokens.js';
export type { BoundObject, TokenBinding } from './token-binding.js';
export type {
  ApprovalInput,
  ApprovalOutcome,
  ApprovalRequest,
  Decision,
  DecisionSurface,
} from './approval-request.js';
export { ApprovalAuthority, type AuthorityOptions, type WaitOptions } from './authority.js';
export {
  brokerDescriptorSchema,
  defaultStateDir,
  findBroker,
  publishBrokerDescriptor,
  type BrokerDescriptor,
  type FindBrokerOptions,
  type PublishedDescriptor,
} from './broker-descriptor.js';
export { ApprovalBroker, type BrokerOptions, type IssuedSecret } from './ipc/broker.js';
export { BrokerClient, type CallOptions, type ConnectOptions } from './ipc/client.js';
export { BrokerCallError, BrokerError } from './ipc/errors.js';
export type { HandlerContext } from './ipc/handlers.js';
export type { BrokerLog, BrokerLogEvent } from './ipc/broker-log.js';
