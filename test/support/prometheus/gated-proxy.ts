// A pass-through proxy in front of a real Prometheus that holds the queries a test chooses until the test
// opens the gate: a scan can then be watched half done (its other batches answered, this one pending) or
// cancelled while it waits (a held request whose client gives up is dropped), without any sleep.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { forwardRequest } from './forward-request.js';

export interface GatedProxy {
  url: string;
  /** Requests held at the gate right now. */
  held(): number;
  /** Requests the proxy received (held or not), with their decoded form bodies. */
  readonly seen: string[];
  /**
   * The most requests matching `which` that were open at once (received, not yet answered), on a logical
   * clock: how many queries a client really had in flight, whatever the timing.
   */
  maxInFlight(which: (path: string, body: string) => boolean): number;
  /** Resolves once at least `count` requests are held. */
  whenHeld(count?: number): Promise<void>;
  /** Resolves once no request is held (with the gate closed: their clients gave up on them). */
  whenNoneHeld(): Promise<void>;
  /** Lets every held request through, and every later one. */
  open(): void;
  /** Holds matching requests again from now on. */
  close(): void;
  stop(): Promise<void>;
}

interface Held {
  forward: () => void;
  req: IncomingMessage;
}

/** `hold` sees the request's path and its decoded form body (`query=…`). */
export async function startGatedProxy(
  upstream: string,
  hold: (path: string, body: string) => boolean,
): Promise<GatedProxy> {
  const upstreamUrl = new URL(upstream);
  let held: Held[] = [];
  let gateOpen = false;
  const seen: string[] = [];
  /** Each request's path, body, and the ticks of the logical clock it was received and answered at. */
  const spans: Array<{ path: string; body: string; opened: number; closed: number }> = [];
  let tick = 0;
  const waiters = new Set<() => void>();
  const notify = () => {
    for (const waiter of [...waiters]) waiter();
  };

  const forward = (req: IncomingMessage, body: Buffer, res: ServerResponse) =>
    forwardRequest(upstreamUrl, req, body, res);

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const text = decodeURIComponent(body.toString('utf8').replace(/\+/g, ' '));
      seen.push(text);
      const span = { path: req.url ?? '', body: text, opened: ++tick, closed: Infinity };
      spans.push(span);
      res.on('close', () => (span.closed = ++tick));
      if (gateOpen || !hold(req.url ?? '', text)) return forward(req, body, res);
      const entry: Held = { req, forward: () => forward(req, body, res) };
      held.push(entry);
      // A client that goes away while held is no longer waiting.
      res.on('close', () => {
        held = held.filter((h) => h !== entry);
        notify();
      });
      notify();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const until = (done: () => boolean) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (!done()) return;
        waiters.delete(check);
        resolve();
      };
      waiters.add(check);
      check();
    });

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    held: () => held.length,
    seen,
    maxInFlight(which) {
      const events = spans
        .filter((s) => which(s.path, s.body))
        .flatMap((s) => [
          { at: s.opened, delta: 1 },
          { at: s.closed, delta: -1 },
        ])
        .sort((a, b) => a.at - b.at);
      let open = 0;
      let most = 0;
      for (const e of events) most = Math.max(most, (open += e.delta));
      return most;
    },
    whenHeld: (count = 1) => until(() => held.length >= count),
    whenNoneHeld: () => until(() => held.length === 0),
    open() {
      gateOpen = true;
      const waiting = held;
      held = [];
      for (const h of waiting) h.forward();
      notify();
    },
    close() {
      gateOpen = false;
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
