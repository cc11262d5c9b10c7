// Post-apply verification: watch what an apply (or a rollback) changed, and give each workload a verdict.
export { Backoff, systemClock, type Clock } from './clock.js';
export {
  EVIDENCE_KINDS,
  ROLLOUT_STATES,
  VERDICTS,
  worstVerdict,
  type Evidence,
  type RolloutState,
  type Verdict,
  type VerificationBaseline,
  type VerificationProgress,
  type VerificationResult,
  type VerificationStarted,
  type WorkloadVerdict,
} from './model.js';
export {
  MAX_RECORDED_EVIDENCE,
  pendingVerifications,
  verificationCompletedRecord,
  VerificationCompletedSchema,
  verificationProgressRecord,
  verificationStartedRecord,
  verificationState,
  type PendingVerification,
  type VerificationState,
} from './verification-records.js';
export {
  DEFAULT_MIN_SAMPLES,
  DEFAULT_PROMETHEUS_INTERVAL_MS,
  DEFAULT_WINDOW_MS,
  newVerificationId,
  verifyChange,
  type VerifyChangeOptions,
} from './verify-change.js';
export {
  readVerification,
  verificationRecords,
  verificationsOfApplies,
  type ApplyVerification,
} from './verification-log.js';
