import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { after, before, test } from 'node:test';
import { EditorKubeContext } from '../../../src/extension/kube-context.js';
import { ScanController } from '../../../src/extension/scan-controller.js';
import { startEngineEnvironment, type EngineEnvironment } from '../../support/engine-environment.js';
import { double, window } from '../../support/vscode-double/vscode.js';
import { fakeExtensionContext } from '../../unit/extension/extension-context.js';

// Cancel in the editor stops the scan's Prometheus requests, not only its result: against a Prometheus that
// never answers, every connection the scan opened is closed once the person presses Cancel, and the view
// goes back to where it was. The cluster is the API simulator; the Prometheus is a server that hangs.

let env: EngineEnvironment;
let hanging: Server;
const open = new Set<Socket>();
let requests = 0;

before(async () => {
  env = await startEngineEnvironment();
  hanging = createServer(() => requests++);
  hanging.on('connection', (socket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
  });
  await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
});

after(async () => {
  hanging.closeAllConnections();
  hanging.close();
  await env?.stop();
});

const until = async (what: string, done: () => boolean) => {
  for (let i = 0; i < 600 && !done(); i++) await new Promise((r) => setTimeout(r, 25));
  assert.ok(done(), `timed out waiting for ${what}`);
};

test('Cancel stops the Prometheus requests of the running scan; the view is as it was', async () => {
  double.reset();
  double.configuration.set('krrMcp.kubeconfig', env.kubeconfig);
  double.configuration.set(
    'krrMcp.prometheusUrl',
    `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`,
  );
  const context = fakeExtensionContext();
  const kube = new EditorKubeContext(context.workspaceState as never, {});
  await kube.ready;
  const scans = new ScanController(
    kube,
    () => Promise.resolve(undefined),
    window.createOutputChannel('t') as never,
  );
  try {
    const scanning = scans.scan();
    await until('the scan to reach Prometheus', () => requests > 0 && open.size > 0);
    assert.equal(scans.state(), 'scanning');
    const progress = double.progress.find((p) => p.title === 'krr-mcp: scanning engine-test');
    assert.ok(progress, 'the scan shows a cancellable progress');
    progress.cancel();
    // Well within the request timeout (60 s): without the cancel reaching the requests they would hang on.
    await until('every connection to Prometheus to close', () => open.size === 0);
    await scanning;
    assert.equal(scans.state(), 'empty', 'no results before, none now');
    assert.equal(scans.snapshot(), undefined);
  } finally {
    scans.dispose();
    kube.dispose();
  }
});
