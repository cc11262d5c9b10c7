import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import { double, EventEmitter, ExtensionDouble } from '../../support/vscode-double/vscode.js';
import {
  connectKubernetesTools,
  KUBERNETES_TOOLS_EXTENSION_ID,
  KubernetesToolsKubeconfig,
} from '../../../src/extension/kubernetes-tools-api.js';

beforeEach(() => double.reset());

function install(activation: () => unknown): ExtensionDouble {
  const extension = new ExtensionDouble(KUBERNETES_TOOLS_EXTENSION_ID, activation);
  double.extensions.set(KUBERNETES_TOOLS_EXTENSION_ID, extension);
  return extension;
}

/** Like the extension's own implementation: a class whose members need their `this`. */
class ConfigurationV1_1 {
  private readonly pathChanged = new EventEmitter<unknown>();
  private readonly contextChanged = new EventEmitter<string | null>();
  constructor(private readonly path: string) {}
  getKubeconfigPath() {
    return { pathType: 'host', hostPath: this.path };
  }
  get onDidChangeKubeconfigPath() {
    return this.pathChanged.event;
  }
  get onDidChangeContext() {
    return this.contextChanged.event;
  }
  switchContext(context: string) {
    this.contextChanged.fire(context);
  }
}

test('not installed: unavailable, nothing activated', async () => {
  assert.deepEqual(await connectKubernetesTools(), { available: false, reason: 'extension-not-installed' });
});

test('the configuration API v1_1 of an installed extension, with its methods still bound', async () => {
  const configuration = new ConfigurationV1_1('/home/u/.kube/config');
  const extension = install(() => ({
    get: (component: string, version: string) =>
      component === 'configuration' && version === 'v1_1'
        ? { available: true, api: configuration }
        : { available: false, reason: 'version-unknown' },
  }));
  const answer = await connectKubernetesTools();
  assert.equal(extension.activations, 1);
  assert.ok(answer.available);
  const kubeconfig = new KubernetesToolsKubeconfig(answer.configuration);
  assert.deepEqual(kubeconfig.hostPaths(), ['/home/u/.kube/config']);
  let changes = 0;
  kubeconfig.onDidChange(() => changes++);
  configuration.switchContext('prod');
  assert.equal(changes, 1);
  kubeconfig.dispose();
  configuration.switchContext('dev');
  assert.equal(changes, 1);
});

test('whatever the extension answers that is not the API is a reason, never an exception', async (t) => {
  const cases: Array<[string, () => unknown, RegExp]> = [
    ['activation throws', () => Promise.reject(new Error('boom')), /^activation failed: boom$/],
    ['no exports', () => undefined, /^no API broker$/],
    ['exports without get', () => ({ apiVersion: '1.0' }), /^no API broker$/],
    [
      'get throws',
      () => ({
        get: () => {
          throw new Error('nope');
        },
      }),
      /^configuration API failed: nope$/,
    ],
    ['get answers nonsense', () => ({ get: () => 42 }), /^unexpected answer/],
    [
      'version removed',
      () => ({ get: () => ({ available: false, reason: 'version-removed' }) }),
      /^version-removed$/,
    ],
    [
      'an API without the events',
      () => ({ get: () => ({ available: true, api: { getKubeconfigPath: () => ({}) } }) }),
      /unexpected shape/,
    ],
  ];
  for (const [name, activation, reason] of cases) {
    await t.test(name, async () => {
      double.reset();
      install(activation);
      const answer = await connectKubernetesTools();
      assert.equal(answer.available, false);
      assert.match((answer as { reason: string }).reason, reason);
    });
  }
});

test('an event that cannot be subscribed to costs only its updates', async () => {
  const kubeconfig = new KubernetesToolsKubeconfig({
    getKubeconfigPath: () => ({ pathType: 'host', hostPath: '/k' }),
    onDidChangeKubeconfigPath: () => {
      throw new Error('disposed');
    },
    onDidChangeContext: () => undefined,
  });
  assert.deepEqual(kubeconfig.hostPaths(), ['/k']);
  kubeconfig.dispose();
});
