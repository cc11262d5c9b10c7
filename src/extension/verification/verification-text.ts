// The words of a finished verification: the notification's one line and the details document. Pure (no
// `vscode`), so what a person reads is unit-tested. Everything quoted comes from the cluster: it is text.

import type { VerificationUpdate } from '../../core/approval/verification-runner.js';
import type { Evidence, Verdict, WorkloadVerdict } from '../../core/verify/model.js';

/** Problem lines a notification quotes; the details document has them all. */
export const NOTIFIED_EVIDENCE_LINES = 2;
/** Workloads a notification names before "and N more". */
const NAMED_WORKLOADS = 3;

const SEVERITY_ORDER = { failure: 0, warning: 1, info: 2 } as const;
const SEVERITY_MARKS = { failure: '✗', warning: '⚠', info: '·' } as const;

export function workloadLabel(w: { kind: string; namespace: string; name: string }): string {
  return `${w.kind} ${w.namespace}/${w.name}`;
}

/**
 * VS Code turns `[label](https:…)` and `[label](command:…)` in a notification's message into a link, and a
 * command link runs a command. Evidence quotes the cluster (a container's message, a scheduler's words):
 * breaking "](" keeps it text.
 */
export function notificationSafe(text: string): string {
  return text.replace(/\]\s*\(/g, '] (');
}

function byConcern(a: Evidence, b: Evidence): number {
  return SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity];
}

/** Names up to three workloads, then "and N more". */
function namedWorkloads(workloads: readonly WorkloadVerdict[]): string {
  const named = workloads.slice(0, NAMED_WORKLOADS).map((w) => workloadLabel(w.target));
  const more = workloads.length - named.length;
  return more > 0 ? `${named.join(', ')} and ${more} more` : named.join(', ');
}

/** The line a notification shows when a verification ends with a verdict. */
export function verdictMessage(update: VerificationUpdate): string {
  const result = update.result;
  if (!result) return stoppedMessage(update);
  const what = update.rollback ? 'the rollback' : 'the change';
  if (result.verdict === 'healthy')
    return notificationSafe(
      `krr-mcp: verified after ${what}: ${namedWorkloads(result.workloads)} healthy (rollback id ${update.rollbackId}).`,
    );
  const troubled = result.workloads.filter((w) => w.verdict !== 'healthy');
  const problems = troubled
    .flatMap((w) => w.evidence.filter((e) => e.severity !== 'info'))
    .sort(byConcern)
    .slice(0, NOTIFIED_EVIDENCE_LINES)
    .map((e) => e.message);
  const failed = troubled.filter((w) => w.verdict === 'failed').length;
  const state =
    failed === troubled.length
      ? 'failed'
      : failed === 0
        ? `${troubled.length === 1 ? 'is' : 'are'} degraded`
        : 'failed or degraded';
  return notificationSafe(
    `krr-mcp: after ${what}, ${namedWorkloads(troubled)} ${state}` +
      (problems.length > 0 ? `: ${problems.join('; ')}` : '') +
      (result.endedEarly ? ' (the verification ended early)' : '') +
      '.',
  );
}

/** The line a notification shows when a verification stopped without a verdict. */
export function stoppedMessage(update: VerificationUpdate): string {
  const what = update.rollback ? 'rollback' : 'change';
  const workloads = update.targets.slice(0, NAMED_WORKLOADS).map(workloadLabel).join(', ');
  return notificationSafe(
    `krr-mcp: the verification after the ${what} to ${workloads} stopped without a verdict: ${update.error ?? 'no reason given'}.`,
  );
}

function verdictWord(verdict: Verdict): string {
  return { healthy: 'HEALTHY', degraded: 'DEGRADED', failed: 'FAILED' }[verdict];
}

/** The read-only details document: the verdicts and every evidence line, problems first. */
export function verificationDocument(update: VerificationUpdate): string {
  const result = update.result;
  const lines = [
    `Post-apply verification ${update.verificationId}`,
    '',
    `Context:      ${update.context}`,
    `Plan:         ${update.planId}${update.rollback ? ' (a rollback)' : ''}`,
    `Rollback id:  ${update.rollbackId}`,
  ];
  if (result) {
    lines.push(
      `Started:      ${result.startedAt}`,
      `Completed:    ${result.completedAt}${result.endedEarly ? ' (ended early: a workload failed)' : ''}`,
      `Verdict:      ${verdictWord(result.verdict)}`,
    );
  } else {
    lines.push(`State:        ${update.state}${update.error ? `: ${update.error}` : ''}`);
  }
  const workloads = result?.workloads ?? update.progress?.workloads ?? [];
  for (const w of workloads) {
    lines.push('', `${workloadLabel(w.target)}: ${verdictWord(w.verdict)} (rollout ${w.rollout})`);
    for (const e of [...w.evidence].sort(byConcern))
      lines.push(`  ${SEVERITY_MARKS[e.severity]} ${e.message}`);
  }
  if (!update.rollback && result && result.verdict !== 'healthy')
    lines.push(
      '',
      'To undo the change: "Roll Back…" in the notification or on the workload in the Recommendations tree, or',
      `"krr-mcp: Rollback…" with rollback id ${update.rollbackId}. Each opens the approval panel: nothing is`,
      'rolled back before you approve it there.',
    );
  lines.push(
    '',
    'The verification only reports: it never rolls back, resizes or re-applies anything by itself.',
  );
  return `${lines.join('\n')}\n`;
}
