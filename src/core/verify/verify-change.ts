// Post-apply verification: watches each changed workload for a bounded window (default 10 minutes) and
// gives each a verdict with its evidence. The rollout part is done once the rollout completes; pod health is
// watched until the window ends, or until every workload has failed. Resumable: the started record carries
// the start time and the restart-count baseline, so a restarted host continues the same window.
// Only reports: nothing here writes to the cluster or offers more than the evidence.

import { randomBytes } from 'node:crypto';
import type { AuditEntry } from '../audit/record.js';
import { targetLabel, type WorkloadTarget } from '../changes/change-request.js';
import type { KubeTarget } from '../kube/kubeconfig.js';
import type { PrometheusClient } from '../prometheus/client.js';
import { systemClock, type Clock } from './clock.js';
import {
  worstVerdict,
  type Evidence,
  type VerificationBaseline,
  type VerificationProgress,
  type VerificationResult,
} from './model.js';
import { currentPods } from './pod-health.js';
import { prometheusSignals } from './prometheus-signals.js';
import {
  verificationCompletedRecord,
  verificationProgressRecord,
  verificationStartedRecord,
} from './verification-records.js';
import { assessWorkload, type WorkloadHealth } from './workload-health.js';
import { WorkloadObserver } from './workload-observer.js';

export const DEFAULT_WINDOW_MS = 10 * 60_000;
export const DEFAULT_PROMETHEUS_INTERVAL_MS = 60_000;
export const DEFAULT_MIN_SAMPLES = 3;

export interface VerifyChangeOptions {
  kube: KubeTarget;
  /** When given, memory working set and CPU throttling since the change are judged too. */
  prometheus?: PrometheusClient;
  rollbackId: string;
  planId: string;
  targets: WorkloadTarget[];
  /** A fresh verification's id, when the caller must name it before it starts (default: a random one). */
  verificationId?: string;
  windowMs?: number;
  /** A fresh verification's start, Unix ms (default: now); e.g. the apply's end. */
  startedAt?: number;
  /** Continue a verification from its started record (pendingVerifications): same id, start and baseline. */
  resume?: {
    verificationId: string;
    startedAt: string;
    baseline: VerificationBaseline;
    /** Workloads (targetLabel) whose rollout had completed before the host stopped. */
    rolloutsCompleted?: readonly string[];
  };
  clock?: Clock;
  /** Aborting stops the watches and rejects; no completed record is written (the verification stays pending). */
  signal?: AbortSignal;
  onProgress?: (progress: VerificationProgress) => void;
  /** Writes an audit record (the authority's log); errors propagate. */
  audit?: (entry: AuditEntry) => Promise<void>;
  prometheusIntervalMs?: number;
  minSamples?: number;
}

export function newVerificationId(): string {
  return randomBytes(12).toString('base64url');
}

function key(target: WorkloadTarget): string {
  return `${target.kind}/${target.namespace}/${target.name}`;
}

function baselineOf(observers: WorkloadObserver[]): VerificationBaseline {
  const restarts: VerificationBaseline['restarts'] = {};
  for (const pod of observers.flatMap((o) => o.observation().pods)) {
    const meta = (pod.metadata ?? {}) as { uid?: string };
    const statuses =
      ((pod.status ?? {}) as { containerStatuses?: Array<{ name?: string; restartCount?: number }> })
        .containerStatuses ?? [];
    restarts[String(meta.uid)] = Object.fromEntries(
      statuses.map((s) => [String(s.name), s.restartCount ?? 0]),
    );
  }
  return { restarts };
}

