// `npm run bench:tree [-- --workloads 10000 --runs 5]`: the Recommendations tree at fleet scale, in the
// extension's own code over the VS Code test double (the part VS Code itself renders is not measured). Two
// shapes: one namespace holding every workload, and namespaces of 100. For each: the first level (the
// context and its namespaces), the first page of the big namespace, and "Show N more…" clicks, with the
// namespace's workloads grouped and sorted once (now) and on every click (before), side by side.
import { parseArgs } from 'node:util';
import { workloadsOf, type Workload } from '../src/extension/tree/grouping.js';
import { paged } from '../src/extension/tree/nodes/show-more-node.js';
import type { TreeNode } from '../src/extension/tree/nodes/tree-node.js';
import { WorkloadNode } from '../src/extension/tree/nodes/workload-node.js';
import { RecommendationsProvider } from '../src/extension/tree/recommendations-provider.js';
import { aRecommendation, FakeSource } from '../test/unit/extension/tree/builders.js';

const { values } = parseArgs({
  options: { workloads: { type: 'string', default: '10000' }, runs: { type: 'string', default: '5' } },
});
const total = Number(values.workloads);
const runs = Math.max(1, Number(values.runs));
const CLICKS = 5;

function items(namespaces: number) {
  return Array.from({ length: total }, (_, i) =>
    aRecommendation({
      namespace: `ns-${String(i % namespaces).padStart(4, '0')}`,
      name: `w${String(i).padStart(5, '0')}`,
      monthly_savings_usd: (i * 7919) % 1000,
    }),
  );
}

const ms = (since: number) => performance.now() - since;
const stats = (samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return `min ${sorted[0]!.toFixed(1)} ms, median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(1)} ms`;
};

function measure(namespaces: number) {
  const first: number[] = [];
  const page: number[] = [];
  const cachedClick: number[] = [];
  const regroupClick: number[] = [];
  for (let run = 0; run < runs; run++) {
    const provider = new RecommendationsProvider(new FakeSource(items(namespaces)));
    let t = performance.now();
    const [root] = provider.getChildren();
    const nsNodes = provider.getChildren(root);
    for (const n of nsNodes) provider.getTreeItem(n);
    first.push(ms(t));
    const big = nsNodes[0]!;
    t = performance.now();
    for (const child of provider.getChildren(big)) provider.getTreeItem(child);
    page.push(ms(t));
    for (let click = 0; click < CLICKS; click++) {
      provider.showMore(big.id);
      t = performance.now();
      provider.getChildren(big);
      cachedClick.push(ms(t));
    }
    // Before: every click grouped and sorted the namespace again.
    const bigItems = (big as unknown as { items: Parameters<typeof workloadsOf>[0] }).items;
    for (let click = 1; click <= CLICKS; click++) {
      t = performance.now();
      const sorted = workloadsOf(bigItems).sort(
        (a: Workload, b: Workload) =>
          b.monthlySavingsUsd - a.monthlySavingsUsd || a.name.localeCompare(b.name),
      );
      paged(big, sorted, 200 * (click + 1), (w) => new WorkloadNode(big, w, provider.options) as TreeNode);
      regroupClick.push(ms(t));
    }
  }
  const perNamespace = Math.ceil(total / namespaces);
  console.log(
    `\n${total} workloads in ${namespaces} namespace(s) (${perNamespace} in the biggest), ${runs} runs:`,
  );
  console.log(`  first level (context + namespaces)     ${stats(first)}`);
  console.log(`  first page of the biggest namespace    ${stats(page)}`);
  console.log(`  "Show N more…", grouped once (now)     ${stats(cachedClick)}`);
  console.log(`  "Show N more…", regrouped (before)     ${stats(regroupClick)}`);
}

measure(1);
measure(Math.max(1, Math.floor(total / 100)));
