import * as vscode from 'vscode';
import { verifyAuditLog } from '../core/audit/verify.js';
import type { Severity } from '../core/recommend/model.js';
import type { EditorKubeContext } from './kube-context.js';
import type { ScanController } from './scan-controller.js';
import { SCAN_CONTEXT_COMMAND } from './tree/nodes/context-status-node.js';
import { TreeNode } from './tree/nodes/tree-node.js';
import {
  clearFilter,
  setFilter,
  setSort,
  showMore,
  type RecommendationsView,
} from './tree/recommendations-view.js';

export const PROMETHEUS_TOKEN_KEY = 'krrMcp.prometheusToken';

export interface CommandDependencies {
  log: vscode.LogOutputChannel;
  kube: EditorKubeContext;
  secrets: vscode.SecretStorage;
  scans: ScanController;
  view: RecommendationsView;
  /** Where the authority keeps its audit log. */
  auditLogPath(): string;
}

/** Every command the extension contributes, registered in one place. */
export function registerCommands(deps: CommandDependencies): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('krrMcp.scan', () => deps.scans.scan()),
    vscode.commands.registerCommand('krrMcp.refresh', () => deps.scans.scan()),
    vscode.commands.registerCommand(SCAN_CONTEXT_COMMAND, (target?: unknown) => scanContext(deps, target)),
    vscode.commands.registerCommand('krrMcp.showMore', (parentId: unknown) => showMore(deps.view, parentId)),
    vscode.commands.registerCommand('krrMcp.filter', () => chooseFilter(deps)),
    vscode.commands.registerCommand('krrMcp.clearFilter', () => clearFilter(deps.view)),
    vscode.commands.registerCommand('krrMcp.sortBySavings', () => setSort(deps.view, 'savings')),
    vscode.commands.registerCommand('krrMcp.sortByName', () => setSort(deps.view, 'name')),
    vscode.commands.registerCommand('krrMcp.openScanJson', () => openScanJson(deps)),
    vscode.commands.registerCommand('krrMcp.selectContext', () => selectContext(deps)),
    vscode.commands.registerCommand('krrMcp.configurePrometheus', () => configurePrometheus(deps)),
    vscode.commands.registerCommand('krrMcp.verifyAuditLog', () => verifyAudit(deps)),
    vscode.commands.registerCommand('krrMcp.showLogs', () => deps.log.show()),
  ];
}

/**
 * Scans one context: the tree's Scan action passes its row (a root, whose id is the context), "Scan again"
 * the name; from the palette, the person picks one.
 */
async function scanContext({ kube, scans }: CommandDependencies, target: unknown): Promise<void> {
  const given =
    typeof target === 'string'
      ? target
      : target instanceof TreeNode && !target.parent
        ? target.context
        : undefined;
  if (given !== undefined) return scans.scanNamed(given);
  const current = kube.identity()?.context;
  const picked = await vscode.window.showQuickPick(
    kube.contexts().map((name) => ({ label: name, description: name === current ? 'current' : '' })),
    { placeHolder: 'Kubernetes context to scan (each context is a root of the Recommendations view)' },
  );
  if (picked) await scans.scanNamed(picked.label);
}

/** Switches krr-mcp's context without touching the kubeconfig's current-context. */
async function selectContext({ kube, log }: CommandDependencies): Promise<void> {
  const contexts = kube.contexts();
  if (contexts.length === 0) {
    void vscode.window.showErrorMessage(
      'krr-mcp: no kubeconfig contexts found (set krrMcp.kubeconfig or KUBECONFIG).',
    );
    return;
  }
  const current = kube.identity()?.context;
  const picked = await vscode.window.showQuickPick(
    contexts.map((name) => ({ label: name, description: name === current ? 'current' : '' })),
    { placeHolder: 'Kubernetes context for krr-mcp (your kubeconfig is not changed)' },
  );
  if (!picked) return;
  await kube.choose(picked.label);
  log.info(`Context set to ${picked.label}`);
}

