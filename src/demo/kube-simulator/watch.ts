// `?watch=true` on pods and the workload kinds, as kube-apiserver serves it: newline-delimited JSON events
// (ADDED, MODIFIED, DELETED, BOOKMARK, ERROR) on a chunked 200 response, from a resourceVersion (replayed
// from a bounded history; older ones get ERROR 410 Expired) or from "now" with synthetic ADDED events for
// what exists, label and field selectors (an object leaving the selector is DELETED for that watch),
// `timeoutSeconds`, and bookmarks when `allowWatchBookmarks=true`.

import type { ServerResponse } from 'node:http';
import { apiVersionOf, type ResourceType } from './registry.js';
import { matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector } from './selectors.js';
import { badRequest, status } from './status.js';
import type { ObjectStore, StoreChange } from './store.js';
import { clone, type KubeObject } from './types.js';

/** The resources a watch is modelled for; anything else keeps answering 400. */
const WATCHABLE = new Set([
  '/pods',
  'apps/deployments',
  'apps/statefulsets',
  'apps/daemonsets',
  'apps/replicasets',
  'batch/jobs',
  'batch/cronjobs',
  'argoproj.io/rollouts',
]);
const HISTORY_LIMIT = 5000;
/** kube-apiserver's --min-request-timeout default; a watch without timeoutSeconds ends after about this long. */
const DEFAULT_TIMEOUT_SECONDS = 1800;

type EventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

interface Stream {
  type: ResourceType;
  namespace: string | undefined;
  matches(object: KubeObject): boolean;
  bookmarks: boolean;
  res: ServerResponse;
  timer: NodeJS.Timeout;
}

export function isWatchable(type: ResourceType): boolean {
  return WATCHABLE.has(type.storageKey);
}

export class WatchHub {
  private readonly history: Array<{ rv: number; change: StoreChange }> = [];
  /** Events up to this resourceVersion are no longer replayable. */
  private compactedThrough = 0;
  private readonly streams = new Set<Stream>();
  private waiters: Array<{ ready: (open: number) => boolean; resolve: () => void }> = [];

  constructor(private readonly store: ObjectStore) {
    store.onChange((change) => this.record(change));
  }

  /** Watches open now. */
  get active(): number {
    return this.streams.size;
  }

  /** Resolves when at least `count` watches are open (a client has (re)connected). */
  whenWatching(count = 1): Promise<void> {
    return this.when((open) => open >= count);
  }

  /** Resolves when no watch is open (every client has gone). */
  whenNoneOpen(): Promise<void> {
    return this.when((open) => open === 0);
  }

