// Injected failures: an error status, a delay, or a request that never answers (to test client timeouts).

import type { IncomingMessage } from 'node:http';

export interface Fault {
  method?: string;
  /** Tested against the URL path (without the query string). */
  path: RegExp;
  /** Answer with this status (a Status body unless `body` is given). Absent: only delay, then serve normally. */
  status?: number;
  /** How many matching requests the fault applies to; absent = all. */
  times?: number;
  /** Let this many matching requests through first (e.g. 2 to fail the 3rd PATCH). */
  after?: number;
  delayMs?: number;
  /** Never answer; the socket stays open until the client gives up or the simulator stops. */
  hang?: boolean;
  body?: unknown;
}

interface ActiveFault extends Fault {
  seen: number;
  applied: number;
}

export class FaultInjector {
  private readonly active: ActiveFault[] = [];

  add(fault: Fault): void {
    this.active.push({ ...fault, seen: 0, applied: 0 });
  }

  clear(): void {
    this.active.length = 0;
  }

  /** How many requests each fault has been applied to, in insertion order. */
  appliedCounts(): number[] {
    return this.active.map((f) => f.applied);
  }

  /** The fault to apply to this request, counting it against every matching fault's `after`. */
  take(req: IncomingMessage, pathname: string): Fault | undefined {
    for (const fault of this.active) {
      if (fault.method && fault.method.toUpperCase() !== req.method) continue;
      if (!fault.path.test(pathname)) continue;
      fault.seen += 1;
      if (fault.seen <= (fault.after ?? 0)) continue;
      if (fault.times !== undefined && fault.applied >= fault.times) continue;
      fault.applied += 1;
      return fault;
    }
    return undefined;
  }
}
