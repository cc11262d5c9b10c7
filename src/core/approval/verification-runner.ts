// The post-apply verifications, run in the authority process: one per apply (or rollback) that wrote to the
// cluster. Each is named before it starts, so the apply answers at once with its id; a restart of the host
// resumes the ones its audit log shows unfinished; closing stops them without a verdict (they stay pending
// and resume next time). Only reports: nothing here writes to the cluster.

import type { AuditEntry } from '../audit/record.js';
import type { WorkloadTarget } from '../changes/change-request.js';
import type { PrometheusForCluster } from '../evidence/usage-evidence.js';
import type { KubeTarget } from '../kube/kubeconfig.js';
import type { PrometheusClient } from '../prometheus/client.js';
import {
  newVerificationId,
  pendingVerifications,
  verificationRecords,
  verifyChange,
  type Clock,
  type VerificationProgress,
  type VerificationResult,
  type VerifyChangeOptions,
} from '../verify/index.js';

/** What the editor is told as a verification moves (a badge in the tree, a notification at the end). */
export interface VerificationUpdate {
  verificationId: string;
  /** The apply this verifies: its rollback id undoes it. */
  rollbackId: string;
  planId: string;
  context: string;
  /** The apply was itself a rollback (there is nothing to offer to roll back). */
  rollback: boolean;
  targets: WorkloadTarget[];
  state: 'running' | 'completed' | 'stopped';
  progress?: VerificationProgress;
  result?: VerificationResult;
  /** Why it stopped without a verdict. */
  error?: string;
}

export interface VerificationRunnerOptions {
  kube(context: string): KubeTarget;
  /** The person's Prometheus: memory and throttling since the change. Absent: the cluster's word only. */
  prometheus?: PrometheusForCluster;
  /** Writes to the authority's audit log. */
  audit(entry: AuditEntry): Promise<void>;
  /** The same log, read back to resume verifications a restart interrupted. */
  auditPath: string;
  /** The window (a setting, read for each new verification); 0 turns verification off. */
  windowMs(): number;
  clock?: Clock;
  onUpdate?(update: VerificationUpdate): void;
  log?(message: string): void;
}

export interface StartVerification {
  rollbackId: string;
  planId: string;
  context: string;
  rollback: boolean;
  targets: WorkloadTarget[];
}

/** Verifications started longer ago than this are not resumed: their evidence would say little. */
export const RESUME_HORIZON_MS = 24 * 60 * 60_000;

interface Running {
  abort: AbortController;
  done: Promise<void>;
  update: VerificationUpdate;
}

export class VerificationRunner {
  private readonly running = new Map<string, Running>();
  private closed = false;

  constructor(private readonly options: VerificationRunnerOptions) {}

  /** Starts verifying what an apply wrote; undefined when verification is off or the runner is closed. */
  start(input: StartVerification): string | undefined {
    const windowMs = this.options.windowMs();
    if (this.closed || windowMs <= 0 || input.targets.length === 0) return undefined;
    const verificationId = newVerificationId();
    this.run({ ...input, verificationId }, { windowMs });
    return verificationId;
  }

  /** Resumes the verifications the audit log shows started and never completed (a restart of the host). */
  async resumePending(): Promise<string[]> {
    const now = (this.options.clock?.now ?? Date.now)();
    const records = await verificationRecords(this.options.auditPath, new Date(now - RESUME_HORIZON_MS));
    const resumed: string[] = [];
    for (const pending of pendingVerifications(records)) {
      if (this.closed || this.running.has(pending.verificationId)) continue;
      let kube: KubeTarget;
      try {
        kube = this.options.kube(pending.context);
      } catch (error) {
        this.options.log?.(
          `verification ${pending.verificationId} not resumed: context "${pending.context}" is not available (${(error as Error).message})`,
        );
        continue;
      }
      if (kube.identity.server !== pending.server) {
        this.options.log?.(
          `verification ${pending.verificationId} not resumed: context "${pending.context}" now points at another server`,
        );
        continue;
      }
      this.run(
        {
          verificationId: pending.verificationId,
          rollbackId: pending.rollbackId,
          planId: pending.planId,
          context: pending.context,
          rollback: pending.planId.startsWith('rollback-'),
          targets: pending.targets,
        },
        {
          windowMs: pending.windowMs,
          resume: {
            verificationId: pending.verificationId,
            startedAt: pending.startedAt,
            baseline: pending.baseline,
            rolloutsCompleted: pending.rolloutsCompleted,
          },
        },
      );
      resumed.push(pending.verificationId);
    }
    return resumed;
  }

  /** The verifications running now, as last reported. */
  current(): VerificationUpdate[] {
    return [...this.running.values()].map((r) => r.update);
  }

  /** Stops every verification (no verdict is written; they resume on the next start) and waits for them. */
  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.running.values()];
    for (const r of all) r.abort.abort(new Error('the approval authority shut down'));
    await Promise.all(all.map((r) => r.done));
  }

  /** Resolves when the verification ends (tests and callers that wait); at once when it is not running. */
  async settled(verificationId: string): Promise<void> {
    await this.running.get(verificationId)?.done;
  }

  private run(
    input: StartVerification & { verificationId: string },
    how: { windowMs: number; resume?: VerifyChangeOptions['resume'] },
  ): void {
    const abort = new AbortController();
    const update: VerificationUpdate = {
      verificationId: input.verificationId,
      rollbackId: input.rollbackId,
      planId: input.planId,
      context: input.context,
      rollback: input.rollback,
      targets: input.targets,
      state: 'running',
    };
    const tell = (next: Partial<VerificationUpdate>) => {
      Object.assign(update, next);
      try {
        this.options.onUpdate?.({ ...update });
      } catch (error) {
        this.options.log?.(`verification update listener failed: ${(error as Error).message}`);
      }
    };
    const done = (async () => {
      try {
        const kube = this.options.kube(input.context);
        const prometheus = await this.prometheusFor(kube);
        const result = await verifyChange({
          kube,
          ...(prometheus ? { prometheus } : {}),
          rollbackId: input.rollbackId,
          planId: input.planId,
          targets: input.targets,
          verificationId: input.verificationId,
          windowMs: how.windowMs,
          ...(how.resume ? { resume: how.resume } : {}),
          ...(this.options.clock ? { clock: this.options.clock } : {}),
          signal: abort.signal,
          onProgress: (progress) => tell({ progress }),
          audit: (entry) => this.options.audit(entry),
        });
        tell({ state: 'completed', result });
      } catch (error) {
        // Aborted (the host is closing): the verification stays pending in the log and resumes next start.
        const message = abort.signal.aborted
          ? 'stopped: the approval authority shut down (it resumes when the editor starts again)'
          : (error as Error).message;
        this.options.log?.(`verification ${input.verificationId} ${message}`);
        tell({ state: 'stopped', error: message });
      } finally {
        this.running.delete(input.verificationId);
      }
    })();
    this.running.set(input.verificationId, { abort, done, update });
    tell({});
  }

  private async prometheusFor(kube: KubeTarget): Promise<PrometheusClient | undefined> {
    if (!this.options.prometheus) return undefined;
    try {
      return await this.options.prometheus(kube);
    } catch (error) {
      // The rollout and the pods still say a lot; the verdict's evidence says the metrics were not read.
      this.options.log?.(`verification without Prometheus: ${(error as Error).message}`);
      return undefined;
    }
  }
}