export async function verifyChange(options: VerifyChangeOptions): Promise<VerificationResult> {
  const clock = options.clock ?? systemClock;
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  const windowMs = options.windowMs ?? DEFAULT_WINDOW_MS;
  const interval = options.prometheusIntervalMs ?? DEFAULT_PROMETHEUS_INTERVAL_MS;
  const verificationId = options.resume?.verificationId ?? options.verificationId ?? newVerificationId();
  const startedAt = options.resume
    ? Date.parse(options.resume.startedAt)
    : (options.startedAt ?? clock.now());
  const endsAt = startedAt + windowMs;
  const audit = async (entry: AuditEntry) => options.audit?.(entry);
  let dirty = true;
  let wake = () => {};
  const onChange = () => {
    dirty = true;
    wake();
  };
  const observers = options.targets.map(
    (t) => new WorkloadObserver(options.kube, t, { clock, signal, onChange }),
  );
  try {
    await Promise.all(observers.map((o) => o.start()));
    signal.throwIfAborted();
    const baseline = options.resume?.baseline ?? baselineOf(observers);
    if (options.resume) await audit(verificationProgressRecord(verificationId, 'resumed'));
    else
      await audit(
        verificationStartedRecord({
          verificationId,
          rollbackId: options.rollbackId,
          planId: options.planId,
          context: options.kube.identity.context,
          server: options.kube.identity.server,
          targets: options.targets.map(({ kind, namespace, name }) => ({ kind, namespace, name })),
          startedAt: new Date(startedAt).toISOString(),
          windowMs,
          baseline,
        }),
      );
    const metrics = new Map<string, Evidence[]>();
    const readMetrics = async (now: number) => {
      const prometheus = options.prometheus;
      if (!prometheus) return;
      for (const o of observers) {
        const seen = o.observation();
        const pods = seen.workload
          ? currentPods(o.target.kind, seen.workload, seen.replicaSets, seen.pods)
          : [];
        try {
          const window = {
            namespace: o.target.namespace,
            pods,
            from: startedAt,
            to: now,
            minSamples: options.minSamples ?? DEFAULT_MIN_SAMPLES,
          };
          metrics.set(key(o.target), await prometheusSignals(prometheus, window));
        } catch (error) {
          metrics.set(key(o.target), [
            {
              kind: 'metrics',
              severity: 'info',
              message: `Prometheus could not be read: ${(error as Error).message}`,
            },
          ]);
        }
      }
    };
    // Once complete, a rollout stays complete: pods that fail later are pod health (degraded), not a
    // rollout that "had not completed" when the window ends.
    const rolloutsCompleted = new Set(options.resume?.rolloutsCompleted ?? []);
    const milestones = new Milestones(verificationId, windowMs, startedAt, audit, options.onProgress);
    let nextMetrics = Math.min(startedAt + interval, endsAt);
    for (;;) {
      signal.throwIfAborted();
      const now = clock.now();
      const windowOver = now >= endsAt;
      dirty = false;
      if (windowOver) {
        // The verdict comes from a consistent read of the cluster, not from whatever events have arrived.
        await Promise.all(observers.map((o) => o.refresh()));
        await readMetrics(now);
      } else if (options.prometheus && now >= nextMetrics) {
        await readMetrics(now);
        nextMetrics = Math.min(now + interval, endsAt);
      }
      const health = observers.map((o) =>
        assessWorkload(o.observation(), {
          baseline,
          windowOver,
          metrics: metrics.get(key(o.target)) ?? [],
          rolloutCompletedBefore: rolloutsCompleted.has(targetLabel(o.target)),
        }),
      );
      for (const h of health) if (h.rollout === 'complete') rolloutsCompleted.add(targetLabel(h.target));
      await milestones.report(health, now);
      if (health.every((h) => h.final)) {
        const result: VerificationResult = {
          verificationId,
          rollbackId: options.rollbackId,
          planId: options.planId,
          startedAt: new Date(startedAt).toISOString(),
          completedAt: new Date(Math.max(now, startedAt)).toISOString(),
          verdict: worstVerdict(health.map((h) => h.verdict)),
          workloads: health.map(({ final: _final, ...verdict }) => verdict),
          ...(windowOver ? {} : { endedEarly: true }),
        };
        await audit(verificationCompletedRecord(result));
        return result;
      }
      await waitForChange(Math.min(endsAt, options.prometheus ? nextMetrics : endsAt) - now);
    }
  } finally {
    stop.abort();
  }

  /** Until something is observed, the next Prometheus reading is due, or the window ends. */
  async function waitForChange(ms: number): Promise<void> {
    const sleeping = new AbortController();
    try {
      await new Promise<void>((resolve, reject) => {
        wake = resolve;
        if (dirty) resolve();
        clock.sleep(ms, AbortSignal.any([signal, sleeping.signal])).then(resolve, () => {
          if (signal.aborted) reject(signal.reason as Error);
        });
      });
    } finally {
      wake = () => {};
      sleeping.abort();
    }
  }
}

/** Progress callbacks when anything a person would see changes; audit milestones once each. */
class Milestones {
  private last = '';
  private readonly recorded = new Set<string>();

  constructor(
    private readonly verificationId: string,
    private readonly windowMs: number,
    private readonly startedAt: number,
    private readonly audit: (entry: AuditEntry) => Promise<void>,
    private readonly onProgress?: (progress: VerificationProgress) => void,
  ) {}

  async report(health: WorkloadHealth[], now: number): Promise<void> {
    for (const h of health) {
      const label = targetLabel(h.target);
      if (h.rollout === 'complete' && !this.recorded.has(`complete ${label}`)) {
        this.recorded.add(`complete ${label}`);
        await this.audit(verificationProgressRecord(this.verificationId, 'rollout-complete', h.target));
      }
      if (h.verdict === 'failed' && !this.recorded.has(`failed ${label}`)) {
        this.recorded.add(`failed ${label}`);
        const why = h.evidence.find((e) => e.severity === 'failure')?.message;
        await this.audit(verificationProgressRecord(this.verificationId, 'workload-failed', h.target, why));
      }
    }
    const summary = JSON.stringify(
      health.map((h) => [h.verdict, h.rollout, h.final, h.evidence.map((e) => e.message)]),
    );
    if (summary === this.last) return;
    this.last = summary;
    this.onProgress?.({
      verificationId: this.verificationId,
      elapsedMs: Math.max(0, now - this.startedAt),
      windowMs: this.windowMs,
      workloads: health,
    });
  }
}
