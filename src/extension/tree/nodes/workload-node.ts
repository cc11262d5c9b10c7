import * as vscode from 'vscode';
import type { RecommendationItem } from '../../../core/recommend/recommendation-items.js';
import { isApplicable } from '../applicability.js';
import { savingsText } from '../change-description.js';
import type { Workload } from '../grouping.js';
import { atRiskMark } from '../risk-marks.js';
import { severityIcon } from '../severity.js';
import { appendVerification, workloadTooltip } from '../tooltips.js';
import type { TreeOptions } from '../tree-options.js';
import { verificationContext, verificationMark } from '../verification-marks.js';
import type { WorkloadVerification } from '../workload-verifications.js';
import { ContainerNode } from './container-node.js';
import { paged } from './show-more-node.js';
import { TreeNode } from './tree-node.js';

/** A Deployment, StatefulSet, … with its containers below it. */
export class WorkloadNode extends TreeNode {
  readonly id: string;

  constructor(
    parent: TreeNode,
    readonly workload: Workload,
    private readonly options: TreeOptions,
  ) {
    super(parent);
    this.id = `${parent.id}/${workload.kind}/${workload.name}`;
  }

  /** The recommendations a workload-level action (Preview Changes, Apply) covers. */
  get items(): readonly RecommendationItem[] {
    return this.workload.items;
  }

  /** The latest verification after an apply to this workload (read now: it changes between scans). */
  get verification(): WorkloadVerification | undefined {
    const namespace = this.workload.items[0]?.namespace;
    if (namespace === undefined) return undefined;
    const { kind, name } = this.workload;
    return this.options.verifications?.of(this.context, { kind, namespace, name });
  }

  toTreeItem(): vscode.TreeItem {
    const { kind, name, items, severity, monthlySavingsUsd } = this.workload;
    const treeItem = new vscode.TreeItem(name, vscode.TreeItemCollapsibleState.Collapsed);
    treeItem.id = this.id;
    const containers = items.length > 1 ? `${items.length} containers` : undefined;
    const source = this.options.sources?.sourceOf(items);
    const inWorkspace = source ? 'in workspace' : undefined;
    const verification = this.verification;
    treeItem.description = [
      verificationMark(verification),
      atRiskMark(items),
      kind,
      containers,
      savingsText(monthlySavingsUsd),
      inWorkspace,
    ]
      .filter(Boolean)
      .join(' · ');
    treeItem.iconPath = severityIcon(severity);
    treeItem.contextValue = [
      'krrMcp.workload',
      items.some(isApplicable) && 'applicable',
      verificationContext(verification),
    ]
      .filter(Boolean)
      .join(';');
    if (source) {
      // A click opens the manifest at its `resources:` line (the twistie still expands the node).
      const at = new vscode.Position(source.line - 1, source.column - 1);
      treeItem.command = {
        command: 'vscode.open',
        title: 'Open Manifest',
        arguments: [source.uri, { selection: new vscode.Range(at, at) }],
      };
    }
    return treeItem;
  }

  override getChildren(): TreeNode[] {
    const byName = [...this.workload.items].sort((a, b) => a.container.localeCompare(b.container));
    return paged(this, byName, this.options.pages.limitFor(this.id), (item) => new ContainerNode(this, item));
  }

  override tooltip(): vscode.MarkdownString | undefined {
    const markdown = workloadTooltip(this.workload.items);
    const source = this.options.sources?.sourceOf(this.workload.items);
    if (markdown && source) {
      markdown.appendMarkdown('\n\nIn the workspace: ');
      markdown.appendText(`${source.label}:${source.line}`);
    }
    const verification = this.verification;
    if (markdown && verification) appendVerification(markdown, verification);
    return markdown;
  }
}
