import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { AuditLog } from '../../../../src/core/audit/audit-log.js';
import type { AuditRecord } from '../../../../src/core/audit/record.js';

/** A fresh temp dir per call, all removed when the test file ends. */
export function tempDirs(prefix = 'krr-mcp-audit-'): () => string {
  const dirs: string[] = [];
  after(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };
}

/** Writes `count` records through the real writer and closes it. */
export async function writeLog(path: string, count: number): Promise<AuditRecord[]> {
  const log = await AuditLog.open(path);
  const records: AuditRecord[] = [];
  try {
    for (let i = 0; i < count; i++) {
      records.push(
        await log.append({ operation: 'patch', status: 'ok', namespace: 'team-a', details: { i } }),
      );
    }
  } finally {
    await log.close();
  }
  return records;
}

export function readLines(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  return text.split('\n').slice(0, text.endsWith('\n') ? -1 : undefined);
}

export function writeLines(path: string, lines: string[]): void {
  writeFileSync(path, lines.map((l) => `${l}\n`).join(''));
}