  private when(ready: (open: number) => boolean): Promise<void> {
    if (ready(this.streams.size)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ ready, resolve }));
  }

  /** Ends every open watch, as an API server restart or a load balancer's idle timeout does. */
  closeAll(): void {
    for (const stream of [...this.streams]) this.end(stream);
  }

  /** Forgets the replayable history: a client resuming from an older resourceVersion gets 410 Expired. */
  compact(): void {
    this.history.length = 0;
    this.compactedThrough = Number(this.store.currentResourceVersion());
  }

  /** Sends a BOOKMARK with the current resourceVersion to every watch that asked for bookmarks. */
  bookmark(): void {
    for (const stream of this.streams) if (stream.bookmarks) this.sendBookmark(stream);
  }

  serve(
    res: ServerResponse,
    type: ResourceType,
    namespace: string | undefined,
    query: URLSearchParams,
  ): void {
    if (!isWatchable(type))
      throw badRequest(`the Kubernetes API simulator does not implement watch for ${type.resource}`);
    const labels = parseLabelSelector(query.get('labelSelector') ?? undefined);
    const fields = parseFieldSelector(query.get('fieldSelector') ?? undefined, type.resource);
    const rvText = query.get('resourceVersion') ?? '';
    if (rvText !== '' && !/^\d+$/.test(rvText)) throw badRequest(`invalid resource version: ${rvText}`);
    const timeout = Number(query.get('timeoutSeconds') ?? DEFAULT_TIMEOUT_SECONDS);
    const stream: Stream = {
      type,
      namespace,
      matches: (o) =>
        (namespace === undefined || o.metadata.namespace === namespace) &&
        matchesLabels(labels, o.metadata.labels) &&
        matchesFields(fields, o),
      bookmarks: query.get('allowWatchBookmarks') === 'true',
      res,
      timer: setTimeout(() => this.timeOut(stream), Math.max(0, timeout) * 1000),
    };
    stream.timer.unref();
    res.writeHead(200, {
      'content-type': 'application/json',
      'cache-control': 'no-cache, private',
      'transfer-encoding': 'chunked',
    });
    // Headers go out at once, as kube-apiserver flushes them: a client's request resolves before any event.
    res.flushHeaders();
    res.on('close', () => this.forget(stream));
    this.streams.add(stream);
    const current = Number(this.store.currentResourceVersion());
    const initial = rvText === '' || rvText === '0' || query.get('sendInitialEvents') === 'true';
    if (initial) {
      for (const object of this.store.readAll(type, namespace).filter(stream.matches))
        this.send(stream, 'ADDED', object);
      if (query.get('sendInitialEvents') === 'true' && stream.bookmarks)
        this.sendBookmark(stream, { 'k8s.io/initial-events-end': 'true' });
    } else {
      const from = Number(rvText);
      if (from < this.compactedThrough) {
        // What the watch cache answers when the history no longer reaches back that far.
        this.send(
          stream,
          'ERROR',
          status(410, 'Expired', `too old resource version: ${from} (${this.compactedThrough + 1})`),
        );
        this.end(stream);
        return;
      }
      if (from > current) {
        this.send(
          stream,
          'ERROR',
          status(504, 'Timeout', `Too large resource version: ${from}, current: ${current}`),
        );
        this.end(stream);
        return;
      }
      for (const { rv, change } of this.history) if (rv > from) this.deliver(stream, change);
    }
    this.notifyWaiters();
  }

  private record(change: StoreChange): void {
    const rv = Number(change.object.metadata.resourceVersion);
    this.history.push({ rv, change: { ...change, object: clone(change.object) } });
    if (this.history.length > HISTORY_LIMIT) {
      const dropped = this.history.splice(0, this.history.length - HISTORY_LIMIT);
      this.compactedThrough = dropped.at(-1)?.rv ?? this.compactedThrough;
    }
    for (const stream of this.streams) this.deliver(stream, change);
  }

  private deliver(stream: Stream, change: StoreChange): void {
    if (change.resourceType.storageKey !== stream.type.storageKey) return;
    const before = change.previous !== undefined && stream.matches(change.previous);
    const now = change.type !== 'DELETED' && stream.matches(change.object);
    if (change.type === 'DELETED') {
      if (before) this.send(stream, 'DELETED', change.object);
    } else if (now) {
      this.send(stream, before ? 'MODIFIED' : 'ADDED', change.object);
    } else if (before) {
      // The object no longer matches this watch's selector: for this watch it is gone.
      this.send(stream, 'DELETED', change.object);
    }
  }

  private send(stream: Stream, type: EventType, object: object): void {
    if (stream.res.writableEnded) return;
    stream.res.write(`${JSON.stringify({ type, object })}\n`);
  }

  private sendBookmark(stream: Stream, annotations?: Record<string, string>): void {
    this.send(stream, 'BOOKMARK', {
      kind: stream.type.kind,
      apiVersion: apiVersionOf(stream.type),
      metadata: {
        resourceVersion: this.store.currentResourceVersion(),
        ...(annotations ? { annotations } : {}),
      },
    });
  }

  private timeOut(stream: Stream): void {
    // The server tells a bookmarking client where it got to before it closes the watch.
    if (stream.bookmarks) this.sendBookmark(stream);
    this.end(stream);
  }

  private end(stream: Stream): void {
    this.forget(stream);
    if (!stream.res.writableEnded) stream.res.end();
  }

  private forget(stream: Stream): void {
    clearTimeout(stream.timer);
    if (this.streams.delete(stream)) this.notifyWaiters();
  }

  private notifyWaiters(): void {
    const ready = this.waiters.filter((w) => w.ready(this.streams.size));
    this.waiters = this.waiters.filter((w) => !w.ready(this.streams.size));
    for (const waiter of ready) waiter.resolve();
  }
}
