import { homedir } from 'node:os';
import { join } from 'node:path';

/** KRR_MCP_AUDIT_LOG, else ~/.krr-mcp/audit.jsonl: the extension host and the CLI must agree on it. */
export function defaultAuditLogPath(env: NodeJS.ProcessEnv): string {
  if (env.KRR_MCP_AUDIT_LOG) return env.KRR_MCP_AUDIT_LOG;
  const home = env.HOME || env.USERPROFILE || homedir();
  return join(home, '.krr-mcp', 'audit.jsonl');
}
