/** An audit log problem a person can act on; reported as one line, without a stack trace. */
export class AuditLogError extends Error {
  override name = 'AuditLogError';
}

/** Another live process holds the writer lock: there is exactly one writer per log. */
export class AuditLogLockedError extends AuditLogError {
  override name = 'AuditLogLockedError';
  constructor(
    readonly pid: number,
    readonly lockPath: string,
  ) {
    super(`another process writes this audit log (pid ${pid}); if that process is gone, delete ${lockPath}`);
  }
}