/** URL in settings; the bearer token in SecretStorage, never in settings. */
async function configurePrometheus({ secrets }: CommandDependencies): Promise<void> {
  const config = vscode.workspace.getConfiguration('krrMcp');
  const url = await vscode.window.showInputBox({
    prompt: 'Prometheus URL (empty: find it in the cluster)',
    value: config.get<string>('prometheusUrl') ?? '',
    validateInput: (value) =>
      value === '' || /^https?:\/\/[^\s]+$/.test(value) ? undefined : 'An http:// or https:// URL, or empty',
  });
  if (url === undefined) return;
  await config.update('prometheusUrl', url, vscode.ConfigurationTarget.Global);
  const token = await vscode.window.showInputBox({
    prompt: 'Bearer token for Prometheus (empty: none)',
    password: true,
  });
  if (token === undefined) return;
  if (token) await secrets.store(PROMETHEUS_TOKEN_KEY, token);
  else await secrets.delete(PROMETHEUS_TOKEN_KEY);
  void vscode.window.showInformationMessage(
    `krr-mcp: Prometheus ${url || 'discovery'} saved${token ? ' with a token in secret storage' : ''}.`,
  );
}

async function verifyAudit({ auditLogPath, log }: CommandDependencies): Promise<void> {
  const path = auditLogPath();
  try {
    const report = await verifyAuditLog(path);
    if (report.ok) {
      void vscode.window.showInformationMessage(
        `krr-mcp: the audit log is intact (${report.records} records).`,
      );
    } else {
      const first = report.problems[0];
      log.warn(`audit log problems: ${JSON.stringify(report.problems)}`);
      void vscode.window.showErrorMessage(
        `krr-mcp: the audit log was tampered with: ${report.problems.length} problem(s), first at line ${first?.line}: ${first?.message}`,
      );
    }
  } catch (error) {
    void vscode.window.showErrorMessage(`krr-mcp: cannot verify ${path}: ${(error as Error).message}`);
  }
}

const SEVERITIES: Severity[] = ['CRITICAL', 'WARNING', 'OK', 'GOOD', 'UNKNOWN'];

/** Severity first, then namespaces and kinds from every context's last scan (each step may be skipped). */
async function chooseFilter({ scans, view }: CommandDependencies): Promise<void> {
  const items = scans.allItems();
  const severity = await vscode.window.showQuickPick(
    SEVERITIES.map((s) => ({ label: s, description: `${s} or worse` })),
    { placeHolder: 'Show recommendations at least this severe (Escape: all)' },
  );
  const namespaces = await vscode.window.showQuickPick(
    [...new Set(items.map((i) => i.namespace))].sort().map((label) => ({ label })),
    { placeHolder: 'Namespaces (none selected: all)', canPickMany: true },
  );
  const kinds = await vscode.window.showQuickPick(
    [...new Set(items.map((i) => i.kind))].sort().map((label) => ({ label })),
    { placeHolder: 'Kinds (none selected: all)', canPickMany: true },
  );
  setFilter(view, {
    ...(severity ? { minSeverity: severity.label as Severity } : {}),
    ...(namespaces?.length ? { namespaces: new Set(namespaces.map((n) => n.label)) } : {}),
    ...(kinds?.length ? { kinds: new Set(kinds.map((k) => k.label)) } : {}),
  });
}

/** The last scan in krr's JSON schema, as a read-only-ish untitled document. */
async function openScanJson({ scans }: CommandDependencies): Promise<void> {
  const result = scans.result();
  if (!result) {
    void vscode.window.showInformationMessage('krr-mcp: no scan yet. Run "krr-mcp: Scan Cluster" first.');
    return;
  }
  const document = await vscode.workspace.openTextDocument({
    language: 'json',
    content: JSON.stringify(result, null, 2),
  });
  await vscode.window.showTextDocument(document, { preview: false });
}
