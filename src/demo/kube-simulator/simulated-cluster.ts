// The parts of the simulated cluster that are not the API server: its clock, what the test tells it to do
// (version, nodes, faults), the watches over its store, and — when asked for — the controllers, the
// scheduler and the kubelets.

import { SimBehaviour, type KubernetesVersion, type SimNode } from './behaviour.js';
import { SimClock } from './clock.js';
import { ControllerManager } from './controllers/manager.js';
import { ControllerWriter } from './controllers/objects.js';
import type { ResourceRegistry } from './registry.js';
import type { ObjectStore } from './store.js';
import type { KubeObject } from './types.js';
import { WatchHub } from './watch.js';

export interface SimulatedCluster {
  clock: SimClock;
  behaviour: SimBehaviour;
  watches: WatchHub;
  controllers?: ControllerManager;
}

export interface SimulatedClusterOptions {
  objects?: KubeObject[];
  kubernetesVersion?: KubernetesVersion;
  controllers?: boolean;
  nodes?: SimNode[];
  clockStart?: Date;
  wallClock?: boolean;
}

/** Three nodes of 4 CPUs and 16Gi, named after the nodes the seeded pods run on (node-N where none do). */
function defaultNodes(objects: KubeObject[]): SimNode[] {
  const named = [
    ...new Set(
      objects
        .filter((o) => o.kind === 'Pod')
        .map((o) => (o.spec as { nodeName?: unknown } | undefined)?.nodeName)
        .filter((n): n is string => typeof n === 'string' && n !== ''),
    ),
  ].sort();
  for (let i = 1; named.length < 3; i++) if (!named.includes(`node-${i}`)) named.push(`node-${i}`);
  return named.map((name) => ({ name, cpu: '4', memory: '16Gi' }));
}

export function simulatedCluster(
  store: ObjectStore,
  registry: ResourceRegistry,
  options: SimulatedClusterOptions,
): SimulatedCluster {
  const clock = new SimClock(options.clockStart);
  const watches = new WatchHub(store);
  let controllers: ControllerManager | undefined;
  const behaviour = new SimBehaviour(
    options.kubernetesVersion ?? '1.30',
    options.nodes?.map((n) => ({ ...n })) ?? defaultNodes(options.objects ?? []),
    () => new Set(store.list('Pod').map((p) => p.metadata.uid ?? '')),
    // A changed knob (a fault, a node's size) is acted on at once, as a real cluster would.
    () => {
      controllers?.enqueueAll();
      controllers?.settle();
    },
  );
  if (options.controllers) {
    controllers = new ControllerManager(
      { writer: new ControllerWriter(store, registry, clock), clock, behaviour },
      store,
    );
    // Seeded objects are adopted: controllers fill in the status a running cluster would show.
    controllers.enqueueAll();
    controllers.settle();
  }
  if (options.wallClock)
    clock.followWallClock({
      onError: (error) =>
        process.stderr.write(
          `kube simulator: the controllers failed: ${(error as Error).stack ?? String(error)}\n`,
        ),
    });
  return { clock, behaviour, watches, ...(controllers ? { controllers } : {}) };
}
