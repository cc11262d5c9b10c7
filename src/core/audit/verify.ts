import { open } from 'node:fs/promises';
import { GENESIS_HASH, recordHash } from './chain.js';
import { readLinesForward, type FileLine } from './line-reader.js';
import { AuditRecordSchema } from './record.js';
import { isTornLastLine } from './tail-recovery.js';

export type AuditProblemKind =
  'edited' | 'deleted' | 'reordered' | 'torn' | 'malformed' | 'seq-gap' | 'not-audit-log';

export interface AuditProblem {
  /** 1-based line number in the file. */
  line: number;
  kind: AuditProblemKind;
  message: string;
}

export interface AuditVerification {
  /** True when nothing but a torn last line was found: a crash is not tampering. */
  ok: boolean;
  /** Lines that parsed as audit records. */
  records: number;
  problems: AuditProblem[];
  /** The newest record: note its hash somewhere else to be able to detect truncation later. */
  head?: { seq: number; hash: string; time: string };
}

/**
 * What the hash chain can and cannot prove. Every record names its predecessor's hash, so an edit,
 * a deletion in the middle or a reordering breaks the chain. Cutting records off the end leaves a
 * shorter chain that is just as valid: only a head hash kept elsewhere can show that.
 */
export const CHAIN_LIMITATION =
  'the chain proves the order and integrity of the records present; it cannot prove nothing was cut from the end';

interface ChainLink {
  line: number;
  seq: number;
  hash: string;
  prevHash: string;
  time: string;
  /** A malformed line lies between this record and the one before it. */
  afterMalformed: boolean;
}

function readLink(
  line: FileLine,
  number: number,
  isLast: boolean,
  problems: AuditProblem[],
): Omit<ChainLink, 'afterMalformed'> | undefined {
  if (isLast && isTornLastLine(line)) {
    problems.push({
      line: number,
      kind: 'torn',
      message: `incomplete last line (${line.bytes} bytes${line.terminated ? ', not JSON' : ', no newline'}): an append interrupted by a crash, not tampering; the writer moves it aside when it next opens the log`,
    });
    return undefined;
  }
  let json: unknown;
  try {
    json = JSON.parse(line.text);
  } catch {
    problems.push({ line: number, kind: 'malformed', message: 'not valid JSON' });
    return undefined;
  }
  const parsed = AuditRecordSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    problems.push({
      line: number,
      kind: 'malformed',
      message: `not an audit record (${where}${issue?.message})`,
    });
    return undefined;
  }
  const record = parsed.data;
  if (recordHash(record) !== record.hash) {
    problems.push({
      line: number,
      kind: 'edited',
      message: `record seq ${record.seq} was changed after it was written (its hash does not match its content)`,
    });
  }
  return { line: number, seq: record.seq, hash: record.hash, prevHash: record.prevHash, time: record.time };
}

/** Why `link` does not follow `prev`, or undefined when it does. */
function chainProblem(
  link: ChainLink,
  prev: ChainLink | undefined,
  lineOfHash: Map<string, number>,
): AuditProblem | undefined {
  const expectedSeq = (prev?.seq ?? 0) + 1;
  const expectedPrevHash = prev?.hash ?? GENESIS_HASH;
  const at = (kind: AuditProblemKind, message: string): AuditProblem => ({ line: link.line, kind, message });
  if (prev && link.seq <= prev.seq)
    return at('reordered', `seq ${link.seq} comes after seq ${prev.seq} (line ${prev.line})`);
  if (link.prevHash === expectedPrevHash) {
    return link.seq === expectedSeq
      ? undefined
      : at('seq-gap', `seq jumps from ${prev?.seq ?? 0} to ${link.seq} although the hash chain is unbroken`);
  }
  const predecessorLine = lineOfHash.get(link.prevHash);
  if (predecessorLine !== undefined)
    return at('reordered', `the record it chains from is on line ${predecessorLine}, not just before it`);
  if (link.seq > expectedSeq) {
    const missing = link.seq - expectedSeq;
    const range = missing === 1 ? `seq ${expectedSeq}` : `seq ${expectedSeq}–${link.seq - 1}`;
    return at('deleted', `${missing} record${missing === 1 ? '' : 's'} (${range}) missing before this line`);
  }
  return at(
    'edited',
    prev
      ? `the chain breaks here: the record on line ${prev.line} was changed and re-hashed, or this record's prevHash was changed`
      : `the first record does not start the chain (prevHash is not ${GENESIS_HASH.slice(0, 8)}…)`,
  );
}

/**
 * Checks a whole audit log: every record's hash, and that each one chains from the one before.
 * Reports at most one problem per line. Only the file is read; it is never changed.
 */
export async function verifyAuditLog(path: string): Promise<AuditVerification> {
  const problems: AuditProblem[] = [];
  const links: ChainLink[] = [];
  let firstLineStart = '';
  const handle = await open(path, 'r');
  try {
    const size = (await handle.stat()).size;
    let pending: FileLine | undefined;
    let number = 0;
    let malformedSinceLast = false;
    const take = (line: FileLine, isLast: boolean) => {
      number++;
      if (number === 1) firstLineStart = line.text.slice(0, 2);
      const before = problems.length;
      const link = readLink(line, number, isLast, problems);
      if (link) {
        links.push({ ...link, afterMalformed: malformedSinceLast });
        malformedSinceLast = false;
      } else if (problems[before]?.kind === 'malformed') malformedSinceLast = true;
    };
    // One line of look-ahead: only the very last line can be torn.
    for await (const line of readLinesForward(handle, size)) {
      if (pending) take(pending, false);
      pending = line;
    }
    if (pending) take(pending, true);
  } finally {
    await handle.close();
  }
  // Lines but not one record: another file was named (a crash during the very first append leaves an
  // unterminated `{"…`, which stays a torn line). Said as such, not as "0 records, chain intact".
  const onlyTornRecord =
    problems.length === 1 && problems[0]!.kind === 'torn' && firstLineStart.startsWith('{"');
  if (links.length === 0 && problems.length > 0 && !onlyTornRecord) {
    const first = problems[0]!;
    return {
      ok: false,
      records: 0,
      problems: [
        {
          line: first.line,
          kind: 'not-audit-log',
          message: `not a krr-mcp audit log: no line is an audit record (line ${first.line}: ${first.kind === 'torn' ? 'not JSON' : first.message})`,
        },
      ],
    };
  }

  const lineOfHash = new Map(links.map((link) => [link.hash, link.line]));
  const flagged = new Set(problems.map((p) => p.line));
  links.forEach((link, index) => {
    // A malformed line in between was reported already; its record's hash is unknown, so the link cannot be judged.
    if (link.afterMalformed || flagged.has(link.line)) return;
    const problem = chainProblem(link, links[index - 1], lineOfHash);
    if (problem) problems.push(problem);
  });
  problems.sort((a, b) => a.line - b.line);

  const last = links.at(-1);
  return {
    ok: problems.every((p) => p.kind === 'torn'),
    records: links.length,
    problems,
    ...(last ? { head: { seq: last.seq, hash: last.hash, time: last.time } } : {}),
  };
}
