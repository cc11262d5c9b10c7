import * as vscode from 'vscode';
import type { RecommendationItem } from '../../core/recommend/recommendation-items.js';
import { quantityText, savingsText } from './change-description.js';
import type { RecommendationSnapshot } from './recommendation-source.js';
import { AT_RISK_MARK, isAtRisk } from './risk-marks.js';
import { verificationMark } from './verification-marks.js';
import type { WorkloadVerification } from './workload-verifications.js';

// Everything here comes from the cluster or from Prometheus. It goes through appendText, which escapes
// Markdown, and the string is never trusted, so a workload named `[x](command:…)` stays text.

/** Theme icons stay off: with them on, a name containing `$(…)` would render as an icon. */
function untrusted(): vscode.MarkdownString {
  const markdown = new vscode.MarkdownString();
  markdown.isTrusted = false;
  markdown.supportHtml = false;
  return markdown;
}

function appendResourceTable(markdown: vscode.MarkdownString, item: RecommendationItem): void {
  markdown.appendMarkdown('\n\n| | Current | Recommended |\n|---|---|---|\n');
  const rows: Array<[string, string | null, string | null]> = [
    ['CPU request', item.current.requests.cpu, item.recommended.requests.cpu],
    ['CPU limit', item.current.limits.cpu, item.recommended.limits.cpu],
    ['Memory request', item.current.requests.memory, item.recommended.requests.memory],
    ['Memory limit', item.current.limits.memory, item.recommended.limits.memory],
  ];
  for (const [label, current, recommended] of rows) {
    markdown.appendMarkdown(`| ${label} | `);
    markdown.appendText(quantityText(current));
    markdown.appendMarkdown(' | ');
    markdown.appendText(quantityText(recommended));
    markdown.appendMarkdown(' |\n');
  }
}

/** The reasons a container is at risk already, one per line; `label` names the container in a workload's list. */
function appendRiskReasons(markdown: vscode.MarkdownString, item: RecommendationItem, label?: string): void {
  for (const reason of item.risk_signals?.reasons ?? []) {
    markdown.appendMarkdown('\n- ');
    markdown.appendText(label ? `${label}: ${reason}` : reason);
  }
}

function appendWorkloadHeading(markdown: vscode.MarkdownString, item: RecommendationItem): void {
  markdown.appendMarkdown('**');
  markdown.appendText(`${item.kind} ${item.namespace}/${item.name}`);
  markdown.appendMarkdown('**');
}

export function containerTooltip(item: RecommendationItem): vscode.MarkdownString {
  const markdown = untrusted();
  appendWorkloadHeading(markdown, item);
  markdown.appendMarkdown('\n\nContainer ');
  markdown.appendText(item.container);
  markdown.appendMarkdown(` · ${item.severity}`);
  if (isAtRisk(item)) {
    markdown.appendMarkdown(`\n\n**${AT_RISK_MARK} already:**\n`);
    appendRiskReasons(markdown, item);
  }
  appendResourceTable(markdown, item);
  for (const [resource, info] of [
    ['CPU', item.info.cpu],
    ['Memory', item.info.memory],
  ] as const) {
    if (!info) continue;
    markdown.appendMarkdown(`\n\n${resource}: `);
    markdown.appendText(info);
  }
  for (const warning of item.warnings) {
    markdown.appendMarkdown('\n\n⚠ ');
    markdown.appendText(warning);
  }
  if (item.hpa)
    markdown.appendMarkdown(
      '\n\nScaled by a HorizontalPodAutoscaler: check its targets before changing requests.',
    );
  markdown.appendMarkdown(`\n\nPods: ${item.pods_running} running, ${item.pods_deleted} deleted`);
  const savings = savingsText(item.monthly_savings_usd);
  if (savings) markdown.appendMarkdown(`\n\nMonthly: ${savings}`);
  return markdown;
}

export function workloadTooltip(items: readonly RecommendationItem[]): vscode.MarkdownString | undefined {
  const first = items[0];
  if (!first) return undefined;
  const markdown = untrusted();
  appendWorkloadHeading(markdown, first);
  for (const item of items) {
    markdown.appendMarkdown('\n\n- ');
    markdown.appendText(item.container);
    markdown.appendMarkdown(`: ${item.severity}`);
    if (isAtRisk(item)) markdown.appendMarkdown(` · ${AT_RISK_MARK}`);
  }
  const atRisk = items.filter(isAtRisk);
  if (atRisk.length > 0) {
    markdown.appendMarkdown(`\n\n**${AT_RISK_MARK} already:**\n`);
    for (const item of atRisk) appendRiskReasons(markdown, item, item.container);
  }
  const total = items.reduce((sum, item) => sum + item.monthly_savings_usd, 0);
  const savings = savingsText(Math.round(total * 100) / 100);
  if (savings) markdown.appendMarkdown(`\n\nMonthly: ${savings}`);
  if (first.hpa) markdown.appendMarkdown('\n\nScaled by a HorizontalPodAutoscaler.');
  return markdown;
}

/** Evidence lines shown in a tooltip; the rest is in the verification's details document. */
const TOOLTIP_EVIDENCE_LINES = 8;
const SEVERITY_MARKS = { failure: '✗', warning: '⚠', info: '·' } as const;

/** The verification after an apply: its state, then its evidence, problems first (all of it cluster text). */
export function appendVerification(
  markdown: vscode.MarkdownString,
  verification: WorkloadVerification,
): void {
  markdown.appendMarkdown('\n\n**After the apply:** ');
  markdown.appendText(verificationMark(verification) ?? '');
  if (verification.rollback) markdown.appendMarkdown(' (the apply was a rollback)');
  if (verification.error) {
    markdown.appendMarkdown('\n\n');
    markdown.appendText(verification.error);
  }
  const order = { failure: 0, warning: 1, info: 2 } as const;
  const evidence = [...(verification.verdict?.evidence ?? [])].sort(
    (a, b) => order[a.severity] - order[b.severity],
  );
  for (const line of evidence.slice(0, TOOLTIP_EVIDENCE_LINES)) {
    markdown.appendMarkdown('\n- ');
    markdown.appendText(`${SEVERITY_MARKS[line.severity]} ${line.message}`);
  }
  if (evidence.length > TOOLTIP_EVIDENCE_LINES)
    markdown.appendMarkdown(`\n- … ${evidence.length - TOOLTIP_EVIDENCE_LINES} more`);
  markdown.appendMarkdown('\n\nRollback id ');
  markdown.appendText(verification.rollbackId);
}

export function contextTooltip(snapshot: RecommendationSnapshot): vscode.MarkdownString {
  const markdown = untrusted();
  markdown.appendMarkdown('Context ');
  markdown.appendText(snapshot.context);
  markdown.appendMarkdown(' at ');
  markdown.appendText(snapshot.server);
  markdown.appendMarkdown(`\n\nScanned ${snapshot.scannedAt.toISOString()}`);
  return markdown;
}
