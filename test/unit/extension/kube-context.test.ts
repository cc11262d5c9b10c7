import assert from 'node:assert/strict';
import { delimiter, join } from 'node:path';
import { after, beforeEach, test } from 'node:test';
import { double } from '../../support/vscode-double/vscode.js';
import { EditorKubeContext } from '../../../src/extension/kube-context.js';
import { KrrMcpServerProvider } from '../../../src/extension/mcp-provider.js';
import { ContextStatusBar } from '../../../src/extension/status-bar.js';
import { fakeExtensionContext } from './extension-context.js';
import { installKubernetesTools, kubeconfigFiles } from './kubernetes-tools-fake.js';

const files = kubeconfigFiles();
after(() => files.remove());
const fromEnv = files.write('env-config', 'from-env');
const fromTools = files.write('tools-config', 'from-tools');
const other = files.write('other-config', 'other');
const fromSetting = files.write('setting-config', 'from-setting');

beforeEach(() => double.reset());

function kubeContext(env: NodeJS.ProcessEnv = { KUBECONFIG: fromEnv }) {
  const state = new Map<string, unknown>();
  const memento = {
    get: (key: string) => state.get(key),
    update: (key: string, value: unknown) => Promise.resolve(void state.set(key, value)),
  };
  const kube = new EditorKubeContext(memento as never, env);
  let changes = 0;
  kube.onDidChange(() => changes++);
  return { kube, changes: () => changes };
}

test("the Kubernetes extension's kubeconfig comes before KUBECONFIG", async () => {
  const tools = installKubernetesTools({ pathType: 'host', hostPath: fromTools });
  const { kube } = kubeContext();
  await kube.ready;
  assert.equal(tools.extension.activations, 1, 'activated through the API');
  assert.deepEqual(tools.requested, [['configuration', 'v1_1']]);
  assert.equal(kube.origin(), 'kubernetes-tools');
  assert.deepEqual(kube.sources(), [fromTools]);
  assert.equal(kube.identity()?.context, 'from-tools');
  assert.equal(kube.identity()?.server, 'https://from-tools.example:6443');
  assert.match(kube.kubernetesToolsStatus(), /kubeconfig in use/);
});

test('a KUBECONFIG-style list from the Kubernetes extension is merged, current-context from the first file', async () => {
  installKubernetesTools({ pathType: 'host', hostPath: [fromTools, other].join(delimiter) });
  const { kube } = kubeContext();
  await kube.ready;
  assert.deepEqual(kube.sources(), [fromTools, other]);
  assert.deepEqual(kube.contexts().sort(), ['from-tools', 'other']);
  assert.equal(kube.identity()?.context, 'from-tools');
});

test('until the Kubernetes extension answers, the usual chain applies; its answer is announced', async () => {
  installKubernetesTools({ pathType: 'host', hostPath: fromTools });
  const { kube, changes } = kubeContext();
  assert.equal(kube.identity()?.context, 'from-env');
  await kube.ready;
  assert.equal(kube.identity()?.context, 'from-tools');
  assert.equal(changes(), 1);
});

test("the Kubernetes extension's kubeconfig switch reloads the context and moves the file watchers", async () => {
  const tools = installKubernetesTools({ pathType: 'host', hostPath: fromTools });
  const { kube, changes } = kubeContext();
  await kube.ready;
  const before = changes();
  tools.switchKubeconfig({ pathType: 'host', hostPath: other });
  assert.equal(changes(), before + 1);
  assert.equal(kube.identity()?.context, 'other');
  const watching = double.fileWatchers.filter((w) => !w.disposed).map((w) => w.watched);
  assert.deepEqual(watching, [other]);
});

test("the Kubernetes extension's context switch reloads the context (it rewrote current-context)", async () => {
  const dir = kubeconfigFiles();
  after(() => dir.remove());
  const file = dir.write('config', 'first');
  const tools = installKubernetesTools({ pathType: 'host', hostPath: file });
  const { kube, changes } = kubeContext();
  await kube.ready;
  assert.equal(kube.identity()?.context, 'first');
  const before = changes();
  dir.write('config', 'second');
  tools.switchContext('second');
  assert.equal(changes(), before + 1);
  assert.equal(kube.identity()?.context, 'second');
});

