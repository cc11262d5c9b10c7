import {
  bindingOf,
  type ApprovalInput,
  type ApprovalOutcome,
  type ApprovalRequest,
  type DecisionSurface,
} from './approval-request.js';
import {
  ApprovalTokens,
  assertMintable,
  DEFAULT_TOKEN_TTL_SECONDS,
  tokenExpiry,
  type RedeemResult,
} from './tokens.js';
import type { TokenBinding } from './token-binding.js';

export interface AuthorityOptions {
  surface: DecisionSurface;
  /** Milliseconds since the epoch; shared with the tokens so tests can move time. */
  clock?: () => number;
  tokenTtlSeconds?: number;
  /** How long a request waits for a person before it expires; a function is read for each new request (a setting). */
  decisionTimeoutMs?: number | (() => number);
}

export interface WaitOptions {
  /** How long this call waits for the decision before answering 'pending'. */
  waitMs?: number;
  onProgress?: (message: string) => void;
  progressIntervalMs?: number;
  /** The caller went away: stop waiting (the request stays open for a later poll). */
  signal?: AbortSignal;
  /**
   * Who asks (e.g. one broker connection). Only the requester may poll the request or receive its token:
   * another client naming the same plan id is refused, so it can neither collect nor cancel it.
   */
  requester?: string;
}

/** A request for this plan id is open for another requester. */
export class ForeignRequestError extends Error {
  override name = 'ForeignRequestError';
  constructor(readonly planId: string) {
    super(
      `Plan ${planId} is awaiting approval for another client; it cannot be joined. Preview the change again for a plan of your own.`,
    );
  }
}

/** Under the ~2 minutes after which MCP clients give up on a tool call (microsoft/vscode#274094). */
export const DEFAULT_WAIT_MS = 110_000;
export const DEFAULT_DECISION_TIMEOUT_MS = 10 * 60_000;
const DEFAULT_PROGRESS_INTERVAL_MS = 10_000;
/** A decision nobody collected (rejected, expired…) is kept this long for a poll to find. */
const UNCOLLECTED_RETENTION_MS = 10 * 60_000;

interface OpenRequest {
  request: ApprovalRequest;
  requester: string | undefined;
  binding: TokenBinding;
  surfaceSignal: AbortController;
  outcome: ApprovalOutcome | undefined;
  decided: Promise<void>;
  markDecided(): void;
  timer: NodeJS.Timeout | undefined;
}

/**
 * The approval authority: asks a person (through the DecisionSurface) to approve a plan and mints a token
 * only when they click Approve. Callers must build the ApprovalInput from a fresh read of the cluster
 * (live objects, dry-run), not from what the agent sent. One open request per plan id; asking again for
 * the same plan id and hash joins the open request, which is how an agent polls.
 */
export class ApprovalAuthority {
  readonly tokens: ApprovalTokens;
  private readonly open = new Map<string, OpenRequest>();
  private readonly clock: () => number;

  constructor(private readonly options: AuthorityOptions) {
    this.clock = options.clock ?? Date.now;
    this.tokens = new ApprovalTokens(this.clock);
  }

  async requestApproval(input: ApprovalInput, wait: WaitOptions = {}): Promise<ApprovalOutcome> {
    // Refuse a binding that could not be minted now, rather than after a person clicked Approve.
    assertMintable(bindingOf(input));
    const existing = this.open.get(input.planId);
    if (existing && existing.requester !== wait.requester) throw new ForeignRequestError(input.planId);
    if (
      existing &&
      existing.request.planHash === input.planHash &&
      existing.outcome?.status !== 'cancelled'
    ) {
      return this.waitFor(existing, wait);
    }
    if (existing) this.decide(existing, cancelled(existing, 'a newer version of the plan replaced it'));
    return this.waitFor(this.startRequest(input, wait.requester), wait);
  }

  /** The open request's outcome, waiting like requestApproval; undefined when no request has this id. */
  async pollApproval(planId: string, wait: WaitOptions = {}): Promise<ApprovalOutcome | undefined> {
    const existing = this.open.get(planId);
    if (existing && existing.requester !== wait.requester) throw new ForeignRequestError(planId);
    return existing ? this.waitFor(existing, wait) : undefined;
  }

  redeem(token: unknown, expected: TokenBinding): RedeemResult {
    return this.tokens.redeem(token, expected);
  }

  /** The checks of redeem without using the token (dry runs). */
  checkToken(token: unknown, expected: TokenBinding): RedeemResult {
    return this.tokens.check(token, expected);
  }

  /** Withdraws every open request (their surfaces see the abort). */
  close(): void {
    for (const entry of this.open.values())
      this.decide(entry, cancelled(entry, 'the approval authority shut down'));
    for (const entry of this.open.values()) clearTimeout(entry.timer);
    this.open.clear();
  }

