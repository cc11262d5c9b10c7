export { AuditLog, type AuditLogOptions } from './audit-log.js';
export { GENESIS_HASH, recordHash } from './chain.js';
export { fsyncDirectory, writeFileDurably } from '../durable-file.js';
export { AuditLogError, AuditLogLockedError } from './errors.js';
export {
  HISTORY_DEFAULT_LIMIT,
  HISTORY_MAX_LIMIT,
  queryHistory,
  type HistoryFilter,
  type HistoryPage,
} from './history.js';
export { defaultAuditLogPath } from './paths.js';
export {
  AUDIT_OPERATIONS,
  AUDIT_STATUSES,
  AuditEntrySchema,
  AuditOperationSchema,
  AuditRecordSchema,
  AuditStatusSchema,
  type AuditEntry,
  type AuditOperation,
  type AuditRecord,
  type AuditStatus,
} from './record.js';
export { REDACTED, redactSecrets, redactString } from './redact.js';
export type { TornTailRecovery } from './tail-recovery.js';
export {
  CHAIN_LIMITATION,
  verifyAuditLog,
  type AuditProblem,
  type AuditProblemKind,
  type AuditVerification,
} from './verify.js';
