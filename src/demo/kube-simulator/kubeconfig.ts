// A kubeconfig pointing at the simulator. Plain http needs insecure-skip-tls-verify, otherwise
// client-node refuses the server ("HTTP protocol is not allowed when skipTLSVerify is not set").

import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';

export interface KubeconfigOptions {
  contextName?: string;
  namespace?: string;
  token?: string;
  userName?: string;
}

export function kubeconfigYaml(
  server: string,
  defaultToken: string | undefined,
  options: KubeconfigOptions = {},
): string {
  const context = options.contextName ?? 'kube-simulator';
  const user = options.userName ?? 'tester';
  const token = options.token ?? defaultToken;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: context, cluster: { server, 'insecure-skip-tls-verify': true } }],
    users: [{ name: user, user: token !== undefined ? { token } : {} }],
    contexts: [
      {
        name: context,
        context: { cluster: context, user, ...(options.namespace ? { namespace: options.namespace } : {}) },
      },
    ],
    'current-context': context,
  });
}

export function writeKubeconfigFile(
  path: string,
  server: string,
  defaultToken: string | undefined,
  options?: KubeconfigOptions,
): string {
  writeFileSync(path, kubeconfigYaml(server, defaultToken, options), { mode: 0o600 });
  return path;
}
