import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { pickQuickPickRow, runCommand, screenshot, type Page } from './support/browser.js';
import { startE2eEnvironment, type E2eEnvironment } from './support/e2e-environment.js';
import {
  approvalFrame,
  approvalPanelClosed,
  OutsideAgent,
  waiting,
  type Applied,
  type Confirmation,
} from './support/outside-agent.js';
import {
  namesAt,
  pickMany,
  expandAll,
  treeMessage,
  treeRow,
  treeRows,
  waitForQuickPick,
  waitForTree,
  waitForTreeMessage,
  type TreeRow,
} from './support/tree.js';

// The Recommendations tree over the whole fixture cluster (every namespace): what a scan shows, what the
// person's filters and sort orders make of it, and what it shows after an agent outside the editor applied
// a change that the person approved in the panel, together with "Show Execution History".

let env: E2eEnvironment;
let page: Page;

/** Workloads with a recommendation in engineTestCluster, by namespace (kube-system has none). */
const WORKLOADS: Record<string, string[]> = {
  batch: ['migrate-db', 'nightly-report'],
  monitoring: ['log-agent'],
  shop: [
    'api.v2',
    'apixv2',
    'canary',
    'cart',
    'checkout',
    'idle',
    'legacy',
    'postgres',
    'queue-consumer',
    'web',
  ],
};
const ALL_WORKLOADS = Object.values(WORKLOADS).flat();
const byName = (a: string, b: string) => a.localeCompare(b);
const sameSet = (actual: string[], expected: string[]) =>
  JSON.stringify([...actual].sort(byName)) === JSON.stringify([...expected].sort(byName));

/** The rows right below `parent` (one level deeper), in the order shown. */
function childrenOf(rows: TreeRow[], parent: string): TreeRow[] {
  const at = rows.findIndex((r) => r.name.split(' ')[0] === parent);
  if (at < 0) return [];
  const children: TreeRow[] = [];
  for (const row of rows.slice(at + 1)) {
    if (row.level <= rows[at]!.level) break;
    if (row.level === rows[at]!.level + 1) children.push(row);
  }
  return children;
}

/** "saves $20.58/mo" → 20.58, "costs $3.97/mo more" → -3.97, nothing → 0. */
function monthlySavings(row: TreeRow): number {
  const saves = /saves \$([\d.]+)\/mo/.exec(row.name);
  if (saves) return Number(saves[1]);
  const costs = /costs \$([\d.]+)\/mo more/.exec(row.name);
  return costs ? -Number(costs[1]) : 0;
}

/** Every namespace expanded: all 13 workloads are rows. */
const showsEverything = (rows: TreeRow[]) =>
  sameSet(namesAt(rows, 2), Object.keys(WORKLOADS)) && sameSet(namesAt(rows, 3), ALL_WORKLOADS);

/** "krr-mcp: Filter Recommendations": severity, then namespaces, then kinds; an absent choice is skipped (Escape). */
async function filter(choice: { severity?: string; namespaces?: string[]; kinds?: string[] }) {
  await runCommand(page, 'krr-mcp: Filter Recommendations');
  await waitForQuickPick(page, 'at least this severe');
  if (choice.severity) await pickQuickPickRow(page, `${choice.severity} or worse`);
  else await page.keyboard.press('Escape');
  await waitForQuickPick(page, 'Namespaces');
  if (choice.namespaces) await pickMany(page, choice.namespaces);
  else await page.keyboard.press('Escape');
  await waitForQuickPick(page, 'Kinds');
  if (choice.kinds) await pickMany(page, choice.kinds);
  else await page.keyboard.press('Escape');
}

async function clearFilter(): Promise<void> {
  await runCommand(page, 'krr-mcp: Clear Filter');
  await waitForTree(page, 'every namespace again', (rows) =>
    sameSet(namesAt(rows, 2), Object.keys(WORKLOADS)),
  );
  await waitForTreeMessage(page, '');
  await expandAll(page, 2);
  await waitForTree(page, 'the whole cluster again', showsEverything);
}

before(async () => {
  env = await startE2eEnvironment('tree', { settings: { 'krrMcp.namespaces': [] } });
  page = env.browser.page;
});

after(async () => {
  await env?.stop();
});

