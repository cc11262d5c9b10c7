import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import {
  RollbackParamsSchema,
  type ApplyResultSummary,
  type ConfirmationResult,
} from '../core/approval/change-protocol.js';
import { queryHistory } from '../core/audit/history.js';
import { buildChangePlan } from '../core/changes/plan-builder.js';
import { changeRequestFromRecommendations } from '../core/changes/recommendations.js';
import { recommendationId, type RecommendationItem } from '../core/recommend/recommendation-items.js';
import type { EditorKubeContext } from './kube-context.js';
import type { LazyAuthority } from './lazy-authority.js';
import type { ObservedUsage } from '../core/scan/scanner.js';
import type { ScanController } from './scan-controller.js';
import { pricesOf, readSettings, safetyRulesOf } from './settings.js';
import { explainError } from '../core/input/parameters.js';
import { SETTING_PARAMETER_NAMES } from './parameter-names.js';

export const PREVIEW_SCHEME = 'krr-mcp-preview';

export interface ChangeCommandDependencies {
  log: vscode.LogOutputChannel;
  kube: EditorKubeContext;
  scans: ScanController;
  authority: LazyAuthority;
  auditLogPath(): string;
}

/** Tree nodes carry their recommendations: a container node one, a workload node all of its containers. */
function itemsOf(node: unknown, selected: unknown): RecommendationItem[] {
  const nodes = Array.isArray(selected) && selected.length > 0 ? selected : node ? [node] : [];
  return nodes.flatMap((n) => {
    const candidate = n as { item?: RecommendationItem; items?: readonly RecommendationItem[] };
    return candidate.item ? [candidate.item] : candidate.items ? [...candidate.items] : [];
  });
}

/** Without a tree selection: the applicable recommendations of one namespace, picked from a list. */
async function pickItems(scans: ScanController): Promise<RecommendationItem[]> {
  const items = (scans.snapshot()?.items ?? []).filter(
    (i) => i.severity === 'CRITICAL' || i.severity === 'WARNING',
  );
  if (items.length === 0) {
    void vscode.window.showInformationMessage(
      'krr-mcp: nothing to change. Scan the cluster first ("krr-mcp: Scan Cluster").',
    );
    return [];
  }
  const namespaces = [...new Set(items.map((i) => i.namespace))].sort();
  const picked = await vscode.window.showQuickPick(
    namespaces.map((ns) => ({
      label: ns,
      description: `${items.filter((i) => i.namespace === ns).length} recommendation(s)`,
    })),
    { placeHolder: 'Namespace whose CRITICAL and WARNING recommendations to change' },
  );
  return picked ? items.filter((i) => i.namespace === picked.label) : [];
}

/**
 * The context of the selected items, from the scan that holds them; a selection across contexts is refused
 * (one plan is one cluster). Rows of a scan still running belong to no complete scan yet.
 */
function contextOf(items: readonly RecommendationItem[], scans: ScanController): string | undefined {
  const contexts = new Set(items.map((item) => scans.contextOf(item.id)));
  if (contexts.size > 1) {
    void vscode.window.showWarningMessage(
      contexts.has(undefined)
        ? 'krr-mcp: some of the selected rows come from a scan that is still running; act on them once it completes.'
        : 'krr-mcp: the selection spans several contexts; select recommendations of one context at a time.',
    );
    return undefined;
  }
  const [context] = contexts;
  if (context === undefined)
    void vscode.window.showInformationMessage(
      'krr-mcp: nothing to change for this selection: its scan is still running or no longer the last one.',
    );
  return context;
}

/** The change request for items of one context's last complete scan, with its usage for the safety rules. */
function requestFor(
  scans: ScanController,
  context: string,
  items: RecommendationItem[],
): ReturnType<typeof changeRequestFromRecommendations> & { observed?: Map<string, ObservedUsage> } {
  const scan = scans.forContext(context);
  const result = scan?.result();
  if (!scan || !result)
    return { request: null, skipped: [{ id: context, reason: `${context} has no complete scan` }] };
  return {
    observed: scan.observed(),
    ...changeRequestFromRecommendations(
      result.scans,
      items.map((i) => i.id),
      (row) => recommendationId(context, row),
    ),
  };
}

