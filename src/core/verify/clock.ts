// Time for the code that waits (verification windows, resize completion, polling back-off): the system clock
// in the product, a controllable one in tests, so that no test sleeps for real.

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms`; rejects with the signal's reason when it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason as Error);
        return;
      }
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason as Error);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/** Waits with exponential back-off between `first` and `max` ms (both on the given clock). */
export class Backoff {
  private next: number;

  constructor(
    private readonly first: number,
    private readonly max: number,
  ) {
    this.next = first;
  }

  async wait(clock: Clock, signal?: AbortSignal): Promise<void> {
    const delay = this.next;
    this.next = Math.min(this.max, this.next * 2);
    await clock.sleep(delay, signal);
  }

  reset(): void {
    this.next = this.first;
  }
}
