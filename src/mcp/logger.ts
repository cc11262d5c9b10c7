// Structured JSON logs on stderr: stdout belongs to the MCP protocol. Values are never secrets: callers
// log names and counts, and the audit log's redaction masks anything that looks like a credential anyway.

import { toJsonValue } from '../core/audit/canonical-json.js';
import { redactSecrets } from '../core/audit/redact.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export function jsonLogger(
  level: LogLevel,
  write: (line: string) => void = (line) => process.stderr.write(line),
): Logger {
  const log = (at: LogLevel) => (message: string, fields?: Record<string, unknown>) => {
    if (ORDER[at] < ORDER[level]) return;
    write(
      `${JSON.stringify({ time: new Date().toISOString(), level: at, message, ...(fields ? (redactSecrets(toJsonValue(fields)) as object) : {}) })}\n`,
    );
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}