export function registerChangeCommands(deps: ChangeCommandDependencies): vscode.Disposable[] {
  const documents = new Map<string, string>();
  const provider: vscode.TextDocumentContentProvider = {
    provideTextDocumentContent: (uri) => documents.get(uri.path) ?? '',
  };
  return [
    vscode.workspace.registerTextDocumentContentProvider(PREVIEW_SCHEME, provider),
    vscode.commands.registerCommand('krrMcp.previewChanges', (node?: unknown, selected?: unknown) =>
      preview(deps, documents, node, selected),
    ),
    vscode.commands.registerCommand('krrMcp.apply', (node?: unknown, selected?: unknown) =>
      apply(deps, node, selected),
    ),
    vscode.commands.registerCommand('krrMcp.rollback', (target?: unknown) => rollback(deps, target)),
    vscode.commands.registerCommand('krrMcp.showHistory', () => showHistory(deps, documents)),
  ];
}

/** The API server's dry-run, side by side with the live object, in the built-in diff editor. */
async function preview(
  deps: ChangeCommandDependencies,
  documents: Map<string, string>,
  node: unknown,
  selected: unknown,
): Promise<void> {
  const items = itemsOf(node, selected);
  const chosen = items.length > 0 ? items : await pickItems(deps.scans);
  if (chosen.length === 0) return;
  const settings = readSettings(vscode.workspace.getConfiguration('krrMcp'));
  if (!settings.ok) {
    void vscode.window.showErrorMessage(`krr-mcp settings: ${settings.error}`);
    return;
  }
  const context = contextOf(chosen, deps.scans);
  if (context === undefined) return;
  const { request, skipped, observed } = requestFor(deps.scans, context, chosen);
  if (!request) {
    void vscode.window.showInformationMessage(
      `krr-mcp: nothing to preview (${skipped.map((s) => s.reason).join('; ') || 'no scan'}).`,
    );
    return;
  }
  try {
    const plan = await buildChangePlan(deps.kube.target(context), request, {
      safety: safetyRulesOf(settings.value),
      prices: pricesOf(settings.value),
      observed: observed ?? new Map(),
    });
    for (const w of plan.workloads) {
      const label = `${w.target.kind} ${w.target.namespace}/${w.target.name}`;
      if (!w.yaml) {
        void vscode.window.showWarningMessage(
          `krr-mcp: ${label}: ${w.blocks.join('; ') || 'nothing to change'}`,
        );
        continue;
      }
      const key = `/${plan.id}/${w.target.namespace}/${w.target.kind}/${w.target.name}`;
      documents.set(`${key}/live.yaml`, w.yaml.live);
      documents.set(`${key}/dry-run.yaml`, w.yaml.dryRun);
      await vscode.commands.executeCommand(
        'vscode.diff',
        vscode.Uri.parse(`${PREVIEW_SCHEME}:${key}/live.yaml`),
        vscode.Uri.parse(`${PREVIEW_SCHEME}:${key}/dry-run.yaml`),
        `${label}: live ↔ dry-run (risk ${w.risk.level})`,
      );
    }
    if (plan.blocks.length > 0)
      void vscode.window.showWarningMessage(
        `krr-mcp: this change would be blocked: ${plan.blocks.join('; ')}`,
      );
  } catch (error) {
    const message = explainError(error, SETTING_PARAMETER_NAMES);
    deps.log.error(message);
    void vscode.window.showErrorMessage(`krr-mcp: ${message}`);
  }
}

/** Through the same authority and approval panel as agents: nothing is written without the click. */
async function apply(deps: ChangeCommandDependencies, node: unknown, selected: unknown): Promise<void> {
  const items = itemsOf(node, selected);
  const chosen = items.length > 0 ? items : await pickItems(deps.scans);
  if (chosen.length === 0) return;
  const context = contextOf(chosen, deps.scans);
  if (context === undefined) return;
  const { request, skipped, observed } = requestFor(deps.scans, context, chosen);
  if (!request) {
    void vscode.window.showInformationMessage(
      `krr-mcp: nothing to apply for this selection (${skipped.map((s) => s.reason).join('; ') || 'no scan'}).`,
    );
    return;
  }
  await confirmAndApply(deps, (authority, ctx) =>
    authority.changes.confirm(
      {
        planId: `editor-${randomBytes(9).toString('base64url')}`,
        context,
        request,
        observed: [...(observed ?? new Map())],
      },
      ctx,
    ),
  );
}