  private startRequest(input: ApprovalInput, requester: string | undefined): OpenRequest {
    const configured = this.options.decisionTimeoutMs;
    const timeoutMs =
      (typeof configured === 'function' ? configured() : configured) ?? DEFAULT_DECISION_TIMEOUT_MS;
    const request: ApprovalRequest = {
      ...input,
      expiresAt: new Date(this.clock() + timeoutMs).toISOString(),
    };
    let markDecided = () => {};
    const decided = new Promise<void>((resolve) => (markDecided = resolve));
    const entry: OpenRequest = {
      request,
      requester,
      binding: bindingOf(input),
      surfaceSignal: new AbortController(),
      outcome: undefined,
      decided,
      markDecided,
      timer: undefined,
    };
    entry.timer = setTimeout(
      () => this.decide(entry, { status: 'expired', planId: input.planId }),
      timeoutMs,
    );
    entry.timer.unref();
    this.open.set(input.planId, entry);
    this.options.surface
      .decide(request, entry.surfaceSignal.signal)
      // Only the exact answers 'approved' (and 'approved-resize' where offered) mint; anything else is a no.
      .then((decision) =>
        this.decide(
          entry,
          decision === 'approved'
            ? this.approve(entry, false)
            : decision === 'approved-resize' && entry.request.resizeOption
              ? this.approve(entry, true)
              : { status: 'rejected', planId: input.planId },
        ),
      )
      .catch((error: unknown) =>
        this.decide(
          entry,
          cancelled(entry, `the approval failed: ${error instanceof Error ? error.message : String(error)}`),
        ),
      );
    return entry;
  }

  /** Minting happens here and only here: after the surface reported a person's Approve click. */
  private approve(entry: OpenRequest, resize: boolean): ApprovalOutcome {
    if (entry.outcome) return entry.outcome; // expired or superseded first: the click came too late
    const resizeHash = entry.request.resizeOption?.planHash;
    const binding = resize && resizeHash ? { ...entry.binding, planHash: resizeHash } : entry.binding;
    const token = this.tokens.mint(binding, this.options.tokenTtlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS);
    return {
      status: 'approved',
      planId: entry.request.planId,
      token,
      tokenExpiresAt: new Date((tokenExpiry(token) ?? 0) * 1000).toISOString(),
      ...(resize && resizeHash ? { resizeRunningPods: true as const } : {}),
    };
  }

  private decide(entry: OpenRequest, outcome: ApprovalOutcome): void {
    if (entry.outcome) return;
    entry.outcome = outcome;
    clearTimeout(entry.timer);
    entry.surfaceSignal.abort(new Error(`approval request ${outcome.status}`));
    entry.markDecided();
    // Kept for a poll; an approval only as long as its token lives.
    const keepMs =
      outcome.status === 'approved'
        ? Date.parse(outcome.tokenExpiresAt) - this.clock()
        : UNCOLLECTED_RETENTION_MS;
    entry.timer = setTimeout(() => this.forget(entry), Math.max(0, keepMs));
    entry.timer.unref();
  }

  private async waitFor(entry: OpenRequest, wait: WaitOptions): Promise<ApprovalOutcome> {
    if (!entry.outcome) await this.waitForDecision(entry, wait);
    if (!entry.outcome)
      return { status: 'pending', planId: entry.request.planId, expiresAt: entry.request.expiresAt };
    // A token is handed out once: whoever collects the outcome removes it.
    this.forget(entry);
    return entry.outcome;
  }

  private async waitForDecision(entry: OpenRequest, wait: WaitOptions): Promise<void> {
    if (wait.signal?.aborted) return;
    const timers: NodeJS.Timeout[] = [];
    let stop = () => {};
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    timers.push(setTimeout(stop, wait.waitMs ?? DEFAULT_WAIT_MS));
    if (wait.onProgress) {
      const onProgress = wait.onProgress;
      const every = wait.progressIntervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS;
      timers.push(
        setInterval(() => {
          const left = Math.max(0, Math.round((Date.parse(entry.request.expiresAt) - this.clock()) / 1000));
          onProgress(
            `Waiting for a person to approve plan ${entry.request.planId} (request open ${left} s more)`,
          );
        }, every),
      );
    }
    wait.signal?.addEventListener('abort', stop, { once: true });
    try {
      await Promise.race([entry.decided, stopped]);
    } finally {
      timers.forEach((t) => clearTimeout(t));
      wait.signal?.removeEventListener('abort', stop);
    }
  }

  private forget(entry: OpenRequest): void {
    if (this.open.get(entry.request.planId) === entry) this.open.delete(entry.request.planId);
    if (entry.outcome) clearTimeout(entry.timer);
  }
}

function cancelled(entry: OpenRequest, reason: string): ApprovalOutcome {
  return { status: 'cancelled', planId: entry.request.planId, reason };
}
