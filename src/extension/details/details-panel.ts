import * as vscode from 'vscode';
import { shellHost, panelResourceRoots } from '../approval/panel-assets.js';
import {
  DETAILS_PANEL_ID_META,
  DetailsPageMessageSchema,
  DetailsViewSchema,
  type DetailsHostMessage,
  type DetailsView,
} from '../approval/panel-protocol.js';
import { randomId } from '../approval/random-id.js';
import { panelHtml } from '../approval/webview-shell.js';

type Content = { type: 'loading'; what: string } | { type: 'show'; view: DetailsView };

/**
 * The Recommendation Details panel: one, reused for each selection. Read-only, but built like the approval
 * panel (nonce-only CSP, data only by message, text only in the page), since it shows the same cluster data.
 */
export class DetailsPanel implements vscode.Disposable {
  static readonly viewType = 'krrMcp.details';
  private panel: vscode.WebviewPanel | undefined;
  private panelId = '';
  private content: Content | undefined;

  constructor(private readonly deps: { extensionUri: vscode.Uri; log: vscode.LogOutputChannel }) {}

  show(title: string, content: Content): void {
    const checked = content.type === 'show' ? DetailsViewSchema.safeParse(content.view) : undefined;
    if (checked && !checked.success) {
      this.deps.log.error(`Details panel: view unusable (${checked.error.message})`);
      this.content = { type: 'loading', what: 'These details could not be shown (see the krr-mcp log).' };
    } else {
      this.content = content;
    }
    const panel = this.panel ?? this.create();
    panel.title = title;
    panel.reveal(undefined, false);
    // The page asks with `ready` when it (re)loads; until then there is nobody to post to.
    this.post();
  }

  private create(): vscode.WebviewPanel {
    const panel = vscode.window.createWebviewPanel(
      DetailsPanel.viewType,
      'Recommendation Details',
      { viewColumn: vscode.ViewColumn.Active, preserveFocus: false },
      {
        enableScripts: true,
        enableForms: false,
        localResourceRoots: panelResourceRoots(this.deps.extensionUri),
      },
    );
    this.panelId = randomId();
    const subscriptions = [
      panel.webview.onDidReceiveMessage((message: unknown) => this.receive(message)),
      panel.onDidDispose(() => {
        for (const s of subscriptions) s.dispose();
        this.panel = undefined;
      }),
    ];
    panel.webview.html = panelHtml(shellHost(panel.webview, this.deps.extensionUri), {
      page: 'details',
      title: 'Recommendation Details',
      idMeta: { name: DETAILS_PANEL_ID_META, value: this.panelId },
      mainId: 'details',
      loading: 'Loading…',
      nonce: randomId(),
    });
    this.panel = panel;
    return panel;
  }

  private receive(raw: unknown): void {
    const parsed = DetailsPageMessageSchema.safeParse(raw);
    if (!parsed.success || parsed.data.panelId !== this.panelId) {
      this.deps.log.warn('Details panel: ignored a malformed message or one for another panel');
      return;
    }
    if (parsed.data.type === 'ready') this.post();
    else
      this.deps.log.warn(
        `Details panel: the page reported a Content-Security-Policy violation (${parsed.data.directive}: ${parsed.data.blocked})`,
      );
  }

  private post(): void {
    if (!this.panel || !this.content) return;
    const message: DetailsHostMessage = { ...this.content, panelId: this.panelId };
    Promise.resolve(this.panel.webview.postMessage(message)).catch((error: unknown) =>
      this.deps.log.warn(`Details panel: could not post ${message.type}: ${String(error)}`),
    );
  }

  dispose(): void {
    this.panel?.dispose();
  }
}