test('a changed vs-kubernetes setting is read again even when the extension raises no event', async () => {
  const tools = installKubernetesTools({ pathType: 'host', hostPath: fromTools });
  const { kube, changes } = kubeContext();
  await kube.ready;
  const before = changes();
  tools.switchKubeconfig({ pathType: 'host', hostPath: other }, false);
  double.configurationListeners.fire({ affectsConfiguration: (s) => s === 'vs-kubernetes' });
  assert.equal(changes(), before + 1);
  assert.equal(kube.identity()?.context, 'other');
});

test('without the Kubernetes extension: KUBECONFIG', async () => {
  const { kube } = kubeContext();
  await kube.ready;
  assert.equal(kube.origin(), 'environment');
  assert.equal(kube.identity()?.context, 'from-env');
  assert.match(kube.kubernetesToolsStatus(), /extension-not-installed/);
});

test('without the Kubernetes extension and KUBECONFIG: ~/.kube/config', async () => {
  const { kube } = kubeContext({});
  await kube.ready;
  assert.equal(kube.origin(), 'default');
});

test('an unavailable configuration API (too old or too new an extension): KUBECONFIG', async () => {
  const tools = installKubernetesTools({ pathType: 'host', hostPath: fromTools });
  double.extensions.get(tools.extension.id)!.activate = () =>
    Promise.resolve({ get: () => ({ available: false, reason: 'version-unknown' }) });
  const { kube } = kubeContext();
  await kube.ready;
  assert.equal(kube.identity()?.context, 'from-env');
  assert.match(kube.kubernetesToolsStatus(), /version-unknown/);
});

test('a Kubernetes extension that fails to activate: KUBECONFIG', async () => {
  const tools = installKubernetesTools({ pathType: 'host', hostPath: fromTools });
  double.extensions.get(tools.extension.id)!.activate = () => Promise.reject(new Error('kubectl not found'));
  const { kube } = kubeContext();
  await kube.ready;
  assert.equal(kube.identity()?.context, 'from-env');
  assert.match(kube.kubernetesToolsStatus(), /activation failed: kubectl not found/);
});

test('getKubeconfigPath() throwing, a WSL path or a malformed answer: KUBECONFIG', async (t) => {
  for (const [answer, why] of [
    [{ pathType: 'wsl', wslPath: '/home/u/.kube/config' }, /inside WSL/],
    [{ pathType: 'host' }, /unexpected shape/],
    [{ pathType: 'host', hostPath: '' }, /names no kubeconfig/],
    [undefined, /unexpected shape/],
  ] as const) {
    await t.test(JSON.stringify(answer) ?? 'undefined', async () => {
      double.reset();
      installKubernetesTools(answer);
      const { kube } = kubeContext();
      await kube.ready;
      assert.equal(kube.origin(), 'environment');
      assert.equal(kube.identity()?.context, 'from-env');
      assert.match(kube.kubernetesToolsStatus(), why);
    });
  }
  await t.test('throws', async () => {
    double.reset();
    const tools = installKubernetesTools({ pathType: 'host', hostPath: fromTools });
    const broker = (await tools.extension.activate()) as {
      get(c: string, v: string): { api: { getKubeconfigPath(): unknown } };
    };
    broker.get('configuration', 'v1_1').api.getKubeconfigPath = () => {
      throw new Error('wsl.exe failed');
    };
    const { kube } = kubeContext();
    await kube.ready;
    assert.equal(kube.identity()?.context, 'from-env');
    assert.match(kube.kubernetesToolsStatus(), /getKubeconfigPath\(\) failed: wsl\.exe failed/);
  });
});

test('the krrMcp.kubeconfig setting wins over the Kubernetes extension', async () => {
  installKubernetesTools({ pathType: 'host', hostPath: fromTools });
  double.configuration.set('krrMcp.kubeconfig', fromSetting);
  const { kube } = kubeContext();
  await kube.ready;
  assert.equal(kube.origin(), 'setting');
  assert.equal(kube.identity()?.context, 'from-setting');
});

