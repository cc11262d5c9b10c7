import * as vscode from 'vscode';
import { z } from 'zod';
import type { VerificationUpdate } from '../../core/approval/verification-runner.js';
import type { RecommendationsProvider } from '../tree/recommendations-provider.js';
import { VerificationDocuments } from './verification-documents.js';
import { VerificationNotifier } from './verification-notifications.js';
import { VerificationStatus } from './verification-status.js';

export interface VerificationPresenter {
  /** Give every update the authority reports here (ExtensionAuthority's onVerification). */
  onVerification(update: VerificationUpdate): void;
  readonly status: VerificationStatus;
  readonly disposables: vscode.Disposable[];
}

/** A workload row whose verification offers a rollback (verification-marks.ts puts it in the menu). */
const RowWithRollback = z.object({
  context: z.string(),
  verification: z.object({ rollbackId: z.string(), rollback: z.literal(false) }),
});

/**
 * After the click: the tree shows each workload's verification, a notification tells its end, and the
 * workload row's "Roll Back…" runs the rollback command for that apply (which asks in the approval panel).
 */
export function registerVerification(deps: {
  log: vscode.LogOutputChannel;
  tree: RecommendationsProvider;
}): VerificationPresenter {
  const status = new VerificationStatus();
  const documents = new VerificationDocuments();
  const notifier = new VerificationNotifier({ log: deps.log, documents });
  deps.tree.options.verifications = status;
  const disposables: vscode.Disposable[] = [
    status,
    documents,
    notifier,
    status.onDidChange(() => deps.tree.refresh()),
    vscode.commands.registerCommand('krrMcp.rollBackWorkload', async (node?: unknown) => {
      const row = RowWithRollback.safeParse(node);
      // From the palette, or a row that offers no rollback: the ordinary command, which asks which apply.
      await vscode.commands.executeCommand(
        'krrMcp.rollback',
        row.success ? { rollbackId: row.data.verification.rollbackId, context: row.data.context } : undefined,
      );
    }),
    { dispose: () => (deps.tree.options.verifications = undefined) },
  ];
  return {
    status,
    disposables,
    onVerification(update) {
      if (update.state === 'running') deps.log.debug(`Verification ${update.verificationId}: running`);
      status.update(update);
      notifier
        .notify(update)
        .catch((error: Error) =>
          deps.log.error(`Verification ${update.verificationId}: the notification failed: ${error.message}`),
        );
    },
  };
}
