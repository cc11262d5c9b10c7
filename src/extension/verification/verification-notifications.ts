import * as vscode from 'vscode';
import type { VerificationUpdate } from '../../core/approval/verification-runner.js';
import type { VerificationDocuments } from './verification-documents.js';
import { stoppedMessage, verdictMessage } from './verification-text.js';

export const ROLL_BACK = 'Roll Back…';
export const SHOW_DETAILS = 'Show Details';

/**
 * One notification per verification, when it ends: the verdict, or that it stopped without one. "Roll Back…"
 * only runs the rollback command for that apply, which opens the approval panel: nothing is undone without
 * the person's click there. A verification of a rollback offers no rollback of it.
 */
export class VerificationNotifier implements vscode.Disposable {
  private readonly told = new Set<string>();
  private disposed = false;

  constructor(private readonly deps: { log: vscode.LogOutputChannel; documents: VerificationDocuments }) {}

  /** Resolves once the person answered the notification (or dismissed it). */
  async notify(update: VerificationUpdate): Promise<void> {
    if (update.state === 'running' || this.disposed || this.told.has(update.verificationId)) return;
    this.told.add(update.verificationId);
    const verdict = update.result?.verdict;
    this.deps.log.info(
      `Verification ${update.verificationId} of rollback id ${update.rollbackId}: ${verdict ?? `stopped (${update.error ?? 'no reason'})`}`,
    );
    let answer: string | undefined;
    if (!verdict) {
      answer = await vscode.window.showWarningMessage(stoppedMessage(update), SHOW_DETAILS);
    } else if (verdict === 'healthy') {
      answer = await vscode.window.showInformationMessage(verdictMessage(update), SHOW_DETAILS);
    } else {
      const show = verdict === 'failed' ? vscode.window.showErrorMessage : vscode.window.showWarningMessage;
      const actions = update.rollback ? [SHOW_DETAILS] : [ROLL_BACK, SHOW_DETAILS];
      answer = await show(verdictMessage(update), ...actions);
    }
    if (answer === ROLL_BACK) {
      this.deps.log.info(`Roll Back… chosen for rollback id ${update.rollbackId}: asking for approval`);
      await vscode.commands.executeCommand('krrMcp.rollback', {
        rollbackId: update.rollbackId,
        context: update.context,
      });
    } else if (answer === SHOW_DETAILS) {
      await this.deps.documents.show(update);
    }
  }

  dispose(): void {
    this.disposed = true;
  }
}
