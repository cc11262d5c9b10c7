import type { ContainerUsageHistory } from '../evidence/usage-history-model.js';
import type { TokenBinding } from './token-binding.js';

/**
 * What a person is asked to approve. The authority builds it from what the API server said (live objects,
 * dry-run), never from what the agent wrote; every string in it is untrusted text to display, not markup.
 */
/** What the approval panel shows, built by the authority from its own plan (never from agent input). */
export interface ApprovalDetails {
  workloads: Array<{
    kind: string;
    namespace: string;
    name: string;
    containers: Array<{
      container: string;
      source: string;
      changes: Array<{
        field: string;
        from: string | null;
        to: string | null;
        percent: number | null;
        agentSupplied: boolean;
      }>;
    }>;
    /** Unified YAML diff of the live object and the API server's dry-run result. */
    diff: string;
    impact: { pods: number | 'next run'; restartRequired: boolean; hpa: boolean };
    risk: { level: string; reasons: string[] };
    /**
     * Kubernetes ≥ 1.33: what resizing the running pods in place would do, pod by pod. Shown so the person
     * sees which pods keep running, which restart a container, and which cannot be resized.
     */
    inPlaceResize?: ResizeDetails;
  }>;
  risk: { level: string; reasons: string[] };
  monthlyCostDelta: number;
  /**
   * The usage the safety checks compared with, as the authority read it: where from, and what it could not
   * read (shown in red; the plan is then HIGH risk at least).
   */
  evidence?: { source: string | null; missing: string[] };
  /** The agent's stated reason: untrusted text, shown labelled as the agent's. */
  agentReason?: string;
  /**
   * Set by the authority (never the agent) when the plan undoes an apply: that apply's rollback id. The
   * panel then says it is a rollback.
   */
  rollbackOf?: string;
  /**
   * The usage behind each changed container (charts in the panel), as the authority read it with the
   * person's settings; absent or partial when it could not be read (the panel then shows no chart for it).
   */
  usage?: ContainerUsageHistory[];
}

export interface ResizeDetails {
  offered: boolean;
  /** Why it is not offered (absent when offered). */
  reason?: string;
  pods: Array<{
    name: string;
    outcome: 'in-place' | 'restarts-container' | 'not-possible';
    reason: string;
    restartingContainers: string[];
    qosBefore: string;
    qosAfter: string;
  }>;
}

export interface ApprovalRequest {
  planId: string;
  planHash: string;
  /**
   * Present when the plan offers to resize running pods in place: the hash of the plan with that choice. A
   * person who clicks "Approve and resize running pods" gets a token bound to this hash, never the agent.
   */
  resizeOption?: { planHash: string };
  summary: string;
  details?: ApprovalDetails;
  cluster: { context: string; server: string };
  objects: TokenBinding['objects'];
  risk: string;
  /** ISO 8601: when the request stops waiting for a decision. */
  expiresAt: string;
}

/** 'approved-resize': approved, and resize the running pods in place (only where the request offers it). */
export type Decision = 'approved' | 'approved-resize' | 'rejected';

/**
 * Where a person decides: the VS Code approval panel, or a scripted person in tests. `signal` aborts
 * when the request expires or is superseded; the surface must close its UI then and may resolve with
 * anything, since the answer is ignored.
 */
export interface DecisionSurface {
  decide(request: ApprovalRequest, signal: AbortSignal): Promise<Decision>;
}

/** An approval request before the authority stamps its deadline. */
export type ApprovalInput = Omit<ApprovalRequest, 'expiresAt'>;

export type ApprovalOutcome =
  /** `tokenExpiresAt` is ISO 8601; the token works once, for this plan, cluster and object versions. */
  | {
      status: 'approved';
      planId: string;
      token: string;
      tokenExpiresAt: string;
      /** The person chose to resize the running pods: the token is bound to the plan with that choice. */
      resizeRunningPods?: true;
    }
  | { status: 'rejected'; planId: string }
  /** Nobody decided yet; ask again with the plan id. */
  | { status: 'pending'; planId: string; expiresAt: string }
  /** Nobody decided before the request's deadline. */
  | { status: 'expired'; planId: string }
  /** Withdrawn: a newer version of the plan replaced it, the surface failed, or the authority shut down. */
  | { status: 'cancelled'; planId: string; reason: string };

export function bindingOf(input: ApprovalInput): TokenBinding {
  return {
    planId: input.planId,
    planHash: input.planHash,
    server: input.cluster.server,
    context: input.cluster.context,
    objects: input.objects,
  };
}
