// The kubelet of every simulated node: starts a bound pod's containers and reports what kubelet reports
// (phase, the five pod conditions, containerStatuses with state/lastState/ready/restartCount, and on 1.33+
// the containers' actual resources), and acts out the test's faults on the simulated clock: OOM kills
// (exit 137, reason OOMKilled), crashes (reason Error), CrashLoopBackOff with the kubelet's back-off
// (10 s doubling to 5 min), containers that never get Ready. In-place resizes: kubelet-resize.ts.

import { randomBytes } from 'node:crypto';
import { containerStatuses, containersOf, qosClass } from '../pod-resources.js';
import { clone, type JsonObject, type KubeObject } from '../types.js';
import { workloadNameOf, type ControllerContext } from './context.js';
import { conditionsOf, isTerminating, newContainerId, statusOf } from './objects.js';
import { actuateResize, RESIZE_CONDITIONS, supportsResize, withActualResources } from './kubelet-resize.js';
import { nodeOf } from './pod-factory.js';

const BACKOFF_INITIAL_S = 10;
const BACKOFF_MAX_S = 300;

/** Go's time.Duration.String() for whole seconds: "10s", "1m20s", "5m0s". */
function goDuration(seconds: number): string {
  return seconds < 60 ? `${seconds}s` : `${Math.floor(seconds / 60)}m${seconds % 60}s`;
}

export function backoffSeconds(restarts: number): number {
  return Math.min(BACKOFF_MAX_S, BACKOFF_INITIAL_S * 2 ** Math.max(0, restarts - 1));
}

function running(startedAt: string): JsonObject {
  return { running: { startedAt } };
}

/** One step of a container's life at the current simulated time. */
function stepContainer(
  context: ControllerContext,
  pod: KubeObject,
  workload: string | undefined,
  container: JsonObject,
  previous: JsonObject | undefined,
): JsonObject {
  const now = context.clock.timestamp();
  const nowMs = context.clock.nowMillis();
  const name = String(container.name);
  const image = String(container.image ?? '');
  const status: JsonObject = previous
    ? clone(previous)
    : {
        name,
        image,
        imageID: `${image}@sha256:${randomBytes(32).toString('hex')}`,
        containerID: newContainerId(),
        restartCount: 0,
        started: true,
        ready: false,
        state: running(now),
        lastState: {},
      };
  const state = status.state as JsonObject;
  const restarts = typeof status.restartCount === 'number' ? status.restartCount : 0;
  const waiting = state.waiting as JsonObject | undefined;
  const finishedAt = ((status.lastState as JsonObject | undefined)?.terminated as JsonObject | undefined)
    ?.finishedAt;
  if (waiting?.reason === 'CrashLoopBackOff' && typeof finishedAt === 'string') {
    if (nowMs < Date.parse(finishedAt) + backoffSeconds(restarts) * 1000) return status;
    status.state = running(now);
    status.containerID = newContainerId();
    status.started = true;
  }
  const startedAt = ((status.state as JsonObject).running as JsonObject | undefined)?.startedAt;
  if (typeof startedAt !== 'string') return status;
  const crash = context.behaviour.crashRuleFor(pod, workload, name);
  const oom = context.behaviour.oomRuleFor(pod, workload, container);
  const dies = crash ?? (oom && nowMs - Date.parse(startedAt) >= (oom.afterMs ?? 0) ? oom : undefined);
  if (dies) {
    const oomKilled = dies === oom;
    const count = restarts + 1;
    status.restartCount = count;
    status.ready = false;
    status.started = false;
    status.lastState = {
      terminated: {
        exitCode: oomKilled ? 137 : ((crash?.exitCode ?? 1) as number),
        reason: oomKilled ? 'OOMKilled' : 'Error',
        startedAt,
        finishedAt: now,
        containerID: status.containerID ?? null,
      },
    };
    status.state = {
      waiting: {
        reason: 'CrashLoopBackOff',
        message: `back-off ${goDuration(backoffSeconds(count))} restarting failed container=${name} pod=${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`,
      },
    };
    return status;
  }
  const warmedUp = nowMs - Date.parse(startedAt) >= context.behaviour.podStartupMs;
  status.ready = warmedUp && !context.behaviour.neverReadyFor(pod, workload, name);
  return status;
}

function podConditions(pod: KubeObject, statuses: JsonObject[], now: string): JsonObject[] {
  const unready = statuses.filter((s) => s.ready !== true).map((s) => String(s.name));
  const old = conditionsOf(pod);
  const set = (type: string, ok: boolean, reason?: string, message?: string): JsonObject => {
    const before = old.find((c) => c.type === type);
    const value = ok ? 'True' : 'False';
    return {
      type,
      status: value,
      lastProbeTime: null,
      lastTransitionTime: before?.status === value ? (before.lastTransitionTime ?? now) : now,
      ...(reason ? { reason } : {}),
      ...(message ? { message } : {}),
    };
  };
  const notReady = unready.length > 0 ? `containers with unready status: [${unready.join(' ')}]` : undefined;
  return [
    set('PodReadyToStartContainers', true),
    set('Initialized', true),
    set('Ready', !notReady, notReady && 'ContainersNotReady', notReady),
    set('ContainersReady', !notReady, notReady && 'ContainersNotReady', notReady),
    set('PodScheduled', true),
    ...old.filter((c) => RESIZE_CONDITIONS.includes(String(c.type))),
  ];
}

export function runPod(context: ControllerContext, pod: KubeObject): void {
  const node = nodeOf(pod);
  if (!node || isTerminating(pod)) return;
  const now = context.clock.timestamp();
  const workload = workloadNameOf(context, pod);
  const before = containerStatuses(pod);
  let statuses = containersOf(pod).map((c) =>
    stepContainer(
      context,
      pod,
      workload,
      c,
      before.find((s) => s.name === c.name),
    ),
  );
  const next = clone(pod);
  const status: JsonObject = { ...statusOf(pod) };
  if (supportsResize(context)) statuses = actuateResize(context, next, status, statuses);
  else statuses = statuses.map((s) => withActualResources(s, undefined));
  const index = node.replace(/\D/g, '') || '1';
  next.status = {
    ...status,
    phase: 'Running',
    conditions: podConditions({ ...next, status }, statuses, now),
    hostIP: `10.0.0.${index}`,
    hostIPs: [{ ip: `10.0.0.${index}` }],
    podIP:
      (statusOf(pod).podIP as string | undefined) ??
      `10.244.${index}.${1 + (pod.metadata.name.length % 250)}`,
    startTime: (statusOf(pod).startTime as string | undefined) ?? now,
    containerStatuses: statuses,
    qosClass: statusOf(pod).qosClass ?? qosClass(pod),
  };
  context.writer.update(next);
}
