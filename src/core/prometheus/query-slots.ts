/**
 * At most `limit` Prometheus queries in flight across everything that shares it (every batch of a scan),
 * started in the order they were asked for. Prometheus runs each query on one core and holds its samples
 * until it answers: more queries at once than it has cores only queue inside Prometheus, while their
 * samples all sit in its memory together.
 */
export class QuerySlots {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError(`QuerySlots needs a limit ≥ 1, got ${limit}`);
  }

  async run<T>(query: () => Promise<T>): Promise<T> {
    if (this.active < this.limit) this.active++;
    // A finished query hands its slot straight to the next one waiting, so `active` stays counted.
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await query();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}
