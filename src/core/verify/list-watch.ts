// A list-then-watch cache of one kind of object, like client-go's reflector: LIST for a consistent start
// and its resourceVersion, then WATCH from there (bookmarks keep the version fresh). A watch that ends is
// reopened from the last version seen (at once after a normal close, with back-off after errors); 410
// Expired means LIST again. Where watching is not allowed or not served (403, 400, 404, 405), it falls back
// to LIST polling with back-off (2 s doubling to 30 s, back to 2 s after a change).

import { Watch } from '@kubernetes/client-node';
import type { JsonObject } from '../changes/workload-object.js';
import type { KubeTarget } from '../kube/kubeconfig.js';
import { Backoff, type Clock } from './clock.js';

export interface ListResult {
  items: JsonObject[];
  resourceVersion: string;
}

export interface ListWatchSource {
  /** The collection's path, e.g. /api/v1/namespaces/shop/pods. */
  path: string;
  labelSelector?: string;
  fieldSelector?: string;
  list(): Promise<ListResult>;
}

export interface ListWatchOptions {
  clock: Clock;
  signal: AbortSignal;
  onChange(): void;
}

/** Statuses that mean "this watch will never work here": poll instead. */
const NO_WATCH = new Set([400, 403, 404, 405, 501]);
/** Watches ending in a row without a single event before reopening waits with back-off. */
const QUIET_CLOSES_BEFORE_BACKOFF = 3;
/** Servers close a watch after this long; it is reopened from the last version. */
const WATCH_TIMEOUT_SECONDS = 300;

function uidOf(object: JsonObject): string {
  const meta = (object.metadata ?? {}) as JsonObject;
  return String(meta.uid ?? `${String(meta.namespace ?? '')}/${String(meta.name ?? '')}`);
}

export class ListWatch {
  readonly items = new Map<string, JsonObject>();
  /** What went wrong last (cleared by the next successful LIST or event). */
  problem: string | undefined;
  mode: 'watch' | 'poll' = 'watch';
  private resourceVersion = '';
  private expired = false;
  private quietCloses = 0;
  private handle: AbortController | undefined;
  private readonly backoff = new Backoff(500, 10_000);

  constructor(
    private readonly kube: KubeTarget,
    private readonly source: ListWatchSource,
    private readonly options: ListWatchOptions,
  ) {
    options.signal.addEventListener('abort', () => this.handle?.abort(), { once: true });
  }

  get stopped(): boolean {
    return this.options.signal.aborted;
  }

  async start(): Promise<void> {
    await this.relist();
    void this.watch();
  }

  /** LIST: replaces the cache with what the server holds now (a consistent read). */
  async relist(): Promise<void> {
    try {
      const result = await this.source.list();
      this.items.clear();
      for (const item of result.items) this.items.set(uidOf(item), item);
      this.resourceVersion = result.resourceVersion;
      this.expired = false;
      this.problem = undefined;
    } catch (error) {
      this.problem = `could not list ${this.source.path}: ${(error as Error).message}`;
    }
    this.options.onChange();
  }

  private async watch(): Promise<void> {
    if (this.stopped) return;
    const query: Record<string, string | boolean | number> = {
      allowWatchBookmarks: true,
      timeoutSeconds: WATCH_TIMEOUT_SECONDS,
      ...(this.resourceVersion ? { resourceVersion: this.resourceVersion } : {}),
      ...(this.source.labelSelector ? { labelSelector: this.source.labelSelector } : {}),
      ...(this.source.fieldSelector ? { fieldSelector: this.source.fieldSelector } : {}),
    };
    let delivered = false;
    this.handle = await new Watch(this.kube.kubeConfig).watch(
      this.source.path,
      query,
      (type: string, object: JsonObject) => {
        delivered = true;
        this.onEvent(type, object);
      },
      (error: unknown) => void this.reconnect(error, delivered),
    );
    if (this.stopped) this.handle.abort();
  }

  private onEvent(type: string, object: JsonObject): void {
    if (type === 'ERROR') {
      const code = Number((object as { code?: unknown }).code);
      if (code === 410) this.expired = true;
      else
        this.problem = `the watch of ${this.source.path} reported: ${String((object as { message?: unknown }).message ?? code)}`;
      return;
    }
    const version = ((object.metadata ?? {}) as JsonObject).resourceVersion;
    if (typeof version === 'string' && version) this.resourceVersion = version;
    if (type === 'ADDED' || type === 'MODIFIED') this.items.set(uidOf(object), object);
    else if (type === 'DELETED') this.items.delete(uidOf(object));
    else return; // BOOKMARK: only the version moves.
    this.problem = undefined;
    this.options.onChange();
  }

  private async reconnect(error: unknown, delivered: boolean): Promise<void> {
    if (this.stopped) return;
    const status = (error as { statusCode?: number } | null)?.statusCode;
    if (status !== undefined && NO_WATCH.has(status)) {
      this.mode = 'poll';
      this.problem = undefined;
      return this.poll();
    }
    try {
      // A watch that ends normally is reopened at once; one that keeps ending before any event (a proxy that
      // cuts streams) waits like a broken one, so that nothing loops.
      this.quietCloses = error || delivered ? 0 : this.quietCloses + 1;
      if (error || this.quietCloses >= QUIET_CLOSES_BEFORE_BACKOFF) {
        if (error)
          this.problem = `the watch of ${this.source.path} broke: ${(error as Error).message}; reconnecting`;
        await this.backoff.wait(this.options.clock, this.options.signal);
      } else if (delivered) this.backoff.reset();
      if (this.expired) await this.relist();
      await this.watch();
    } catch {
      // Aborted while waiting: the verification is over.
    }
  }

  /** Bounded polling: LIST with back-off, reset whenever something changed. */
  private async poll(): Promise<void> {
    const backoff = new Backoff(2000, 30_000);
    while (!this.stopped) {
      try {
        await backoff.wait(this.options.clock, this.options.signal);
      } catch {
        return;
      }
      const before = JSON.stringify([...this.items.values()]);
      await this.relist();
      if (JSON.stringify([...this.items.values()]) !== before) backoff.reset();
    }
  }
}
