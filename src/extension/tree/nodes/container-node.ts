import * as vscode from 'vscode';
import type { RecommendationItem } from '../../../core/recommend/recommendation-items.js';
import { isApplicable } from '../applicability.js';
import { requestChange } from '../change-description.js';
import { atRiskMark } from '../risk-marks.js';
import { severityIcon } from '../severity.js';
import { containerTooltip } from '../tooltips.js';
import { TreeNode } from './tree-node.js';

/** One container's recommendation: the leaf that Preview Changes and Apply act on. */
export class ContainerNode extends TreeNode {
  readonly id: string;

  constructor(
    parent: TreeNode,
    readonly item: RecommendationItem,
  ) {
    super(parent);
    this.id = `${parent.id}/${item.container}`;
  }

  toTreeItem(): vscode.TreeItem {
    const treeItem = new vscode.TreeItem(this.item.container, vscode.TreeItemCollapsibleState.None);
    treeItem.id = this.id;
    treeItem.description = [atRiskMark([this.item]), requestChange(this.item)].filter(Boolean).join(' · ');
    treeItem.iconPath = severityIcon(this.item.severity);
    treeItem.contextValue = isApplicable(this.item) ? 'krrMcp.container;applicable' : 'krrMcp.container';
    return treeItem;
  }

  override tooltip(): vscode.MarkdownString {
    return containerTooltip(this.item);
  }
}
