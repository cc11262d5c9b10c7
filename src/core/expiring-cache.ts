/**
 * Entries kept for a while and up to a number: the oldest go first beyond the cap, and an entry older than
 * the time to live is gone when asked for. Bounds what a long-running process holds for its callers.
 */
export class ExpiringCache<K, V> {
  private readonly entries = new Map<K, { value: V; storedAt: number }>();

  constructor(
    private readonly maxEntries: number,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, { value, storedAt: this.now() });
    // Insertion order is age order: drop the oldest beyond the cap.
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (this.now() - entry.storedAt > this.ttlMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  get size(): number {
    return this.entries.size;
  }
}

/** How many plans, and for how long, the MCP server and the authority keep for their callers. */
export const PLAN_CACHE = { maxEntries: 200, ttlMs: 60 * 60_000 } as const;