describe('the Recommendations tree', () => {
  test('a scan shows every workload of the fixture cluster, grouped by namespace', async () => {
    await runCommand(page, 'krr-mcp: Focus on Recommendations View');
    await runCommand(page, 'krr-mcp: Scan Cluster');
    const context = await waitForTree(page, 'the scanned context', (rows) => rows.some((r) => r.level === 1));
    assert.equal(context[0]!.name, 'engine-test 13 workloads · 2 CRITICAL');
    assert.deepEqual(namesAt(context, 2), ['batch', 'monitoring', 'shop']);
    await expandAll(page, 2);
    const rows = await waitForTree(page, 'every namespace expanded', showsEverything);
    await screenshot(page, 'tree-all');
    for (const [namespace, workloads] of Object.entries(WORKLOADS)) {
      assert.ok(
        sameSet(
          childrenOf(rows, namespace).map((r) => r.name.split(' ')[0]!),
          workloads,
        ),
        `${namespace}: ${JSON.stringify(childrenOf(rows, namespace))}`,
      );
    }
    assert.equal(await treeMessage(page), '', 'no filter yet');
    assert.ok(rows.length > 0);
  });

  test('filtering by severity keeps only the CRITICAL workloads; Clear Filter brings the rest back', async () => {
    await filter({ severity: 'CRITICAL' });
    await waitForTree(page, 'only shop', (r) => namesAt(r, 2).join() === 'shop');
    await expandAll(page, 2);
    const rows = await waitForTree(page, 'only CRITICAL workloads', (r) => namesAt(r, 3).length === 2);
    await screenshot(page, 'tree-filter-critical');
    assert.equal(rows[0]!.name, 'engine-test 2 workloads · 2 CRITICAL');
    assert.deepEqual(namesAt(rows, 2), ['shop']);
    assert.ok(sameSet(namesAt(rows, 3), ['apixv2', 'postgres']), JSON.stringify(rows));
    await waitForTreeMessage(page, 'Filtered: severity ≥ CRITICAL');
    await clearFilter();
  });

  test('filtering by namespaces and kinds keeps only what matches both', async () => {
    await filter({ namespaces: ['batch', 'monitoring'], kinds: ['DaemonSet'] });
    await waitForTree(page, 'only monitoring', (r) => namesAt(r, 2).join() === 'monitoring');
    await expandAll(page, 2);
    const rows = await waitForTree(page, 'only the DaemonSet', (r) => namesAt(r, 3).length === 1);
    await screenshot(page, 'tree-filter-namespace-kind');
    assert.equal(rows[0]!.name, 'engine-test 1 workload · 1 WARNING');
    assert.deepEqual(namesAt(rows, 2), ['monitoring']);
    assert.deepEqual(namesAt(rows, 3), ['log-agent']);
    await waitForTreeMessage(page, 'Filtered: namespace batch or monitoring, kind DaemonSet');
    await clearFilter();

    await filter({ kinds: ['CronJob', 'StatefulSet'] });
    await waitForTree(page, 'batch and shop', (r) => namesAt(r, 2).join() === 'batch,shop');
    await expandAll(page, 2);
    const kinds = await waitForTree(
      page,
      'only the CronJob and StatefulSet',
      (r) => namesAt(r, 3).length === 2,
    );
    assert.deepEqual(namesAt(kinds, 2), ['batch', 'shop']);
    assert.ok(sameSet(namesAt(kinds, 3), ['nightly-report', 'postgres']), JSON.stringify(kinds));
    await waitForTreeMessage(page, 'Filtered: kind CronJob or StatefulSet');
    await clearFilter();
  });

  test('workloads are sorted by monthly savings, and "Sort by Name" sorts them by name', async () => {
    await clearFilter();
    const bySavings = childrenOf(await treeRows(page), 'shop');
    const savings = bySavings.map(monthlySavings);
    assert.deepEqual(
      savings,
      [...savings].sort((a, b) => b - a),
      `largest savings first: ${JSON.stringify(bySavings)}`,
    );
    const names = bySavings.map((r) => r.name.split(' ')[0]!);
    assert.notDeepEqual(names, [...names].sort(byName), 'the fixture makes the two orders differ');

    await runCommand(page, 'krr-mcp: Sort by Name');
    await waitForTree(page, 'shop sorted by name', (rows) => {
      const shown = childrenOf(rows, 'shop').map((r) => r.name.split(' ')[0]!);
      return (
        shown.length === names.length && JSON.stringify(shown) === JSON.stringify([...names].sort(byName))
      );
    });
    await screenshot(page, 'tree-sorted-by-name');

    await runCommand(page, 'krr-mcp: Sort by Savings');
    await waitForTree(
      page,
      'shop sorted by savings again',
      (rows) =>
        JSON.stringify(childrenOf(rows, 'shop').map((r) => r.name.split(' ')[0]!)) === JSON.stringify(names),
    );
  });
});

