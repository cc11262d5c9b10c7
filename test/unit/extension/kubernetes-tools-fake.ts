import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { double, EventEmitter, ExtensionDouble } from '../../support/vscode-double/vscode.js';
import { KUBERNETES_TOOLS_EXTENSION_ID } from '../../../src/extension/kubernetes-tools-api.js';

/**
 * The Kubernetes extension as its API broker answers (vscode-kubernetes-tools `src/api/contract`):
 * `activate()` → `{ get(component, version) }` → `{ available: true, api }` for configuration v1_1.
 */
export function installKubernetesTools(kubeconfigPath: unknown) {
  const pathChanged = new EventEmitter<unknown>();
  const contextChanged = new EventEmitter<string | null>();
  let current = kubeconfigPath;
  let subscribed = 0;
  const counted =
    <T>(event: EventEmitter<T>['event']) =>
    (listener: (value: T) => unknown) => {
      subscribed++;
      const subscription = event(listener);
      return { dispose: () => (subscribed--, subscription.dispose()) };
    };
  const configuration = {
    getKubeconfigPath: () => current,
    onDidChangeKubeconfigPath: counted(pathChanged.event),
    onDidChangeContext: counted(contextChanged.event),
    onDidChangeNamespace: new EventEmitter<string>().event,
  };
  const requested: Array<[string, string]> = [];
  const broker = {
    apiVersion: '1.0',
    get(component: string, version: string) {
      requested.push([component, version]);
      return component === 'configuration' && (version === 'v1' || version === 'v1_1')
        ? { available: true, api: configuration }
        : { available: false, reason: 'version-unknown' };
    },
  };
  const extension = new ExtensionDouble(KUBERNETES_TOOLS_EXTENSION_ID, () => broker);
  double.extensions.set(KUBERNETES_TOOLS_EXTENSION_ID, extension);
  return {
    extension,
    requested,
    /** The person picks another kubeconfig in the Kubernetes extension. */
    switchKubeconfig(path: unknown, announce = true) {
      current = path;
      if (announce) pathChanged.fire(path);
    },
    switchContext(context: string | null) {
      contextChanged.fire(context);
    },
    /** How many subscriptions to the extension's events are still open. */
    subscriptions: () => subscribed,
  };
}

/** Kubeconfig files in a temp directory, each with its own context and server. */
export function kubeconfigFiles() {
  const dir = mkdtempSync(join(tmpdir(), 'krr-mcp-kube-context-'));
  return {
    dir,
    write(name: string, context: string, server = `https://${context}.example:6443`): string {
      const file = join(dir, name);
      writeFileSync(
        file,
        `apiVersion: v1
kind: Config
clusters: [{ name: ${context}-cluster, cluster: { server: "${server}" } }]
users: [{ name: ${context}-user, user: { token: t } }]
contexts: [{ name: ${context}, context: { cluster: ${context}-cluster, user: ${context}-user } }]
current-context: ${context}
`,
      );
      return file;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
