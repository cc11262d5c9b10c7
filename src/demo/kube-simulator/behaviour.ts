// What tests tell the simulated cluster to do: nodes and their allocatable resources, how long pods take to
// start, and faults the kubelet acts out (OOM kills under a memory limit, crash loops, pods that never get
// Ready), the Kubernetes version, and how an in-place resize is actuated.

import { amount, containerStatuses, type ResourceAmounts } from './pod-resources.js';
import type { JsonObject, KubeObject } from './types.js';

export interface SimNode {
  name: string;
  /** Allocatable resources, as quantities ("4", "16Gi"). */
  cpu: string;
  memory: string;
}

/** Which pods a fault applies to; every field given must match. */
export interface PodMatch {
  namespace?: string;
  /** The owning workload's name (a Deployment's pods match through their ReplicaSet). */
  workload?: string;
  container?: string;
  /**
   * Only pods created after the rule was added, so that the running pods keep running. Default true for crash
   * loops and pods that never get Ready; false for OOM kills, whose memory-limit condition already selects.
   */
  newPodsOnly?: boolean;
}

export interface OomKillRule extends PodMatch {
  /** The container is OOM-killed when its memory limit is below this quantity ("300Mi"). */
  memoryLimitBelow: string;
  /** How long after each start the kill comes (simulated ms; default 0: at once). */
  afterMs?: number;
}

export interface CrashLoopRule extends PodMatch {
  exitCode?: number;
}

export type NeverReadyRule = PodMatch;

interface Registered<T> {
  rule: T;
  /** Pods that existed when the rule was added; `newPodsOnly` leaves them alone. */
  existing: Set<string>;
}

/** The Kubernetes minor versions whose behaviour the simulator distinguishes. */
export type KubernetesVersion = `1.${number}`;

export class SimBehaviour {
  /** Simulated ms from a pod's start to Ready (0: at once). */
  podStartupMs = 0;
  /** Simulated ms an accepted in-place resize stays PodResizeInProgress (0: done at once). */
  resizeActuationMs = 0;
  /** Nodes with the CPU manager's static policy: resizing a Guaranteed pod is Infeasible there. */
  cpuManagerStaticPolicy = false;
  private readonly oom: Array<Registered<OomKillRule>> = [];
  private readonly crash: Array<Registered<CrashLoopRule>> = [];
  private readonly unready: Array<Registered<NeverReadyRule>> = [];

  constructor(
    public kubernetesVersion: KubernetesVersion,
    public nodes: SimNode[],
    /** uids of the pods stored now. */
    private readonly podUids: () => Set<string>,
    private readonly onChange: () => void,
  ) {}

  oomKill(rule: OomKillRule): void {
    this.oom.push({ rule, existing: this.podUids() });
    this.onChange();
  }

  crashLoop(rule: CrashLoopRule): void {
    this.crash.push({ rule, existing: this.podUids() });
    this.onChange();
  }

  neverReady(rule: NeverReadyRule): void {
    this.unready.push({ rule, existing: this.podUids() });
    this.onChange();
  }

  clearFaults(): void {
    this.oom.length = 0;
    this.crash.length = 0;
    this.unready.length = 0;
    this.onChange();
  }

  /** Changes a node's allocatable resources (e.g. to make a resize Infeasible or Deferred). */
  setAllocatable(name: string, allocatable: { cpu?: string; memory?: string }): void {
    const node = this.nodes.find((n) => n.name === name);
    if (!node) throw new Error(`no simulated node "${name}"`);
    Object.assign(node, allocatable);
    this.onChange();
  }

  allocatable(node: SimNode): ResourceAmounts {
    return { cpu: amount(node.cpu, 'cpu') ?? 0, memory: amount(node.memory, 'memory') ?? 0 };
  }

  /** The minor version as a number (33 for "1.33"). */
  get minor(): number {
    return Number(this.kubernetesVersion.split('.')[1]);
  }

  oomRuleFor(pod: KubeObject, workload: string | undefined, container: JsonObject): OomKillRule | undefined {
    const limit = amount(
      ((container.resources as JsonObject | undefined)?.limits as JsonObject | undefined)?.memory,
      'memory',
    );
    return this.matching(this.oom, pod, workload, String(container.name), false).find((rule) => {
      const below = amount(rule.memoryLimitBelow, 'memory');
      if (below === undefined)
        throw new Error(`memoryLimitBelow "${rule.memoryLimitBelow}" is not a quantity`);
      return limit !== undefined && limit < below;
    });
  }

  crashRuleFor(pod: KubeObject, workload: string | undefined, container: string): CrashLoopRule | undefined {
    return this.matching(this.crash, pod, workload, container)[0];
  }

  neverReadyFor(pod: KubeObject, workload: string | undefined, container: string): boolean {
    return this.matching(this.unready, pod, workload, container).length > 0;
  }

  private matching<T extends PodMatch>(
    rules: Array<Registered<T>>,
    pod: KubeObject,
    workload: string | undefined,
    container: string,
    newPodsOnlyByDefault = true,
  ): T[] {
    return rules
      .filter(({ rule, existing }) => {
        if (rule.namespace !== undefined && rule.namespace !== pod.metadata.namespace) return false;
        if (rule.workload !== undefined && rule.workload !== workload) return false;
        if (rule.container !== undefined && rule.container !== container) return false;
        return !(rule.newPodsOnly ?? newPodsOnlyByDefault) || !existing.has(pod.metadata.uid ?? '');
      })
      .map((r) => r.rule);
  }
}

/** Restart count of a container, 0 when it has no status yet. */
export function restartCount(pod: KubeObject, container: string): number {
  const status = containerStatuses(pod).find((s) => s.name === container);
  return typeof status?.restartCount === 'number' ? status.restartCount : 0;
}
