import * as vscode from 'vscode';
import type { RecommendationItem } from '../../core/recommend/recommendation-items.js';
import { quantityText, savingsText } from './change-description.js';
import type { RecommendationSnapshot } from './recommendation-source.js';
import { AT_RISK_MARK, isAtRisk } from './risk-marks.js';

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

export function contextTooltip(snapshot: RecommendationSnapshot): vscode.MarkdownString {
  const markdown = untrusted();
  markdown.appendMarkdown('Context ');
  markdown.appendText(snapshot.context);
  markdown.appendMarkdown(' at ');
  markdown.appendText(snapshot.server);
  markdown.appendMarkdown(`\n\nScanned ${snapshot.scannedAt.toISOString()}`);
  return markdown;
}
