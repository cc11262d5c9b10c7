import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { runCommand, screenshot, type Page } from './support/browser.js';
import { startE2eEnvironment, type E2eEnvironment } from './support/e2e-environment.js';
import { treeRow, waitForTree, type TreeRow } from './support/tree.js';
import { startFleetEnvironment, type GatedCluster } from '../support/fleet-environment.js';

// A two-context kubeconfig in the real workbench: the editor's context ("engine-test") and a second cluster
// ("fleet") whose Prometheus the API server proxies to through a gate. After the first scan the view has a
// root per context; expanding "fleet" scans it, and with its last namespace's usage queries held at the
// gate the tree shows the other namespaces while the scan runs. Cancel in the notification lets go of the
// held queries; "Scan again", with the gate open, completes it.

let env: E2eEnvironment;
let page: Page;
let fleet: GatedCluster;

before(async () => {
  env = await startE2eEnvironment('fleet', {
    settings: { 'krrMcp.namespaces': [] },
    startEngine: async () => {
      const started = await startFleetEnvironment();
      fleet = started.fleet;
      return started;
    },
  });
  page = env.browser.page;
});

after(async () => {
  await env?.stop();
});

/** The rows right below the root `context`, in the order shown. */
function underRoot(rows: TreeRow[], context: string): TreeRow[] {
  const at = rows.findIndex((r) => r.level === 1 && r.name.split(' ')[0] === context);
  if (at < 0) return [];
  const next = rows.findIndex((r, i) => i > at && r.level === 1);
  return rows.slice(at + 1, next < 0 ? undefined : next).filter((r) => r.level === 2);
}

/** Resolves with the promise, or fails the test after `ms` saying what it waited for. */
function within<T>(what: string, promise: Promise<T>, ms = 30_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

describe('a fleet of two contexts', () => {
  test('after the first scan, each context is a root: the editor’s open, the other not scanned yet', async () => {
    await runCommand(page, 'krr-mcp: Focus on Recommendations View');
    await runCommand(page, 'krr-mcp: Scan Cluster');
    const rows = await waitForTree(
      page,
      'two roots',
      (r) => r.filter((row) => row.level === 1).length === 2,
      120_000,
    );
    const roots = rows.filter((r) => r.level === 1).map((r) => r.name);
    assert.deepEqual(roots, [
      'engine-test current · 13 workloads · 2 CRITICAL',
      'fleet not scanned: expand to scan',
    ]);
    assert.deepEqual(
      underRoot(rows, 'engine-test').map((r) => r.name.split(' ')[0]),
      ['batch', 'monitoring', 'shop'],
    );
    assert.equal(fleet.gate.seen.length, 0, 'nothing read the other cluster’s Prometheus yet');
  });

  test('expanding the other context scans it; its rows appear while the scan runs', async () => {
    await treeRow(page, /^fleet/).click();
    await within('the scan to reach the held namespace', fleet.gate.whenHeld());
    const rows = await waitForTree(
      page,
      'the first batches of fleet',
      (r) => underRoot(r, 'fleet').some((row) => row.name.startsWith('scanning: loading')),
      60_000,
    );
    await screenshot(page, 'fleet-streaming');
    const shown = underRoot(rows, 'fleet').map((r) => r.name.split(' ')[0]!);
    const namespaces = shown.filter((name) => name !== 'scanning:');
    assert.ok(namespaces.length >= 1, JSON.stringify(shown));
    assert.ok(!namespaces.includes(fleet.heldNamespace), `${fleet.heldNamespace} is still being read`);
    assert.match(
      rows.find((r) => r.level === 1 && r.name.startsWith('fleet'))!.name,
      /scanning: loading \d+\/40/,
    );
  });

  test('Cancel in the notification stops the held Prometheus requests; the context says it was cancelled', async () => {
    const toast = page.locator('.notification-toast', { hasText: 'krr-mcp: scanning fleet' });
    await toast.locator('.monaco-button', { hasText: 'Cancel' }).click();
    await within('the held queries to be dropped by their client', fleet.gate.whenNoneHeld());
    const rows = await waitForTree(page, 'fleet cancelled', (r) =>
      r.some((row) => row.level === 1 && row.name === 'fleet scan cancelled'),
    );
    assert.deepEqual(
      underRoot(rows, 'fleet').map((r) => r.name.trim()),
      ['Scan cancelled.', 'Scan again'],
    );
    await screenshot(page, 'fleet-cancelled');
  });

  test('"Scan again" with the gate open completes the scan: every namespace of the cluster', async () => {
    fleet.gate.open();
    await treeRow(page, /^Scan again/).click();
    const expected = [...fleet.cluster.namespaces].sort();
    const rows = await waitForTree(
      page,
      'every namespace of fleet',
      (r) =>
        JSON.stringify(underRoot(r, 'fleet').map((row) => row.name.split(' ')[0])) ===
        JSON.stringify(expected),
      60_000,
    );
    assert.match(
      rows.find((r) => r.level === 1 && r.name.startsWith('fleet'))!.name,
      /^fleet 40 workloads · /,
    );
  });
});
