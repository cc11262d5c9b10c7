import * as vscode from 'vscode';
import type { VerificationUpdate } from '../../core/approval/verification-runner.js';
import { verificationDocument } from './verification-text.js';

export const VERIFICATION_SCHEME = 'krr-mcp-verification';

/**
 * "Show Details": a verification's verdicts and evidence as a read-only text document (a record to read,
 * not a file to edit or save). Plain text, so nothing the cluster wrote is interpreted.
 */
export class VerificationDocuments implements vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly registration: vscode.Disposable;

  constructor() {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(VERIFICATION_SCHEME, {
      provideTextDocumentContent: (uri) => this.texts.get(uri.path) ?? '',
    });
  }

  async show(update: VerificationUpdate): Promise<void> {
    // The verification id is base64url: safe in a path. A new path per opening, so it is never stale.
    const path = `/${update.verificationId}/${Date.now()}/verification.txt`;
    this.texts.set(path, verificationDocument(update));
    const document = await vscode.workspace.openTextDocument(
      vscode.Uri.parse(`${VERIFICATION_SCHEME}:${path}`),
    );
    await vscode.window.showTextDocument(document, { preview: false });
  }

  dispose(): void {
    this.registration.dispose();
    this.texts.clear();
  }
}
