import type { TreeNode } from '../../../../src/extension/tree/nodes/tree-node.js';
import type { RecommendationsProvider } from '../../../../src/extension/tree/recommendations-provider.js';

/** Every node reachable from the roots, as VS Code would find them by expanding everything. */
export function walk(provider: RecommendationsProvider, node?: TreeNode): TreeNode[] {
  return provider.getChildren(node).flatMap((child) => [child, ...walk(provider, child)]);
}

export function ids(nodes: readonly TreeNode[]): string[] {
  return nodes.map((n) => n.id);
}

export function labelOf(provider: RecommendationsProvider, node: TreeNode): string {
  return String(provider.getTreeItem(node).label);
}

/** The child with this label, failing the test with the labels present when it is missing. */
export function childLabelled(
  provider: RecommendationsProvider,
  parent: TreeNode | undefined,
  label: string,
): TreeNode {
  const children = provider.getChildren(parent);
  const found = children.find((c) => labelOf(provider, c) === label);
  if (!found)
    throw new Error(`no child "${label}" among ${children.map((c) => labelOf(provider, c)).join(', ')}`);
  return found;
}
