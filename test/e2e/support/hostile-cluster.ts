// The engine test cluster plus one DaemonSet whose names carry HTML and script: served by an API server
// that does not validate names (real Kubernetes refuses markup in object and container names; a compromised
// or non-conforming server does not), and reported by a Prometheus whose label values carry the same text
// (label values are arbitrary strings). Annotation values and image strings are arbitrary text in real
// Kubernetes too. The objects go into the simulator's store as a hostile server would hold them.

import type { FixtureCluster, FixtureWorkload } from '../../../src/demo/cluster-model.js';
import { startEngineEnvironment, type EngineEnvironment } from '../../support/engine-environment.js';
import { alignedEndTime, engineTestCluster, MiB } from '../../support/fixture/engine-test-cluster.js';

/**
 * Each payload sets `window.__krrCanary` if it is ever interpreted as HTML. Names carry no "/" (it would
 * split the API path) and no double quote; the image and the annotation may carry anything.
 */
export const PAYLOADS = {
  workload: '<img src=x onerror=window.__krrCanary=1>',
  container: '<svg onload=window.__krrCanary=2>',
  image:
    'registry.example/app:1.0<img src=x onerror=window.__krrCanary=3><script>window.__krrCanary=4</script>',
  annotation: '<script>window.__krrCanary=5</script><img src=x onerror="window.__krrCanary=6">',
  label: '<b onmouseover=window.__krrCanary=7>x</b>',
} as const;

export const HOSTILE_NAMESPACE = 'monitoring';

function hostileDaemonSet(): FixtureWorkload {
  const name = PAYLOADS.workload;
  return {
    kind: 'DaemonSet',
    namespace: HOSTILE_NAMESPACE,
    name,
    labels: { app: name, team: PAYLOADS.label },
    annotations: { 'krr-mcp.test/payload': PAYLOADS.annotation },
    containers: [{ name: PAYLOADS.container, image: PAYLOADS.image }],
    pods: ['aa111', 'bb222'].map((suffix, i) => ({
      name: `${name}-${suffix}`,
      startSecond: 0,
      node: `node-${i}`,
      owner: { kind: 'DaemonSet', name },
      usage: {
        [PAYLOADS.container]: {
          cpuCores: [{ fromSecond: 0, value: 0.0395 }],
          memoryBytes: [{ fromSecond: 0, value: 141 * MiB }],
        },
      },
    })),
  };
}

export function hostileCluster(endTime: number): FixtureCluster {
  const cluster = engineTestCluster(endTime);
  return { ...cluster, workloads: [...cluster.workloads, hostileDaemonSet()] };
}

/** startEngineEnvironment() with the hostile cluster: its own Prometheus history and API objects. */
export function startHostileEngine(): Promise<EngineEnvironment> {
  return startEngineEnvironment(hostileCluster(alignedEndTime()));
}