describe("after an outside agent's approved apply", () => {
  const RECOMMENDATION = 'engine-test/monitoring/DaemonSet/log-agent/agent';
  let agent: OutsideAgent;
  let applied: Applied;
  /** The log-agent's container row, e.g. "agent cpu unset→50m · mem unset→209Mi". */
  const agentRow = (rows: TreeRow[]) => childrenOf(rows, 'log-agent')[0]?.name ?? '';

  before(async () => {
    agent = new OutsideAgent((await env.connectOutsideClient()).client);
    await treeRow(page, /^log-agent/).click();
    await waitForTree(page, 'the log agent container', (rows) => agentRow(rows) !== '');
  });

  test('the tree showed the recommendation; the person approves it and the agent applies it', async () => {
    const before = agentRow(await treeRows(page));
    assert.match(before, /^agent cpu unset→50m · mem unset→\d+Mi$/);
    await agent.data('scan_recommendations', { namespace: 'monitoring' });
    const plan = await agent.data<{ plan_id: string; blocked: boolean }>('preview_changes', {
      recommendation_ids: [RECOMMENDATION],
    });
    assert.equal(plan.blocked, false);
    const pending = waiting(
      agent.data<Confirmation>('request_confirmation', { plan_id: plan.plan_id, reason: 'tree refresh' }),
    );
    const frame = await approvalFrame(page, 'tree refresh');
    await frame.locator('vscode-button.approve').click();
    const answer = await pending;
    assert.equal(answer.status, 'approved');
    await approvalPanelClosed(page);
    applied = await agent.data<Applied>('apply_recommendations', {
      confirmation_token: answer.confirmation_token,
    });
    assert.equal(applied.status, 'applied');
    assert.ok(applied.rollback_id, 'a rollback id');
  });

  test("the tree refreshes by itself after the agent's apply: the applied recommendation no longer shows the old values", async () => {
    const rows = await waitForTree(
      page,
      'the log agent row to leave "unset→"',
      (r) => agentRow(r) !== '' && !agentRow(r).includes('unset→'),
      30_000,
    ).finally(() => screenshot(page, 'tree-after-outside-apply'));
    assert.match(agentRow(rows), /^agent cpu 50m→50m · mem (\d+Mi)→\1$/);
  });

  test('Refresh shows the applied values as current: nothing left to change', async () => {
    await runCommand(page, 'krr-mcp: Refresh');
    const rows = await waitForTree(
      page,
      'the refreshed log agent row',
      (r) => agentRow(r) !== '' && !agentRow(r).includes('unset→'),
    );
    await screenshot(page, 'tree-after-refresh');
    assert.match(agentRow(rows), /^agent cpu 50m→50m · mem (\d+Mi)→\1$/);
    const logAgent = rows.find((r) => r.name.startsWith('log-agent '))!;
    assert.doesNotMatch(logAgent.name, /saves|costs/, 'no savings left');
  });

  test('"Show Execution History" opens the audit history with the apply in it', async () => {
    await runCommand(page, 'krr-mcp: Show Execution History');
    // Newest first: the apply's verification records may fill the first screen, so the rest is searched.
    const editor = page.locator('.editor-instance .view-lines', { hasText: '"operation"' }).first();
    await editor.waitFor({ timeout: 30_000 });
    await screenshot(page, 'execution-history');
    const matches = async (text: string): Promise<string> => {
      // The history document has the focus (showTextDocument); then the find widget keeps it.
      await page.keyboard.press('Control+F');
      const input = page.locator('.find-widget textarea, .find-widget input').first();
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      await input.fill(text);
      const count = page.locator('.find-widget .matchesCount');
      for (const deadline = Date.now() + 10_000; Date.now() < deadline; await page.waitForTimeout(200)) {
        const shown = (await count.textContent()) ?? '';
        if (/of|No results/.test(shown)) return shown;
      }
      return (await count.textContent()) ?? '';
    };
    assert.match(await matches('"apply_completed"'), /^\d+ of \d+$/, 'the apply');
    assert.match(await matches(applied.rollback_id!), /^\d+ of \d+$/, 'the rollback id of the apply');
    assert.match(await matches('log-agent'), /^\d+ of \d+$/, 'the applied workload');
    assert.match(await matches('tree refresh'), /^\d+ of \d+$/, "the agent's reason");
    assert.match(await matches('no-such-workload'), /No results/, 'the search itself can fail');
    await screenshot(page, 'execution-history-find');
    await page.keyboard.press('Escape');
  });
});
