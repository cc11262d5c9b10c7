// kube-controller-manager, kube-scheduler and the kubelets of the simulated cluster, as one work queue: every
// stored change enqueues the object and its controller; the queue is drained right after each API request
// (before the response) and after each advance of the simulated clock, until nothing changes any more. No
// timers: a test sees the cluster settled once a write returns, and time-based behaviour (start-up, back-off,
// progress deadlines, resize actuation) only moves when the test advances the clock.

import type { ObjectStore, StoreChange } from '../store.js';
import type { KubeObject } from '../types.js';
import type { ControllerContext } from './context.js';
import { syncDaemonSet } from './daemonset.js';
import { syncDeployment } from './deployment.js';
import { runPod } from './kubelet.js';
import { controllerOf } from './objects.js';
import { nodeOf } from './pod-factory.js';
import { syncReplicaSet } from './replicaset.js';
import { schedulePod } from './scheduler.js';
import { syncStatefulSet } from './statefulset.js';

const CONTROLLED = ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Pod'] as const;
type ControlledKind = (typeof CONTROLLED)[number];
/** A loop that keeps changing things is a controller bug; failing beats hanging the test. */
const MAX_STEPS = 100_000;

interface Key {
  kind: ControlledKind;
  namespace: string | undefined;
  name: string;
}

function isControlled(kind: string): kind is ControlledKind {
  return (CONTROLLED as readonly string[]).includes(kind);
}

export class ControllerManager {
  private readonly queue = new Map<string, Key>();
  private draining = false;
  private scheduled = false;

  constructor(
    private readonly context: ControllerContext,
    store: ObjectStore,
  ) {
    store.onChange((change) => this.onChange(change));
    context.clock.onAdvance(() => {
      this.enqueueAll();
      this.settle();
    });
  }

  /** Runs the controllers until the cluster stops changing. */
  settle(): void {
    if (this.draining) return;
    this.draining = true;
    try {
      for (let steps = 0; this.queue.size > 0; steps++) {
        if (steps > MAX_STEPS) throw new Error('the simulated controllers did not settle');
        const [id, key] = this.queue.entries().next().value as [string, Key];
        this.queue.delete(id);
        this.sync(key);
      }
    } finally {
      this.draining = false;
    }
  }

  /** Re-evaluates everything (after a behaviour change, or on startup). */
  enqueueAll(): void {
    for (const kind of CONTROLLED)
      for (const o of this.context.writer.list(kind))
        this.enqueue(kind, o.metadata.namespace, o.metadata.name);
  }

  private enqueue(kind: ControlledKind, namespace: string | undefined, name: string): void {
    this.queue.set(`${kind}/${namespace ?? ''}/${name}`, { kind, namespace, name });
    if (!this.draining && !this.scheduled) {
      // Objects a test stores directly (not through the API) settle before its next await returns.
      this.scheduled = true;
      queueMicrotask(() => {
        this.scheduled = false;
        this.settle();
      });
    }
  }

  private onChange(change: StoreChange): void {
    const kind = change.resourceType.kind;
    if (!isControlled(kind)) return;
    const object = change.object;
    if (change.type !== 'DELETED') this.enqueue(kind, object.metadata.namespace, object.metadata.name);
    const owner = controllerOf(object) ?? (change.previous ? controllerOf(change.previous) : undefined);
    if (owner && isControlled(owner.kind)) this.enqueue(owner.kind, object.metadata.namespace, owner.name);
    // Resources freed or taken on a node: pending pods may fit now, pending resizes may go ahead.
    if (kind === 'Pod') {
      for (const pod of this.context.writer.list('Pod')) {
        if (pod.metadata.uid === object.metadata.uid) continue;
        if (!nodeOf(pod) || hasPendingResize(pod))
          this.enqueue('Pod', pod.metadata.namespace, pod.metadata.name);
      }
    }
  }

  private sync(key: Key): void {
    const object = this.context.writer.read(key.kind, key.namespace, key.name);
    if (!object) return;
    switch (key.kind) {
      case 'Deployment':
        return syncDeployment(this.context, object);
      case 'ReplicaSet':
        return syncReplicaSet(this.context, object);
      case 'StatefulSet':
        return syncStatefulSet(this.context, object);
      case 'DaemonSet':
        return syncDaemonSet(this.context, object);
      case 'Pod': {
        schedulePod(this.context, object);
        const scheduled = this.context.writer.read('Pod', key.namespace, key.name);
        if (scheduled) runPod(this.context, scheduled);
      }
    }
  }
}

function hasPendingResize(pod: KubeObject): boolean {
  const conditions = (pod.status as { conditions?: Array<{ type?: string }> } | undefined)?.conditions ?? [];
  return conditions.some((c) => c.type === 'PodResizePending');
}
