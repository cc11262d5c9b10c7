// The order an index lists symbols and series in. Go compares strings byte by byte, so symbols are sorted by their
// UTF-8 bytes (JavaScript's < compares UTF-16 units, which differs beyond the BMP). A symbol's position in that
// order (its rank) is what the index stores for it, and comparing ranks compares the strings: so series are
// sorted as Prometheus' labels.Compare sorts them by comparing their label pairs' ranks, name then value, pair by
// pair, the shorter label set first when one is a prefix of the other. Both sorts yield as they go, so that the
// caller can give the event loop turns.

import { sortInSteps } from './stepwise-sort.js';

export interface RankedSymbols {
  /** The symbols' UTF-8 bytes, in index order. */
  sorted: Buffer[];
  /** Symbol id → rank (position in `sorted`). */
  rankOf: Uint32Array;
}

export function* rankSymbols(symbols: readonly string[]): Generator<void, RankedSymbols> {
  const encoded = symbols.map((symbol) => Buffer.from(symbol, 'utf8'));
  const ids = Uint32Array.from(encoded.keys());
  const byRank = yield* sortInSteps(ids, (a, b) => Buffer.compare(encoded[a]!, encoded[b]!));
  const rankOf = new Uint32Array(symbols.length);
  byRank.forEach((id, rank) => (rankOf[id] = rank));
  return { sorted: Array.from(byRank, (id) => encoded[id]!), rankOf };
}

/** The label pairs with every symbol id replaced by its rank. */
export function rankLabelPairs(labelPairs: Uint32Array, rankOf: Uint32Array): Uint32Array {
  const ranked = new Uint32Array(labelPairs.length);
  for (let i = 0; i < labelPairs.length; i++) ranked[i] = rankOf[labelPairs[i]!]!;
  return ranked;
}

/**
 * Series indices in index order. Two series with the same labels cannot both be in a block (Prometheus would
 * refuse the index): that is a fixture bug, reported with the labels.
 */
export function* sortSeries(
  ranked: Uint32Array,
  labelStarts: Uint32Array,
  describe: (series: number) => string,
): Generator<void, Uint32Array> {
  const compare = (a: number, b: number): number => {
    let i = labelStarts[a]!;
    let j = labelStarts[b]!;
    const endA = labelStarts[a + 1]!;
    const endB = labelStarts[b + 1]!;
    for (; i < endA && j < endB; i++, j++) {
      const difference = ranked[i]! - ranked[j]!;
      if (difference !== 0) return difference;
    }
    return endA - i - (endB - j);
  };
  const series = new Uint32Array(labelStarts.length - 1);
  for (let i = 0; i < series.length; i++) series[i] = i;
  const order = yield* sortInSteps(series, compare);
  for (let i = 1; i < order.length; i++) {
    if (compare(order[i - 1]!, order[i]!) === 0)
      throw new Error(`two series with the same labels: ${describe(order[i]!)}`);
  }
  return order;
}