/**
 * What "Roll Back…" on a verification passes: the apply to undo and the context it was made in. Anything
 * else (the palette passes nothing) asks which apply. Either way the approval panel asks before anything.
 */
const RollbackTarget = RollbackParamsSchema.pick({ rollbackId: true, context: true });

async function rollback(deps: ChangeCommandDependencies, target?: unknown): Promise<void> {
  const given = RollbackTarget.safeParse(target);
  if (given.success) {
    const { rollbackId, context } = given.data;
    await confirmAndApply(
      deps,
      (authority, ctx) =>
        authority.changes.rollback({ rollbackId, context }, ctx) as Promise<ConfirmationResult>,
    );
    return;
  }
  const history = await queryHistory(deps.auditLogPath(), { operation: ['apply_completed'], limit: 50 });
  const applies = history.records
    .map((r) => ({ record: r, rollbackId: (r.details as { rollbackId?: string } | undefined)?.rollbackId }))
    .filter(
      (r): r is { record: (typeof history.records)[number]; rollbackId: string } =>
        typeof r.rollbackId === 'string',
    );
  if (applies.length === 0) {
    void vscode.window.showInformationMessage('krr-mcp: no applied change to roll back.');
    return;
  }
  const picked = await vscode.window.showQuickPick(
    applies.map((a) => ({ label: a.rollbackId, description: a.record.time })),
    { placeHolder: 'The apply to undo' },
  );
  const context = deps.kube.identity()?.context;
  if (!picked || !context) return;
  await confirmAndApply(
    deps,
    (authority, ctx) =>
      authority.changes.rollback({ rollbackId: picked.label, context }, ctx) as Promise<ConfirmationResult>,
  );
}

async function confirmAndApply(
  deps: ChangeCommandDependencies,
  confirm: (
    authority: Awaited<ReturnType<LazyAuthority['get']>>,
    ctx: { progress(message: string): void; signal: AbortSignal },
  ) => Promise<ConfirmationResult>,
): Promise<void> {
  try {
    const authority = await deps.authority.get();
    const abort = new AbortController();
    const answer = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: 'krr-mcp: waiting for your approval in the panel',
        cancellable: true,
      },
      (progress, token) => {
        token.onCancellationRequested(() => abort.abort());
        return confirm(authority, {
          progress: (message) => progress.report({ message }),
          signal: abort.signal,
        });
      },
    );
    if (answer.status !== 'approved' || !answer.token) {
      void vscode.window.showInformationMessage(`krr-mcp: ${answer.message}`);
      return;
    }
    const result: ApplyResultSummary = await authority.changes.apply(answer.token, false);
    const show =
      result.status === 'applied' ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
    // The authority's onApplied rescans (for every apply, also an agent's).
    void show(`krr-mcp: ${result.message}`);
  } catch (error) {
    const message = explainError(error, SETTING_PARAMETER_NAMES);
    deps.log.error(message);
    void vscode.window.showErrorMessage(`krr-mcp: ${message}`);
  }
}

/**
 * The audit history as a read-only JSON document, newest first. Read-only because it is a record, and so that
 * closing it asks nothing; each opening is a new document, so it is never a stale copy.
 */
async function showHistory(deps: ChangeCommandDependencies, documents: Map<string, string>): Promise<void> {
  const page = await queryHistory(deps.auditLogPath(), { limit: 500 });
  const path = `history/${Date.now()}/execution-history.json`;
  documents.set(path, JSON.stringify(page.records, null, 2));
  const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(`${PREVIEW_SCHEME}:${path}`));
  await vscode.window.showTextDocument(document, { preview: false });
}