test('a kubeconfig that does not exist is reported, not replaced by a later rule', async () => {
  const missing = join(files.dir, 'missing');
  double.configuration.set('krrMcp.kubeconfig', missing);
  const { kube } = kubeContext();
  assert.deepEqual(kube.sources(), []);
  assert.equal(kube.identity(), undefined);
  assert.throws(() => kube.target(), new RegExp(`No kubeconfig found \\(looked at ${missing}\\)`));

  double.reset();
  installKubernetesTools({ pathType: 'host', hostPath: missing });
  const withTools = kubeContext().kube;
  await withTools.ready;
  assert.equal(withTools.identity(), undefined, 'KUBECONFIG is not used instead');
});

test("each kubeconfig file is watched in its own directory (a plain glob only sees the workspace's)", async () => {
  const { kube, changes } = kubeContext();
  await kube.ready;
  const [watcher] = double.fileWatchers;
  assert.equal(double.fileWatchers.length, 1);
  assert.equal(typeof watcher!.pattern, 'object');
  assert.equal(watcher!.watched, fromEnv);
  watcher!.fire('change');
  assert.equal(changes(), 1);
});

test('the status bar and the MCP server definition follow the Kubernetes extension', async () => {
  const tools = installKubernetesTools({ pathType: 'host', hostPath: fromTools });
  const { kube } = kubeContext();
  const statusBar = new ContextStatusBar(kube);
  const provider = new KrrMcpServerProvider({
    cliPath: '/ext/dist/cli.cjs',
    extensionVersion: '1.0.0',
    issueSecret: () => Promise.reject(new Error('no authority in this test')),
    kube: () => ({
      kubeconfigPaths: kube.sources(),
      context: kube.chosenContext() ?? kube.identity()?.context,
    }),
    serverEnvironment: () => ({}),
    secretEnvironment: async () => ({}),
    onDidChange: kube.onDidChange,
  });
  let announced = 0;
  provider.onDidChangeMcpServerDefinitions(() => announced++);
  await kube.ready;
  assert.match(double.statusBarItems[0]!.text, /from-tools/);
  const before = provider.version();

  tools.switchKubeconfig({ pathType: 'host', hostPath: other });
  assert.match(double.statusBarItems[0]!.text, /other/);
  assert.notEqual(provider.version(), before);
  assert.equal(announced, 2, 'once when the extension answered, once for the switch');
  const resolved = await provider.resolveMcpServerDefinition(provider.provideMcpServerDefinitions()[0]!);
  assert.equal(resolved.env.KUBECONFIG, other);
  assert.equal(resolved.env.KUBERNETES_CONTEXT, 'other');
  statusBar.dispose();
  provider.dispose();
});

test('disposing stops listening to the Kubernetes extension, also when it answers late', async () => {
  const tools = installKubernetesTools({ pathType: 'host', hostPath: fromTools });
  const { kube } = kubeContext();
  await kube.ready;
  assert.equal(tools.subscriptions(), 2);
  kube.dispose();
  assert.equal(tools.subscriptions(), 0);

  double.reset();
  const late = installKubernetesTools({ pathType: 'host', hostPath: fromTools });
  let answer: (value: unknown) => void = () => {};
  const broker = (await late.extension.activate()) as object;
  double.extensions.get(late.extension.id)!.activate = () => new Promise((resolve) => (answer = resolve));
  const second = kubeContext().kube;
  second.dispose();
  answer(broker);
  await second.ready;
  assert.equal(late.subscriptions(), 0);
});

test('activation with the Kubernetes extension installed shows its context', async () => {
  installKubernetesTools({ pathType: 'host', hostPath: fromTools });
  const { activate } = await import('../../../src/extension/activate.js');
  const context = fakeExtensionContext();
  activate(context as never);
  // The extension is looked for in the background; let its promises settle.
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
  assert.match(double.statusBarItems[0]!.text, /from-tools/);
  for (const subscription of context.subscriptions) subscription.dispose();
});
