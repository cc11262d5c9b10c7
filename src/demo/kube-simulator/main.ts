// Standalone simulator for the demo and for spawning the CLI against it:
//   node --import tsx src/demo/kube-simulator/main.ts --fixture cluster.json [--port N]
//        [--kubeconfig out.yaml] [--token T] [--context NAME] [--proxy ns/name:port=http://upstream]...
//        [--kubernetes-version 1.33] [--controllers] [--wall-clock]
// Prints one JSON line ({"url":…,"kubeconfig":…}) once listening, and serves until SIGTERM/SIGINT.

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { FixtureCluster } from '../cluster-model.js';
import { fixtureObjects } from './fixture.js';
import { startKubeSimulator } from './server.js';

const { values } = parseArgs({
  options: {
    fixture: { type: 'string' },
    port: { type: 'string' },
    kubeconfig: { type: 'string' },
    token: { type: 'string' },
    context: { type: 'string' },
    namespace: { type: 'string' },
    proxy: { type: 'string', multiple: true },
    'kubernetes-version': { type: 'string' },
    controllers: { type: 'boolean' },
    'wall-clock': { type: 'boolean' },
  },
});

const cluster = values.fixture
  ? (JSON.parse(readFileSync(values.fixture, 'utf8')) as FixtureCluster)
  : undefined;
const serviceProxies: Record<string, string> = {};
for (const entry of values.proxy ?? []) {
  const at = entry.indexOf('=');
  if (at < 0) throw new Error(`--proxy expects ns/name:port=URL, got ${entry}`);
  serviceProxies[entry.slice(0, at)] = entry.slice(at + 1);
}

const simulator = await startKubeSimulator({
  objects: cluster ? fixtureObjects(cluster) : [],
  rolloutsCrd: cluster?.rolloutsCrd ?? false,
  serviceProxies,
  controllers: values.controllers ?? false,
  // Nothing advances the clock of a standalone simulator but the wall clock.
  wallClock: values['wall-clock'] ?? false,
  ...(values['kubernetes-version'] !== undefined
    ? { kubernetesVersion: values['kubernetes-version'] as `1.${number}` }
    : {}),
  ...(values.token !== undefined ? { token: values.token } : {}),
  ...(values.port !== undefined ? { port: Number(values.port) } : {}),
});
if (values.kubeconfig) {
  simulator.writeKubeconfig(values.kubeconfig, {
    contextName: values.context ?? cluster?.name ?? 'kube-simulator',
    ...(values.namespace ? { namespace: values.namespace } : {}),
  });
}
console.log(JSON.stringify({ url: simulator.url, kubeconfig: values.kubeconfig ?? null }));

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    void simulator.stop().then(() => process.exit(0));
  });
}
