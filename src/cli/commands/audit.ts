import { CHAIN_LIMITATION, verifyAuditLog, type AuditVerification } from '../../core/audit/verify.js';
import { defaultAuditLogPath } from '../../core/audit/paths.js';
import { helpText, parseFlags, stringFlag, type FlagTable } from '../flags.js';
import type { CliIo } from '../io.js';
import { UsageError } from '../usage-error.js';

export const AUDIT_USAGE = 'krr-mcp audit verify [--file PATH] [--json]';
const DESCRIPTION =
  'Checks the hash chain of the audit log: every record intact, none removed or moved.\n' +
  'Exit 0: intact (a torn last line from a crash only warns). Exit 1: problems found, or the file cannot be read.';

const AUDIT_FLAGS: FlagTable = {
  file: {
    type: 'string',
    value: 'PATH',
    help: 'audit log (default: $KRR_MCP_AUDIT_LOG, then ~/.krr-mcp/audit.jsonl)',
    group: 'Options',
  },
  json: { type: 'boolean', help: 'print the result as JSON', group: 'Options' },
  help: { type: 'boolean', short: 'h', help: 'show this help', group: 'Options' },
};

export function auditHelp(): string {
  return helpText(AUDIT_USAGE, DESCRIPTION, AUDIT_FLAGS);
}

function unreadable(path: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const reason =
    code === 'ENOENT'
      ? 'no such file (pass --file PATH or set KRR_MCP_AUDIT_LOG)'
      : code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'EISDIR'
          ? 'it is a directory'
          : (error as Error).message;
  return `Error: cannot read the audit log ${path}: ${reason}\n`;
}

function summary(path: string, result: AuditVerification): string {
  const notLog = result.problems.find((p) => p.kind === 'not-audit-log');
  if (notLog) return `${path} is ${notLog.message}.\n`;
  const lines: string[] = [];
  const tampering = result.problems.filter((p) => p.kind !== 'torn');
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  lines.push(
    tampering.length === 0
      ? `Audit log ${path}: ${plural(result.records, 'record')}, chain intact.`
      : `Audit log ${path}: ${plural(result.records, 'record')}, ${plural(tampering.length, 'problem')} found:`,
  );
  for (const problem of tampering) lines.push(`  line ${problem.line}: ${problem.kind}: ${problem.message}`);
  if (result.head) {
    lines.push(`Newest record: seq ${result.head.seq} at ${result.head.time}, hash ${result.head.hash}`);
  }
  lines.push(
    `Note: ${CHAIN_LIMITATION}. To detect that, compare the newest hash with one you noted earlier.`,
  );
  return `${lines.join('\n')}\n`;
}

/** `krr-mcp audit verify`: returns the exit code. */
export async function runAudit(argv: string[], io: CliIo): Promise<number> {
  const { flags, positionals } = parseFlags(argv, AUDIT_FLAGS);
  if (flags.help) {
    io.stdout.write(auditHelp());
    return 0;
  }
  const [subcommand, ...extra] = positionals;
  if (subcommand === undefined) throw new UsageError('Missing subcommand: use `krr-mcp audit verify`.');
  if (subcommand !== 'verify') throw new UsageError(`Unknown audit subcommand "${subcommand}". Use: verify.`);
  if (extra.length > 0) throw new UsageError(`Unexpected arguments: ${extra.join(' ')}`);
  const path = stringFlag(flags, 'file') ?? defaultAuditLogPath(io.env);

  let result: AuditVerification;
  try {
    result = await verifyAuditLog(path);
  } catch (error) {
    io.stderr.write(unreadable(path, error));
    return 1;
  }
  if (flags.json) {
    io.stdout.write(`${JSON.stringify({ file: path, ...result, note: CHAIN_LIMITATION }, null, 2)}\n`);
  } else {
    for (const torn of result.problems.filter((p) => p.kind === 'torn'))
      io.stderr.write(`Warning: line ${torn.line} is torn: ${torn.message}\n`);
    io.stdout.write(summary(path, result));
  }
  return result.ok ? 0 : 1;
}
