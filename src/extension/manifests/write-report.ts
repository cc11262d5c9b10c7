import type * as vscode from 'vscode';
import type { ContainerOutcome, FileError } from '../../core/manifests/index.js';
import type { WriteResult } from './manifest-writer.js';
import { displayText } from './relative-paths.js';

type Log = Pick<vscode.LogOutputChannel, 'info'>;

const STATUS_WORDS: Record<Exclude<ContainerOutcome['status'], 'edited'>, string> = {
  unchanged: 'already up to date',
  ambiguous: 'ambiguous',
  'not-found': 'not found',
  unsupported: 'unsupported',
};

function counts(outcomes: readonly ContainerOutcome[]): Record<ContainerOutcome['status'], number> {
  const out = { edited: 0, unchanged: 0, ambiguous: 0, 'not-found': 0, unsupported: 0 };
  for (const o of outcomes) out[o.status]++;
  return out;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function where(outcome: ContainerOutcome): string {
  return outcome.location ? ` at ${displayText(outcome.location.path)}:${outcome.location.line}` : '';
}

function outcomeLine(o: ContainerOutcome): string {
  const fields = o.changes.map((c) => `${c.which}.${c.resource} ${c.from ?? 'unset'} → ${c.to ?? 'removed'}`);
  const head = `${o.kind} ${o.namespace}/${o.name} container ${o.container}: ${o.status}${where(o)}`;
  const reason = o.reason ? ` (${displayText(o.reason)})` : '';
  const candidates = o.candidates.map(
    (c) => `; candidate ${displayText(c.description)} at ${displayText(c.path)}:${c.line}`,
  );
  return `  ${head}${reason}${fields.length > 0 ? `: ${fields.join(', ')}` : ''}${candidates.join('')}`;
}

/** Every row with its outcome and reason, the engine's notes and unreadable files: what "Show Details" opens. */
export function logWriteDetails(result: WriteResult, readErrors: readonly FileError[], log: Log): void {
  if (result.status === 'refused') {
    log.info(`Workspace manifests: nothing written: ${displayText(result.message)}`);
    return;
  }
  const plan = result.plan;
  log.info(`Workspace manifests: ${result.status} (${plural(plan?.containers.length ?? 0, 'container')})`);
  for (const outcome of plan?.containers ?? []) log.info(outcomeLine(outcome));
  for (const skipped of result.skipped)
    log.info(`  skipped ${skipped.id}${skipped.field ? ` ${skipped.field}` : ''}: ${skipped.reason}`);
  for (const note of plan?.notes ?? []) log.info(`  note: ${displayText(note)}`);
  for (const error of [...readErrors, ...(plan?.fileErrors ?? [])])
    log.info(`  file not used: ${displayText(error.path)}: ${displayText(error.message)}`);
}

/** The notification after the command: how many were written and how many were not, by why. */
export function writeSummary(result: WriteResult): { text: string; warning: boolean } {
  if (result.status === 'refused')
    return { text: `krr-mcp: nothing written: ${displayText(result.message)}`, warning: true };
  if (result.status === 'discarded')
    return {
      text: 'krr-mcp: nothing was written (the preview was discarded, or VS Code could not apply the edit).',
      warning: false,
    };
  const n = counts(result.plan?.containers ?? []);
  const others = (Object.keys(STATUS_WORDS) as Array<keyof typeof STATUS_WORDS>)
    .filter((status) => n[status] > 0)
    .map((status) => `${n[status]} ${STATUS_WORDS[status]}`);
  if (result.skipped.length > 0) others.push(`${result.skipped.length} without a value krr could compute`);
  const rest = others.length > 0 ? ` ${others.join(', ')}.` : '';
  if (result.status === 'nothing')
    return { text: `krr-mcp: nothing to write to the workspace.${rest}`, warning: false };
  const files = result.plan.edits.length;
  return {
    text: `krr-mcp: wrote ${plural(n.edited, 'container')} into ${plural(files, 'file')} (not saved).${rest}`,
    warning: false,
  };
}
