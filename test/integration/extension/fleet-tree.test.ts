import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { EditorKubeContext } from '../../../src/extension/kube-context.js';
import { ScanController } from '../../../src/extension/scan-controller.js';
import type { TreeNode } from '../../../src/extension/tree/nodes/tree-node.js';
import { RecommendationsProvider } from '../../../src/extension/tree/recommendations-provider.js';
import { startFleetEnvironment } from '../../support/fleet-environment.js';
import { double, window } from '../../support/vscode-double/vscode.js';
import { fakeExtensionContext } from '../../unit/extension/extension-context.js';

// The editor over a two-context kubeconfig, as the tree drives it: the editor's context ("east", its
// Prometheus from the URL setting) scanned first; the other ("fleet", a bigger cluster whose Prometheus is
// found through its own API server) scanned when its root is expanded. Its Prometheus sits behind a gate
// that holds the usage queries of one namespace, so the test sees the scan half done (the other batches'
// rows in the tree) and can cancel it while it waits.

let env: Awaited<ReturnType<typeof startFleetEnvironment>>;

before(async () => {
  env = await startFleetEnvironment();
});

after(async () => {
  await env?.stop();
});

/** Resolves when `done()` holds after a change of the scans (or already holds). */
function whenScans(scans: ScanController, what: string, done: () => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    if (done()) return resolve();
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`timed out waiting for ${what}`));
    }, 60_000);
    const subscription = scans.onDidChange(() => {
      if (!done()) return;
      clearTimeout(timer);
      subscription.dispose();
      resolve();
    });
  });
}

const root = (provider: RecommendationsProvider, context: string): TreeNode => {
  const found = provider.getChildren().find((node) => node.id === context);
  assert.ok(found, `a root for ${context}`);
  return found;
};
const labels = (provider: RecommendationsProvider, nodes: TreeNode[]) =>
  nodes.map((node) => String(provider.getTreeItem(node).label));

test(
  'two contexts, two roots; the other scanned on demand, its rows shown while it runs; Cancel stops it',
  { timeout: 240_000 },
  async () => {
    double.reset();
    double.configuration.set('krrMcp.prometheusUrl', env.prometheus.url);
    double.configuration.set('krrMcp.namespaces', []);
    const context = fakeExtensionContext();
    const editorKube = new EditorKubeContext(context.workspaceState as never, { KUBECONFIG: env.kubeconfig });
    await editorKube.ready;
    const scans = new ScanController(
      editorKube,
      () => Promise.resolve(undefined),
      window.createOutputChannel('t') as never,
    );
    const provider = new RecommendationsProvider(scans);
    const { gate, heldNamespace, cluster: fleetCluster } = env.fleet;
    const namespaces = [...fleetCluster.namespaces].sort();
    try {
      await scans.scan();
      assert.equal(scans.state(), 'ready');
      assert.deepEqual(
        provider.getChildren().map((node) => node.id),
        ['engine-test', 'fleet'],
      );
      assert.equal(gate.seen.length, 0, 'the editor’s URL served the editor’s context only');

      // Expanding the other root scans it, through its own Prometheus.
      assert.deepEqual(labels(provider, provider.getChildren(root(provider, 'fleet'))), ['Scanning…']);
      await gate.whenHeld();
      const fleetScan = scans.forContext('fleet')!;
      await whenScans(
        scans,
        'the first batches’ rows',
        () => (fleetScan.view(false).snapshot?.items.length ?? 0) > 0,
      );
      const partial = fleetScan.view(false).snapshot!;
      assert.ok(partial.progress, 'the scan is still running');
      assert.ok(partial.items.every((item) => item.namespace !== heldNamespace));
      const shown = labels(provider, provider.getChildren(root(provider, 'fleet')));
      assert.ok(shown.at(-1)!.startsWith('scanning: loading'), shown.join());
      assert.ok(shown.length >= 2 && !shown.includes(heldNamespace), shown.join());
      assert.equal(fleetScan.result(), undefined, 'commands wait for the complete scan');

      gate.open();
      await whenScans(scans, 'the fleet scan to complete', () => fleetScan.state() === 'ready');
      const complete = fleetScan.snapshot()!;
      assert.equal(complete.progress, undefined);
      assert.deepEqual([...new Set(complete.items.map((i) => i.namespace))].sort(), namespaces);
      assert.equal(
        new Set(complete.items.map((i) => `${i.namespace}/${i.kind}/${i.name}`)).size,
        fleetCluster.workloads.length,
      );
      assert.ok(complete.items.every((i) => i.id.startsWith('fleet/')));
      assert.equal(scans.snapshot()?.context, 'engine-test', 'commands still act on the editor’s context');

      // A rescan keeps the complete rows on screen; Cancel drops the held requests and leaves them as they were.
      gate.close();
      const rescan = scans.scanNamed('fleet');
      await gate.whenHeld();
      assert.equal(fleetScan.view(false).snapshot?.items.length, complete.items.length);
      const progress = double.progress.filter((p) => p.title === 'krr-mcp: scanning fleet').at(-1);
      assert.ok(progress, 'the scan shows a cancellable progress');
      progress.cancel();
      await gate.whenNoneHeld();
      await rescan;
      assert.equal(fleetScan.state(), 'ready');
      assert.equal(fleetScan.snapshot(), complete);
      assert.equal(fleetScan.view(false).snapshot?.progress, undefined);
    } finally {
      gate.open();
      provider.dispose();
      scans.dispose();
      editorKube.dispose();
    }
  },
);
