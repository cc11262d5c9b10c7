import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { runCommand, screenshot, type Frame, type Page } from './support/browser.js';
import { startE2eEnvironment, type E2eEnvironment } from './support/e2e-environment.js';
import { HOSTILE_NAMESPACE, PAYLOADS, startHostileEngine } from './support/hostile-cluster.js';
import {
  approvalFrame,
  approvalPanelClosed,
  OutsideAgent,
  waiting,
  type Confirmation,
} from './support/outside-agent.js';
import { expandAll, treeRow, waitForTree } from './support/tree.js';

// Names and text from the cluster and from Prometheus are data, never markup: a DaemonSet whose workload
// name, container name, image, label and annotation carry HTML and script (see support/hostile-cluster.ts)
// is shown as text in the Recommendations tree, its tooltips, and the approval panel, and no payload runs
// (each would set window.__krrCanary).

let env: E2eEnvironment;
let page: Page;

/** Elements the payloads would have created, in a page or frame: event-handler attributes or scripts that mention the canary. */
const INJECTED = `(() => [...document.querySelectorAll('*')]
  .filter((e) =>
    (e.tagName === 'SCRIPT' && (e.textContent ?? '').includes('__krrCanary')) ||
    [...e.attributes].some((a) => a.name.startsWith('on') && a.value.includes('__krrCanary')))
  .map((e) => e.outerHTML.slice(0, 200)))()`;

async function assertNothingRan(where: Page | Frame, what: string): Promise<void> {
  // Give a would-be onerror/onload time to fire.
  await page.waitForTimeout(500);
  assert.deepEqual(await where.evaluate<string[]>(INJECTED), [], `no element made from a payload in ${what}`);
  assert.equal(await where.evaluate('typeof window.__krrCanary'), 'undefined', `no payload ran in ${what}`);
}

/** The hover VS Code shows for a tree row, once it contains `expected`. */
async function hoverText(row: string | RegExp, expected: string): Promise<string> {
  const hover = page.locator('.monaco-hover, .workbench-hover', { hasText: expected }).first();
  for (let attempt = 0; ; attempt++) {
    await page.mouse.move(700, 500); // away first: the hover opens when the pointer arrives
    await treeRow(page, row).hover();
    const shown = await hover
      .waitFor({ state: 'visible', timeout: 5_000 })
      .then(() => true)
      .catch(() => false);
    // MarkdownString.appendText keeps runs of spaces as non-breaking spaces.
    if (shown) return (await hover.innerText()).replace(/\u00a0/g, ' ');
    if (attempt === 3) throw new Error(`no hover with ${JSON.stringify(expected)} over ${String(row)}`);
  }
}

before(async () => {
  env = await startE2eEnvironment('hostile-names', { startEngine: startHostileEngine });
  page = env.browser.page;
});

after(async () => {
  await env?.stop();
});

describe('HTML and script in names and values', () => {
  test('the tree shows the workload and container names as text', async () => {
    await runCommand(page, 'krr-mcp: Focus on Recommendations View');
    await runCommand(page, 'krr-mcp: Scan Cluster');
    await waitForTree(page, 'the scanned context', (rows) => rows.some((r) => r.level === 2));
    await expandAll(page, 2);
    await treeRow(page, PAYLOADS.workload).click();
    const rows = await waitForTree(page, 'the hostile container row', (r) =>
      r.some((row) => row.level === 4 && row.name.startsWith(PAYLOADS.container)),
    );
    await screenshot(page, 'hostile-names-tree');
    const workloadRow = rows.find((r) => r.level === 3 && r.name.startsWith(PAYLOADS.workload));
    assert.ok(workloadRow, `the workload row: ${JSON.stringify(rows)}`);
    assert.match(workloadRow.name, / DaemonSet/);
    // Its numbers come from Prometheus series whose pod and container labels carry the payloads too.
    const containerRow = rows.find((r) => r.level === 4 && r.name.startsWith(PAYLOADS.container))!;
    assert.equal(containerRow.name, `${PAYLOADS.container} cpu unset→40m · mem unset→163Mi`);
    const shown = await treeRow(page, PAYLOADS.container).innerText();
    assert.ok(shown.includes(PAYLOADS.container), `the container's label is the literal text: ${shown}`);
    assert.ok(
      (await treeRow(page, PAYLOADS.workload).innerText()).includes(PAYLOADS.workload),
      "the workload's label is the literal text",
    );
    await assertNothingRan(page, 'the workbench');
  });

  test('the tooltips show the names as text', async () => {
    const workload = await hoverText(PAYLOADS.workload, `DaemonSet ${HOSTILE_NAMESPACE}/`);
    await screenshot(page, 'hostile-names-workload-tooltip');
    assert.ok(
      workload.includes(`DaemonSet ${HOSTILE_NAMESPACE}/${PAYLOADS.workload}`),
      `workload tooltip: ${workload}`,
    );
    assert.ok(workload.includes(PAYLOADS.container), `workload tooltip lists the container: ${workload}`);

    const container = await hoverText(new RegExp(`^${PAYLOADS.container}`), 'Container ');
    await screenshot(page, 'hostile-names-container-tooltip');
    assert.ok(container.includes(`Container ${PAYLOADS.container}`), `container tooltip: ${container}`);
    assert.ok(container.includes(PAYLOADS.workload), `container tooltip names the workload: ${container}`);
    await assertNothingRan(page, 'the workbench with the tooltips open');
    await page.mouse.move(700, 500);
  });

  test('the approval panel shows the names and the image as text, and nothing runs', async () => {
    const agent = new OutsideAgent((await env.connectOutsideClient()).client);
    await agent.data('scan_recommendations', { namespace: HOSTILE_NAMESPACE });
    const id = `engine-test/${HOSTILE_NAMESPACE}/DaemonSet/${PAYLOADS.workload}/${PAYLOADS.container}`;
    const plan = await agent.data<{ plan_id: string; blocked: boolean }>('preview_changes', {
      recommendation_ids: [id],
    });
    assert.equal(plan.blocked, false);
    const pending = waiting(
      agent.data<Confirmation>('request_confirmation', { plan_id: plan.plan_id, reason: 'hostile names' }),
    );
    const frame = await approvalFrame(page, 'hostile names');
    const shown = await frame.locator('#approval').innerText();
    await screenshot(page, 'hostile-names-approval-panel');
    assert.ok(
      shown.includes(`DaemonSet ${HOSTILE_NAMESPACE}/${PAYLOADS.workload}`),
      `the workload heading:\n${shown}`,
    );
    assert.ok(shown.includes(PAYLOADS.container), `the container in the table and diff:\n${shown}`);
    assert.ok(shown.includes(`image: ${PAYLOADS.image}`), `the image in the diff's context:\n${shown}`);
    // The page's own DOM, built from the data (a locator would also see inside the components' shadow
    // roots, where their templates draw, for instance, the collapsible's arrow as an <svg>).
    for (const tag of ['img', 'svg', 'script', 'b']) {
      const count = await frame.evaluate<number>(`document.querySelectorAll('#approval ${tag}').length`);
      assert.equal(count, 0, `no <${tag}> element`);
    }
    await assertNothingRan(frame, 'the approval panel');
    // Labels and annotations are not part of the panel (the diff's hunks are around the resources).
    console.log(
      `# panel shows the label: ${shown.includes(PAYLOADS.label)}, the annotation: ${shown.includes(PAYLOADS.annotation)}`,
    );

    await frame.locator('vscode-button.reject').click();
    assert.equal((await pending).status, 'rejected');
    await approvalPanelClosed(page);
    await assertNothingRan(page, 'the workbench');
  });
});
