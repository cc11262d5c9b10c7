// The simulated cluster's clock. Controllers and the kubelet never look at the wall clock: time only moves
// when a test calls advance(), so that "a rollout that never progresses" reaches its deadline exactly when
// the test says, and nothing depends on how fast the machine is. The demo, where a person clicks, lets the
// clock follow the wall clock instead (followWallClock): rollouts progress and OOM kills come in real time,
// through the same advance() a test calls, so the controllers see no difference.

export type ClockListener = (now: Date) => void;

/** How often a clock that follows the wall clock catches up: the resolution of afterMs, back-offs and deadlines. */
export const WALL_CLOCK_TICK_MS = 1000;

interface Sleeper {
  until: number;
  resolve: () => void;
}

export class SimClock {
  private nowMs: number;
  private readonly listeners = new Set<ClockListener>();
  private sleepers: Sleeper[] = [];
  private sleepWaiters: Array<{ count: number; resolve: () => void }> = [];
  private wallTimer: NodeJS.Timeout | undefined;

  constructor(start: Date = new Date()) {
    this.nowMs = start.getTime();
  }

  now(): Date {
    return new Date(this.nowMs);
  }

  nowMillis(): number {
    return this.nowMs;
  }

  /** RFC 3339 with seconds, as the API server writes timestamps. */
  timestamp(): string {
    return new Date(this.nowMs).toISOString().replace(/\.\d+Z$/, 'Z');
  }

  /** Moves time forward; controllers re-evaluate deadlines and back-offs, then sleepers due by now wake. */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new Error(`cannot advance the clock by ${ms} ms`);
    this.nowMs += ms;
    const now = this.now();
    for (const listener of this.listeners) listener(now);
    const due = this.sleepers.filter((s) => s.until <= this.nowMs);
    this.sleepers = this.sleepers.filter((s) => s.until > this.nowMs);
    for (const sleeper of due) sleeper.resolve();
  }

  /**
   * From now on, advances by the wall time that passed, every `tickMs`; first it catches up with the wall
   * clock if it is behind (it never goes back). A listener that throws (a controller bug) goes to `onError`
   * rather than out of a timer, where it would end the process. Stopped by stopFollowingWallClock().
   */
  followWallClock(options: { tickMs?: number; onError?: (error: unknown) => void } = {}): void {
    if (this.wallTimer) return;
    const catchUp = () => {
      const behind = Date.now() - this.nowMs;
      if (behind <= 0) return;
      try {
        this.advance(behind);
      } catch (error) {
        options.onError?.(error);
      }
    };
    catchUp();
    this.wallTimer = setInterval(catchUp, options.tickMs ?? WALL_CLOCK_TICK_MS);
    // The simulator's server keeps the process alive while it serves; this timer alone must not.
    this.wallTimer.unref();
  }

  stopFollowingWallClock(): void {
    clearInterval(this.wallTimer);
    this.wallTimer = undefined;
  }

  get followsWallClock(): boolean {
    return this.wallTimer !== undefined;
  }

  onAdvance(listener: ClockListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves once the clock has been advanced by `ms` (at once for 0); rejects when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    if (ms <= 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const sleeper: Sleeper = {
        until: this.nowMs + ms,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        this.sleepers = this.sleepers.filter((s) => s !== sleeper);
        reject(signal?.reason as Error);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.sleepers.push(sleeper);
      const ready = this.sleepWaiters.filter((w) => this.sleepers.length >= w.count);
      this.sleepWaiters = this.sleepWaiters.filter((w) => this.sleepers.length < w.count);
      for (const waiter of ready) waiter.resolve();
    });
  }

  /** Resolves when at least `count` sleep() calls wait on this clock: a test advances only then. */
  whenSleeping(count = 1): Promise<void> {
    if (this.sleepers.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.sleepWaiters.push({ count, resolve }));
  }

  /** How many sleep() calls are waiting: lets a test advance only once the code under test waits. */
  get pendingSleeps(): number {
    return this.sleepers.length;
  }
}
